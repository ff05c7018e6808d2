"""The score command: the at-risk list, streamed (or held whole, or by Spark)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from churn_core.cli.options import add_db_option, open_db, write_table
from churn_core.columns import RISK_BANDS
from churn_core.errors import ChurnDataError, Problem
from churn_core.explain import ChurnExplainer
from churn_core.io import iter_table_chunks, read_table
from churn_core.logs import is_log_model, prepare_for_model, score_log
from churn_core.model import ChurnModel, Policy, load_model
from churn_core.risk import (
    RankedFile,
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

if TYPE_CHECKING:  # the workspace is imported only with --db (see cli/options.py)
    from churn_core.workspace import Workspace

#: Rows of the written list that get reasons unless --reasons says otherwise.
REASON_ROWS = 10_000


def add_commands(commands: Any) -> None:
    """Add score to the command line."""
    score = commands.add_parser("score", help="write the at-risk list, ranked")
    score.add_argument("file", help="customers to score: CSV or Parquet of any size (streamed)")
    score.add_argument(
        "--model",
        help="bundle folder written by train (default with --db: the "
        "workspace's model in use for this kind of file)",
    )
    add_db_option(score, "score with the workspace's model in use and keep the list there")
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


def _run_score(args: argparse.Namespace) -> int:
    workspace = open_db(args)
    model, model_id = _model_to_score_with(args, workspace)
    if is_log_model(model):
        return _score_log(args, model)
    whole = _needs_whole_list(args, workspace)
    if whole and args.engine == "spark":
        need = "need" if " and " in whole else "needs"
        message = f"--engine spark streams the list as CSV or Parquet; {whole} {need} it whole."
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
        ranked = write_list(
            args.file,
            model,
            args.out,
            id_column=args.id_column,
            include_left=args.include_left,
            top=args.top,
            reasons=reasons,
        )
    listed = ranked.listed if args.top is None else min(ranked.listed, args.top)
    total = ranked.listed + ranked.left_out
    _say_scored(args, ranked, total, listed, ranked.summary(), ranked.explained)
    return 0


def write_list(
    file: str,
    model: ChurnModel,
    out: str | None,
    *,
    id_column: str | None = None,
    include_left: bool = False,
    top: int | None = None,
    reasons: int = REASON_ROWS,
) -> RankedFile:
    """The at-risk list of ``file``, streamed to ``out`` (CSV, or Parquet by its name; CSV on
    stdout without one), reasons for the first ``reasons`` rows."""
    ranked = rank_file(
        file, model, id_column=id_column, include_left=include_left, explain_top=reasons
    )
    explainer = ChurnExplainer(model) if ranked.explained else None
    write_at_risk_list(ranked, model, out or sys.stdout.buffer, explainer, top=top)
    return ranked


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
    else:
        write_table(listed, args.out)
    if workspace is not None:
        from churn_core.workspace import save_at_risk_list

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
    from churn_core.workspace import find_model_in_use, load_registered_model

    record = find_model_in_use(workspace, [str(c) for c in columns])
    if record is None:
        message = (
            f"No model in use in the workspace ({workspace.database}) fits the columns of "
            f"{Path(args.file).name}."
        )
        fix = "Train one with: python -m churn_core train FILE --db, or give --model DIR."
        raise ChurnDataError([Problem(message, fix=fix, code="no_model")])
    return load_registered_model(workspace, record.id), record.id


def _score_log(args: argparse.Namespace, model: Any) -> int:
    table = read_table(args.file, max_mb=None)
    scored = score_log(prepare_for_model(table.frame, model), model)
    at_risk = scored.at_risk
    written = len(at_risk.frame) if args.top is None else min(args.top, len(at_risk.frame))
    explained = min(written, max(args.reasons, 0))
    if explained:
        rows = np.arange(len(at_risk.frame)) < explained
        at_risk = add_reasons(at_risk, scored.customers.frame, ChurnExplainer(model), rows=rows)
    write_table(at_risk.frame if args.top is None else at_risk.top(args.top), args.out)
    for warning in at_risk.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"scored {scored.describe()} {at_risk.flagging.summary()}; reasons for the first "
        f"{explained:,}" + (f"; wrote {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    return 0
