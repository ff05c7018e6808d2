"""The engine's command line: ``python -m churn_core COMMAND ...`` (docs/architecture.md; the
commands are listed in README.md).

Bad input exits with status 2 and a readable message on stderr, never a traceback; set
``CHURN_DEBUG=1`` to see the traceback of an unexpected failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.columns import RISK_BANDS
from churn_core.datasets import write_activity_log, write_customers
from churn_core.errors import ChurnDataError, Problem
from churn_core.explain import ChurnExplainer
from churn_core.io import Table, iter_table_chunks, read_table, to_csv_bytes, write_parquet
from churn_core.logs import (
    define_churn,
    fit_log_model,
    get_customer_table,
    is_log_model,
    label_customers,
    prepare_activity,
    prepare_for_model,
    roll_up,
    score_log,
    suggest_window,
)
from churn_core.model import ChurnModel, Policy, fit_churn_model, load_model, save_model
from churn_core.risk import (
    add_reasons,
    add_reasons_from_file,
    carry_columns_from_file,
    describe_filters,
    get_handover_facts,
    rank_file,
    rerank,
    score_file,
    select_rows,
    to_handover_workbook,
    write_at_risk_list,
)
from churn_core.schema import Profile, Role, profile_table
from churn_core.segments import fit_segments
from churn_core.survival import UNIT_MONTHS
from churn_core.workspace import (
    Workspace,
    describe_workspace,
    find_model_in_use,
    get_model_in_use,
    keep_read_table,
    load_registered_model,
    open_workspace,
    register_model,
    remember_in_use,
    save_at_risk_list,
    use_model,
)

#: Rows of the written list that get reasons unless --reasons says otherwise.
REASON_ROWS = 10_000
EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m churn_core",
        description="Churn Workbench engine: profile, train, score, segments, KPIs, sample data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    profile = commands.add_parser(
        "profile", help="detect column roles and list every problem (JSON on stdout)"
    )
    profile.add_argument("file", help="CSV, TSV, semicolon/pipe-separated text, or XLSX")
    _add_table_options(profile)
    profile.set_defaults(run=_run_profile)

    train = commands.add_parser(
        "train", help="train and evaluate a churn model; writes a bundle, prints its card (JSON)"
    )
    train.add_argument("file", help="customer file with a churn label")
    _add_table_options(train)
    train.add_argument(
        "--out", help="bundle folder (default: models/<file name>, unless kept in a workspace)"
    )
    train.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    _add_db_option(train, "keep the file and the model in the workspace database")
    _add_log_options(train, triggers=True)
    train.set_defaults(run=_run_train)

    score = commands.add_parser("score", help="write the at-risk list, ranked")
    score.add_argument("file", help="customers to score: CSV or Parquet of any size (streamed)")
    score.add_argument(
        "--model",
        help="bundle folder written by train (default with --db: the "
        "workspace's model in use for this kind of file)",
    )
    _add_db_option(score, "score with the workspace's model in use and keep the list there")
    score.add_argument(
        "--out",
        help="CSV to write (default: stdout); a .parquet name writes Parquet, a .xlsx name the "
        "hand-over workbook",
    )
    score.add_argument("--top", type=int, help="keep only the first N of the ranked list")
    score.add_argument("--band", nargs="+", choices=RISK_BANDS, help="keep only these risk bands")
    score.add_argument("--carry", nargs="+", default=[], metavar="COL", help="your columns to add")
    score.add_argument("--currency", help="currency of the amounts, e.g. EUR (the .xlsx shows it)")
    score.add_argument("--id", dest="id_column", help="the customer id column")
    score.add_argument(
        "--reasons",
        type=int,
        default=REASON_ROWS,
        metavar="N",
        help=f"give reasons and an action to the first N rows written (default {REASON_ROWS:,}; "
        "0 for none: explaining costs up to ~0.5 ms a customer)",
    )
    score.add_argument(
        "--include-left",
        action="store_true",
        help="keep customers whose churn label says they already left (left out by default)",
    )
    score.add_argument(
        "--engine",
        choices=["local", "spark"],
        default="local",
        help="local: this machine, in flat memory (default); spark: a Spark cluster "
        "(pip install pyspark; see README, When one machine is not enough)",
    )
    score.add_argument("--master", help="Spark master URL for --engine spark (e.g. local[4])")
    score.set_defaults(run=_run_score)

    segments = commands.add_parser("segments", help="write each customer's segment (CSV)")
    segments.add_argument("file", help="customer file")
    segments.add_argument("--k", default="auto", help="number of segments, 2-10, or auto")
    segments.add_argument("--out", help="CSV to write (default: stdout)")
    segments.set_defaults(run=_run_segments)
    kpis = commands.add_parser(
        "kpis", help="retention, lifetime, CLV and revenue at risk (JSON on stdout)"
    )
    kpis.add_argument("file", help="customer file with tenure (or signup date) and churn label")
    kpis.add_argument("--model", help="bundle folder: churn probabilities for revenue at risk")
    _add_table_options(kpis)
    kpis.add_argument(
        "--tenure-unit",
        choices=list(UNIT_MONTHS),
        help="what the tenure column counts (default: what its name says; else whole numbers "
        "up to 15 are years, anything else months)",
    )
    _add_log_options(kpis)
    kpis.set_defaults(run=_run_kpis)
    _add_clv_command(commands)

    workspace = commands.add_parser("workspace", help="what the workspace database keeps")
    workspace.add_argument(
        "action",
        choices=["list", "use"],
        help="list: JSON of what is kept; use: put model MODEL_ID in use for its kind of data",
    )
    workspace.add_argument("model_id", nargs="?", type=int, metavar="MODEL_ID")
    _add_db_option(workspace, "the workspace database")
    workspace.set_defaults(run=_run_workspace)

    explain = commands.add_parser(
        "explain", help="probability, reasons and the smallest allowed lever move (JSON)"
    )
    explain.add_argument("file", help="customers to explain")
    explain.add_argument("--model", required=True, help="bundle folder written by train")
    explain.add_argument("--id", dest="ids", nargs="+", metavar="ID", help="customers to explain")
    explain.add_argument(
        "--top", type=int, help="the N riskiest customers still with you (default 10)"
    )
    explain.set_defaults(run=_run_explain)

    sample = commands.add_parser("sample", help="write synthetic customers like the bundled sample")
    sample.add_argument(
        "--kind",
        choices=["customers", "log"],
        default="customers",
        help="customers (one row each, default) or log (their activity, one row per event)",
    )
    sample.add_argument(
        "--rows", type=int, help="number of customers (default 5000; 1000 for a log)"
    )
    sample.add_argument("--seed", type=int, help="random seed (default 7; 11 for a log)")
    sample.add_argument("--out", required=True, help="CSV file to write")
    sample.set_defaults(run=_run_sample)
    _add_monitoring_commands(commands)

    rollup = commands.add_parser(
        "rollup", help="roll a purchase or event log up to one row per customer (CSV)"
    )
    rollup.add_argument("file", help="the log: many dated rows per customer")
    rollup.add_argument(
        "--cutoff",
        help="use only what happened before this day, YYYY-MM-DD (default: the whole log); "
        "when the log goes on for a churn window after it, who churned is added",
    )
    rollup.add_argument("--out", required=True, help="CSV file to write")
    rollup.add_argument("--sheet", help="sheet of an Excel workbook (default: the first)")
    _add_log_options(rollup)
    rollup.set_defaults(run=_run_rollup)
    return parser


def _add_log_options(command: argparse.ArgumentParser, *, triggers: bool = False) -> None:
    """How churn is defined on a log: the window, and (to train) trigger events."""
    command.add_argument(
        "--window",
        type=int,
        metavar="DAYS",
        help="for a log: days without activity that make a customer churned (default: from "
        "the log's own rhythm)",
    )
    if triggers:
        command.add_argument(
            "--trigger",
            action="append",
            default=[],
            metavar="EVENT",
            help="for an event log: an event type that means churned when it happens in the "
            "window, e.g. Cancel (repeat for several)",
        )


def _add_table_options(command: argparse.ArgumentParser) -> None:
    """How to read a customer table: which sheet, and the label and id if detection errs."""
    command.add_argument("--sheet", help="sheet of an Excel workbook (default: the first)")
    command.add_argument("--target", help="the churn label column, if detection picks wrong")
    command.add_argument("--id", dest="id_column", help="the customer id column")


def _add_db_option(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--db",
        nargs="?",
        const="",
        metavar="URL",
        help=f"{what}: URL, or none for DATABASE_URL (else the local workspace/ file); "
        "DATABASE_URL alone also turns this on",
    )


def _open_workspace(args: argparse.Namespace) -> Workspace | None:
    """The workspace ``--db`` (or ``DATABASE_URL``) names; None when neither is given."""
    if args.db is None and not os.environ.get("DATABASE_URL"):
        return None
    return open_workspace(args.db or None)


def _write_csv(frame: pd.DataFrame, out: str | None) -> None:
    """The table as the app's CSV download: to ``out``, or to stdout without one."""
    data = to_csv_bytes(frame)
    if out:
        Path(out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except ChurnDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as error:  # argument checks in the engine, e.g. sample --rows 3
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # last resort: a readable line, never a traceback
        if os.environ.get("CHURN_DEBUG"):
            raise
        print(
            f"error: unexpected {type(error).__name__}: {error}. Set CHURN_DEBUG=1 to see "
            "details, and please report it.",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def _profile(args: argparse.Namespace) -> tuple[Table, Profile]:
    table = read_table(args.file, sheet=args.sheet, max_mb=None)
    roles: dict[str, Role] = {}
    for column, role in ((args.target, Role.LABEL), (args.id_column, Role.ID)):
        if column is None:
            continue
        if column not in table.frame.columns:
            raise ChurnDataError([_no_such_column(column, list(table.frame.columns))])
        roles[column] = role
    log_roles = {args.id_column: "customer"} if args.id_column in roles else None
    profile = profile_table(table.frame, roles=roles, warnings=table.warnings, log_roles=log_roles)
    return table, profile


def _run_train(args: argparse.Namespace) -> int:
    table, profile = _profile(args)
    if profile.problems:
        raise ChurnDataError([_for_command_line(p) for p in profile.problems])
    workspace = _open_workspace(args)
    raw = Path(args.file).read_bytes() if workspace else b""
    dataset = keep_read_table(workspace, raw, table, profile) if workspace else None
    if profile.is_log:
        activity = prepare_activity(table.frame, profile)
        definition = define_churn(activity, args.window, args.trigger)
        print(
            f"{definition.describe()} Why {definition.window_days} days: {definition.reason}",
            file=sys.stderr,
        )
        model = fit_log_model(activity, definition, seed=args.seed)
    else:
        model = fit_churn_model(table.frame, profile, seed=args.seed)
    model.card["data"]["name"] = table.name
    out = Path(args.out) if args.out else None
    if out is None and workspace is None:
        out = Path("models") / Path(args.file).stem
    if out is not None:
        save_model(model, out)
    kept, said = _keep_model(workspace, dataset.id, model) if workspace and dataset else ({}, "")
    _print_json({"bundle": str(out) if out else None, **kept, **model.card})
    metrics = model.card["metrics"]
    print(
        f"trained {model.name}: held-out ROC-AUC {metrics['roc_auc']:.3f}"
        + (f"; wrote {out}" if out else "")
        + said,
        file=sys.stderr,
    )
    return 0


def _keep_model(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> tuple[dict[str, Any], str]:
    """Keep the model in the workspace: what to print (JSON) and to say about it."""
    kept = register_model(workspace, model, dataset_id)
    if kept.in_use:
        remember_in_use(workspace, dataset_id=dataset_id, model_id=kept.id)
        said = f"; kept as model {kept.id}, in use"
    else:
        in_use = get_model_in_use(workspace, kept.kind)
        said = (
            f"; kept as model {kept.id}; model {in_use.id if in_use else '?'} stays in use "
            f"(compare them on the Workspace page; switch with: python -m churn_core workspace "
            f"use {kept.id})"
        )
    ids = {"dataset_id": dataset_id, "model_id": kept.id, "in_use": kept.in_use}
    return {"workspace": {"database": workspace.database, **ids}}, said


def _run_score(args: argparse.Namespace) -> int:
    workspace = _open_workspace(args)
    model, model_id = _model_to_score_with(args, workspace)
    if is_log_model(model):
        return _score_log(args, model)
    whole = _needs_whole_list(args, workspace)
    if whole and args.engine == "spark":
        message = f"--engine spark streams the list as CSV or Parquet; {whole} need it whole."
        fix = "Drop --engine spark (one machine reads the file in chunks), or drop those options."
        raise ChurnDataError([Problem(message, fix=fix, code="spark_options")])
    if whole:
        return _score_in_memory(args, model, model_id, workspace)
    reasons = max(args.reasons, 0) if args.top is None else min(max(args.reasons, 0), args.top)
    if args.engine == "spark":
        from churn_core.risk.spark import score_with_spark

        ranked = score_with_spark(
            args.file,
            model,
            args.out,
            master=args.master,
            id_column=args.id_column,
            include_left=args.include_left,
            top=args.top,
            reasons=reasons,
        )
    else:
        ranked = rank_file(
            args.file,
            model,
            id_column=args.id_column,
            include_left=args.include_left,
            explain_top=reasons,
        )
        explainer = ChurnExplainer(model) if ranked.explained else None
        write_at_risk_list(ranked, model, args.out or sys.stdout.buffer, explainer, top=args.top)
    listed = ranked.listed if args.top is None else min(ranked.listed, args.top)
    total = ranked.listed + ranked.left_out
    _say_scored(args, ranked, total, listed, ranked.summary(), ranked.explained)
    return 0


def _needs_whole_list(args: argparse.Namespace, workspace: Workspace | None) -> str:
    """The options (in words) that need the whole list in memory, else "" (it is streamed)."""
    options = [
        "--band" if args.band else "",
        "--carry" if args.carry else "",
        "--db" if workspace is not None else "",
        "an .xlsx --out" if args.out and Path(args.out).suffix.lower() == ".xlsx" else "",
    ]
    return " and ".join(o for o in options if o)


def _score_in_memory(
    args: argparse.Namespace, model: ChurnModel, model_id: int | None, workspace: Workspace | None
) -> int:
    """The list held whole: filtered by band, with the user's own columns, as the hand-over
    workbook, or kept in the workspace."""
    scored = score_file(args.file, model, id_column=args.id_column, include_left=args.include_left)
    keep = select_rows(scored, bands=args.band, top=args.top)
    rows = keep & (np.cumsum(keep) <= max(args.reasons, 0))
    if rows.any():
        scored = add_reasons_from_file(scored, args.file, ChurnExplainer(model), rows=rows)
    if args.carry:
        scored = carry_columns_from_file(scored, args.file, args.carry)
    listed = rerank(scored.frame[keep])
    if args.out and Path(args.out).suffix.lower() == ".xlsx":
        facts = get_handover_facts(
            model,
            scored,
            listed,
            data_name=Path(args.file).name,
            currency=args.currency,
            filters=describe_filters(args.band, None, args.top),
        )
        Path(args.out).write_bytes(to_handover_workbook(listed, facts))
    elif args.out and Path(args.out).suffix.lower() == ".parquet":
        write_parquet([listed], args.out)
    else:
        _write_csv(listed, args.out)
    if workspace is not None:
        kept = save_at_risk_list(
            workspace,
            scored,
            policy=Policy(),
            model_id=model_id,
            data_name=Path(args.file).name,
            rows=listed,
        )
        print(f"kept the list as list {kept.id} in the workspace", file=sys.stderr)
    total = len(scored.frame) + scored.left_out
    _say_scored(args, scored, total, len(listed), scored.flagging.summary(), int(rows.sum()))
    return 0


def _say_scored(
    args: argparse.Namespace, scored: Any, total: int, listed: int, flagged: str, explained: int
) -> None:
    """Warnings, who was left out, and one line of what was scored and written (stderr)."""
    for warning in scored.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if scored.left_out:
        print(f"{scored.describe_left_out()} (--include-left keeps them)", file=sys.stderr)
    print(
        f"scored {total:,} customers; listed {listed:,}; {flagged}; reasons for the first "
        f"{explained:,}" + (f"; wrote {args.out}" if args.out else ""),
        file=sys.stderr,
    )


def _model_to_score_with(
    args: argparse.Namespace, workspace: Workspace | None
) -> tuple[ChurnModel, int | None]:
    """``--model``'s bundle, else the workspace's model in use for this kind of file (with its
    id in the workspace)."""
    if args.model:
        return load_model(args.model), None
    if workspace is None:
        fix = "Give --model DIR (written by train), or --db to use the workspace's model in use."
        raise ChurnDataError([Problem("No model to score with.", fix=fix, code="no_model")])
    columns = next(iter_table_chunks(args.file, 1000)).columns
    record = find_model_in_use(workspace, [str(c) for c in columns])
    if record is None:
        message = (
            f"No model in use in the workspace ({workspace.database}) fits the columns of "
            f"{Path(args.file).name}."
        )
        fix = "Train one with: python -m churn_core train FILE --db, or give --model DIR."
        raise ChurnDataError([Problem(message, fix=fix, code="no_model")])
    return load_registered_model(workspace, record.id), record.id


def _run_workspace(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.db or None)
    if args.action == "use":
        if args.model_id is None:
            raise ValueError("workspace use needs the MODEL_ID to put in use.")
        _print_json(asdict(use_model(workspace, args.model_id)))
    else:
        _print_json(describe_workspace(workspace))
    return 0


def _run_segments(args: argparse.Namespace) -> int:
    table = read_table(args.file, max_mb=None)
    profile = profile_table(table.frame, warnings=table.warnings)
    frame, numeric = table.frame, None
    if profile.is_log:  # segments of customers (recency, frequency, money, tenure), never lines
        customers = get_customer_table(prepare_activity(frame, profile))
        frame, profile, numeric = customers.frame, customers.profile, customers.segment_columns
    found = fit_segments(frame, profile, numeric=numeric, k=args.k)
    _write_csv(found.get_assignments(frame, profile.id_column), args.out)
    for warning in found.warnings_:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{found.k_} segments: {'; '.join(found.names_)}", file=sys.stderr)
    if found.k_choice_ is not None:
        print(f"why: {found.k_choice_.reason}", file=sys.stderr)
    return 0


def _run_kpis(args: argparse.Namespace) -> int:
    from churn_core.kpis import get_retention_kpis

    model = load_model(args.model) if args.model else None
    table, profile = _profile(args)
    if profile.is_log:
        return _log_kpis(args, table, profile, model)
    try:
        kpis, warnings = get_retention_kpis(
            table.frame, profile, model=model, tenure_unit=args.tenure_unit
        )
    except ChurnDataError as error:
        raise ChurnDataError([_for_command_line(p) for p in error.problems]) from None
    _print_json({"file": table.name, **kpis.to_dict()})
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _run_explain(args: argparse.Namespace) -> int:
    from churn_core.explain.advice import advise_customers
    from churn_core.model import check_columns
    from churn_core.risk import score_customers

    model = load_model(args.model)
    frame = read_table(args.file, max_mb=None).frame
    check_columns(model, frame)
    scores = score_customers(model, frame)
    ids = np.array([str(i) for i in scores.ids], dtype=object)
    if args.ids:
        missing = [i for i in args.ids if i not in set(ids)]
        if missing:
            raise ChurnDataError([_no_such_customer(missing, scores.id_name)])
        rows = np.concatenate([np.flatnonzero(ids == i)[:1] for i in args.ids])
    else:
        order = np.argsort(-scores.p, kind="stable")
        rows = order[~scores.left[order]][: args.top if args.top is not None else 10]
    advice = advise_customers(
        ChurnExplainer(model), frame.iloc[rows], scores.ids[rows].tolist(), cutoff=model.threshold
    )
    json.dump([a.to_dict() for a in advice], sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


def _no_such_customer(missing: list[str], id_name: str) -> Problem:
    return Problem(
        f"No customer with {id_name} {', '.join(missing[:5])} in this file.",
        fix=f"Check the ids against the file's {id_name} column.",
        code="no_such_customer",
    )


# --- clv: BG/NBD + Gamma-Gamma on a purchase log -------------------------------------------


def _add_clv_command(commands: Any) -> None:
    from churn_core.survival import ClvAssumptions

    default = ClvAssumptions()
    clv = commands.add_parser(
        "clv", help="what each customer of a purchase log is worth: BG/NBD + Gamma-Gamma (JSON)"
    )
    clv.add_argument(
        "file",
        help="purchase or event log: one row per purchase or event (columns detected, or named "
        "with --customer, --date and --amount)",
    )
    clv.add_argument(
        "--calibration-end", metavar="DATE", help="last day to learn from (default: the last date)"
    )
    clv.add_argument(
        "--holdout-end", metavar="DATE", help="check predictions against purchases up to this day"
    )
    clv.add_argument("--out", metavar="CUSTOMERS.csv", help="write per-customer figures here")
    clv.add_argument("--sheet", help="sheet of an Excel workbook (default: the first)")
    for name in ("customer", "date", "amount"):
        clv.add_argument(
            f"--{name}", metavar="COLUMN", help=f"the {name} column (default: detected if obvious)"
        )
    clv.add_argument(
        "--margin",
        type=float,
        default=default.margin,
        help=f"share of spend kept as profit ({default.margin})",
    )
    clv.add_argument(
        "--discount-rate",
        type=float,
        default=default.annual_discount_rate,
        help=f"annual discount rate, 0.1 = 10%% a year ({default.annual_discount_rate})",
    )
    clv.add_argument(
        "--horizon",
        type=int,
        default=default.horizon_months,
        metavar="MONTHS",
        help=f"how far ahead ({default.horizon_months})",
    )
    clv.set_defaults(run=_run_clv)


def _run_clv(args: argparse.Namespace) -> int:
    from churn_core.btyd import fit_btyd, summarize_purchases
    from churn_core.survival import ClvAssumptions

    table = read_table(args.file, sheet=args.sheet, max_mb=None)
    frame = table.frame
    assumptions = ClvAssumptions(args.margin, args.discount_rate, args.horizon)
    if all(getattr(args, role) is None for role in ("customer", "date", "amount")):
        profile = profile_table(frame, warnings=table.warnings)
        if profile.is_log:  # a log as it is: its own roles say which column is which
            return _log_clv(args, frame, profile, assumptions)
    names = [str(c) for c in frame.columns]
    lower = {c: c.lower().replace(" ", "_") for c in names}
    guesses = {
        "customer": [c for c in names if "customer" in lower[c] or lower[c] in {"id", "client"}],
        "date": [c for c in names if pd.api.types.is_datetime64_any_dtype(frame[c])],
        "amount": [
            c
            for c in names
            if pd.api.types.is_numeric_dtype(frame[c])
            and any(
                w in lower[c] for w in ("amount", "value", "revenue", "spend", "sales", "total")
            )
        ],
    }
    chosen, problems = {}, []
    for role, found in guesses.items():
        given = getattr(args, role)
        if given is not None and given not in frame.columns:
            problems.append(_no_such_column(given, names))
        elif given is None and len(found) != 1:
            which = f"found {', '.join(found)}" if found else "found none"
            problems.append(
                Problem(
                    f"Cannot tell which column holds the purchase {role}: {which}.",
                    fix=f"Name it with --{role} COLUMN.",
                    code=f"no_{role}_column",
                )
            )
        chosen[role] = given if given is not None else (found[0] if found else "")
    if problems:
        raise ChurnDataError(problems)
    summary = summarize_purchases(
        frame,
        chosen["customer"],
        chosen["date"],
        chosen["amount"],
        calibration_end=args.calibration_end,
        holdout_end=args.holdout_end,
    )
    return _print_clv(args, chosen, fit_btyd(summary, assumptions))


def _log_clv(
    args: argparse.Namespace, frame: pd.DataFrame, profile: Profile, assumptions: Any
) -> int:
    """``clv`` on a log with no column named: its log roles give the customer, the date and
    the money (an amount, else quantity x unit price); cancellations are not purchases."""
    from churn_core.logs import fit_activity_btyd, get_amount_name

    if profile.problems:
        raise ChurnDataError([_for_command_line(p) for p in profile.problems])
    activity = prepare_activity(frame, profile)
    forecast = fit_activity_btyd(
        activity,
        assumptions,
        calibration_end=args.calibration_end,
        holdout_end=args.holdout_end,
    )
    columns = {
        "customer": activity.customer_column,
        "date": activity.roles.timestamp,
        "amount": get_amount_name(activity),
    }
    return _print_clv(args, columns, forecast, shape=activity.shape)


def _print_clv(
    args: argparse.Namespace,
    columns: dict[str, str | None],
    forecast: Any,
    *,
    shape: str | None = None,
) -> int:
    summary = forecast.purchases
    shown = {"shape": shape} if shape else {}
    _print_json({"file": Path(args.file).name, **shown, "columns": columns, **forecast.to_dict()})
    if args.out:
        figures = [
            col.FREQUENCY,
            col.RECENCY_WEEKS,
            col.AGE_WEEKS,
            col.P_ALIVE,
            col.EXPECTED_PURCHASES_90D,
            col.EXPECTED_DAYS_TO_NEXT_PURCHASE,
            col.EXPECTED_SPEND,
            col.CLV,
        ]
        _write_csv(forecast.customers[[summary.id_column, *figures]], args.out)
    for warning in forecast.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    models = "BG/NBD and Gamma-Gamma" if forecast.gamma_gamma is not None else "BG/NBD"
    print(
        f"fitted {models} on {len(summary.customers):,} customers "
        f"({summary.repeat_customers:,} bought again)"
        + (f"; wrote {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    return 0


def _run_profile(args: argparse.Namespace) -> int:
    table, profile = _profile(args)
    _print_json({"file": table.name, **profile.to_dict()})
    if profile.problems:
        problems = [_for_command_line(p) for p in profile.problems]
        print(f"error: {ChurnDataError(problems)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


#: Fixes that point to the app's Data page, said the command line's way.
_COMMAND_LINE_FIXES = {
    "no_label": "Name the column that says who left with --target COLUMN.",
    "duplicate_ids": "Remove the duplicate rows so there is one row per customer, or name "
    "another id column with --id COLUMN.",
    "no_features": "Add columns that describe customers (plan, usage, charges, tenure...).",
    "no_durations": "Add a tenure column (months as a customer) or a signup date to the file.",
    "no_events": "Name the column that says who left with --target COLUMN.",
}


def _for_command_line(problem: Problem) -> Problem:
    fix = _COMMAND_LINE_FIXES.get(problem.code)
    return replace(problem, fix=fix) if fix else problem


def _run_sample(args: argparse.Namespace) -> int:
    if args.kind == "log":
        rows, seed = args.rows or 1000, 11 if args.seed is None else args.seed
        path = write_activity_log(args.out, customers=rows, seed=seed)
        print(f"wrote the activity of {rows:,} customers to {path}", file=sys.stderr)
        return 0
    rows, seed = args.rows or 5000, 7 if args.seed is None else args.seed
    path = write_customers(args.out, rows=rows, seed=seed)
    print(f"wrote {rows:,} customers to {path}", file=sys.stderr)
    return 0


def _no_such_column(column: str, columns: list[str]) -> Problem:
    shown = ", ".join(columns[:20]) + (
        f" and {len(columns) - 20} more" if len(columns) > 20 else ""
    )
    return Problem(
        f'There is no column "{column}"; the columns are: {shown}.',
        fix="Check the spelling (it is case-sensitive).",
        code="no_such_column",
    )


def _print_json(payload: dict[str, Any]) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


# --- The monthly loop (churn_core.monitoring): drift and outcomes.


def _add_monitoring_commands(commands: Any) -> None:
    drift = commands.add_parser(
        "drift", help="per-column drift of a new file against a reference one (JSON on stdout)"
    )
    drift.add_argument("reference", help="the reference file, e.g. the model's training data")
    drift.add_argument("new", help="the new file, e.g. this month's customers")
    drift.add_argument("--model", help="bundle folder: its columns, importance, predicted churn")
    drift.set_defaults(run=_run_drift)
    outcomes = commands.add_parser(
        "outcomes", help="what happened to a delivered at-risk list (JSON on stdout)"
    )
    outcomes.add_argument("list", help="the at-risk list as delivered (CSV written by score)")
    outcomes.add_argument("outcomes", help="a later file with a churn label, or next month's file")
    outcomes.add_argument("--id", dest="id_column", help="the customer id column of both files")
    outcomes.add_argument("--label", help="the later file's churn label column")
    outcomes.add_argument("--churned-value", help="the label value that means the customer left")
    outcomes.add_argument(
        "--missing-left",
        action="store_true",
        help="count listed customers missing from the later file as left",
    )
    outcomes.set_defaults(run=_run_outcomes)


def _run_drift(args: argparse.Namespace) -> int:
    from churn_core.monitoring import get_drift

    model = load_model(args.model) if args.model else None
    reference = read_table(args.reference, max_mb=None)
    new = read_table(args.new, max_mb=None)
    report = get_drift(
        reference.frame,
        new.frame,
        model=model,
        reference_name="the reference file",
        new_name="the new file",
    )
    _print_json({"reference": reference.name, "new": new.name, **report.to_dict()})
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 0


def _run_outcomes(args: argparse.Namespace) -> int:
    from churn_core.monitoring import check_list

    listed = read_table(args.list, max_mb=None)
    later = read_table(args.outcomes, max_mb=None)
    record = check_list(
        listed.frame,
        later.frame,
        id_column=args.id_column,
        label=args.label,
        churned_value=args.churned_value,
        missing_means_left=args.missing_left,
        later_name="the outcomes file",
    )
    _print_json({"list": listed.name, "outcomes": later.name, **record.to_dict()})
    for warning in record.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(record.summary(), file=sys.stderr)
    return 0


# --- Logs: purchase and event logs rolled up to customers (churn_core.logs). ---


def _run_rollup(args: argparse.Namespace) -> int:
    table = read_table(args.file, sheet=args.sheet, max_mb=None)
    profile = profile_table(table.frame, warnings=table.warnings)
    if profile.problems or not profile.is_log:
        problems = profile.problems or [
            Problem(
                f"{table.name} has one row per customer, not a log of purchases or events, so "
                "there is nothing to roll up.",
                fix="Give a log: many dated rows per customer.",
                code="not_a_log",
            )
        ]
        raise ChurnDataError([_for_command_line(p) for p in problems])
    activity = prepare_activity(table.frame, profile)
    last = pd.Timestamp(activity.last_date)
    cutoff = _parse_day(args.cutoff) if args.cutoff else last + pd.Timedelta(days=1)
    frame = roll_up(activity, cutoff.date())
    window = args.window or suggest_window(activity)[0]
    said = ""
    if cutoff + pd.Timedelta(days=window - 1) <= last:  # the whole window after it is known
        active, churned = label_customers(activity, cutoff.date(), window)
        frame[col.CHURNED_IN_WINDOW] = np.where(active, np.where(churned, "Yes", "No"), "")
        said = (
            f"; {col.CHURNED_IN_WINDOW} = no activity in the {window} days from "
            f"{cutoff:%Y-%m-%d} (blank for the {int((~active).sum()):,} already silent for "
            f"{window} days before it)"
        )
    _write_csv(frame, args.out)
    print(
        f"rolled {activity.rows:,} rows up to {len(frame):,} customers with activity before "
        f"{cutoff:%Y-%m-%d}{said}; wrote {args.out}",
        file=sys.stderr,
    )
    return 0


def _parse_day(text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(text).normalize()
    except ValueError:
        raise ChurnDataError(
            [Problem(f'"{text}" is not a date.', fix="Write it as YYYY-MM-DD.", code="bad_date")]
        ) from None


def _score_log(args: argparse.Namespace, model: Any) -> int:
    table = read_table(args.file, max_mb=None)
    scored = score_log(prepare_for_model(table.frame, model), model)
    at_risk = scored.at_risk
    written = len(at_risk.frame) if args.top is None else min(args.top, len(at_risk.frame))
    explained = min(written, max(args.reasons, 0))
    if explained:
        rows = np.arange(len(at_risk.frame)) < explained
        at_risk = add_reasons(at_risk, scored.customers.frame, ChurnExplainer(model), rows=rows)
    _write_csv(at_risk.frame if args.top is None else at_risk.top(args.top), args.out)
    for warning in at_risk.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"scored {scored.describe()} {at_risk.flagging.summary()}; reasons for the first "
        f"{explained:,}" + (f"; wrote {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    return 0


def _log_kpis(args: argparse.Namespace, table: Table, profile: Profile, model: Any) -> int:
    from churn_core.kpis import get_log_kpis

    activity = prepare_activity(table.frame, profile)
    kpis, warnings = get_log_kpis(activity, model=model, window_days=args.window)
    _print_json({"file": table.name, "shape": profile.shape, **kpis.to_dict()})
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
