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
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from churn_core.datasets import write_customers
from churn_core.errors import ChurnDataError, Problem
from churn_core.explain import ChurnExplainer
from churn_core.io import Table, read_table, to_csv_bytes
from churn_core.model import fit_churn_model, load_model, save_model
from churn_core.risk import rank_file, write_at_risk_list
from churn_core.schema import Profile, Role, profile_table
from churn_core.segments import fit_segments
from churn_core.survival import UNIT_MONTHS

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
    train.add_argument("--out", help="bundle folder (default: models/<file name>)")
    train.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    train.set_defaults(run=_run_train)

    score = commands.add_parser("score", help="write the at-risk list (CSV or Parquet), ranked")
    score.add_argument("file", help="customers to score: CSV or Parquet of any size (streamed)")
    score.add_argument("--model", required=True, help="bundle folder written by train")
    score.add_argument("--out", help="CSV to write, or a .parquet file (default: CSV on stdout)")
    score.add_argument("--top", type=int, help="keep only the first N of the ranked list")
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
    kpis.set_defaults(run=_run_kpis)

    sample = commands.add_parser("sample", help="write synthetic customers like the bundled sample")
    sample.add_argument("--rows", type=int, default=5000, help="number of customers (default 5000)")
    sample.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    sample.add_argument("--out", required=True, help="CSV file to write")
    sample.set_defaults(run=_run_sample)
    return parser


def _add_table_options(command: argparse.ArgumentParser) -> None:
    """How to read a customer table: which sheet, and the label and id if detection errs."""
    command.add_argument("--sheet", help="sheet of an Excel workbook (default: the first)")
    command.add_argument("--target", help="the churn label column, if detection picks wrong")
    command.add_argument("--id", dest="id_column", help="the customer id column")


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
    return table, profile_table(table.frame, roles=roles, warnings=table.warnings)


def _run_train(args: argparse.Namespace) -> int:
    table, profile = _profile(args)
    if profile.problems:
        raise ChurnDataError([_for_command_line(p) for p in profile.problems])
    model = fit_churn_model(table.frame, profile, seed=args.seed)
    out = Path(args.out) if args.out else Path("models") / Path(args.file).stem
    save_model(model, out)
    _print_json({"bundle": str(out), **model.card})
    metrics = model.card["metrics"]
    print(
        f"trained {model.name}: held-out ROC-AUC {metrics['roc_auc']:.3f}; wrote {out}",
        file=sys.stderr,
    )
    return 0


def _run_score(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    reasons = max(args.reasons, 0) if args.top is None else min(max(args.reasons, 0), args.top)
    if args.engine == "spark":
        from churn_core.risk.spark import score_with_spark

        scored = score_with_spark(
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
        scored = ranked
    for warning in scored.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if scored.left_out:
        print(f"{scored.describe_left_out()} (--include-left keeps them)", file=sys.stderr)
    print(
        f"scored {scored.listed + scored.left_out:,} customers; listed {scored.listed:,}; "
        f"{scored.summary()}; reasons for the first {scored.explained:,}"
        + (f"; wrote {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    return 0


def _run_segments(args: argparse.Namespace) -> int:
    table = read_table(args.file, max_mb=None)
    profile = profile_table(table.frame, warnings=table.warnings)
    found = fit_segments(table.frame, profile, k=args.k)
    _write_csv(found.get_assignments(table.frame, profile.id_column), args.out)
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
    path = write_customers(args.out, rows=args.rows, seed=args.seed)
    print(f"wrote {args.rows:,} customers to {path}", file=sys.stderr)
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
