"""The rollup command: a purchase or event log rolled up to customers."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.cli.options import add_log_options, for_command_line, parse_day, write_table
from churn_core.errors import ChurnDataError, Problem
from churn_core.io import read_table
from churn_core.logs import label_customers, prepare_activity, roll_up, suggest_window
from churn_core.schema import profile_table


def add_commands(commands: Any) -> None:
    """Add rollup to the command line."""
    rollup = commands.add_parser(
        "rollup", help="roll a purchase or event log up to one row per customer (CSV)"
    )
    rollup.add_argument("file", help="the log: many dated rows per customer")
    rollup.add_argument(
        "--cutoff",
        help="use only what happened before this day, YYYY-MM-DD (default: the whole log); "
        "when the log goes on for a churn window after it, who churned is added",
    )
    rollup.add_argument("--out", required=True, help="CSV to write (or .parquet, .xlsx)")
    rollup.add_argument("--sheet", help="sheet of an Excel workbook (default: the first)")
    add_log_options(rollup)
    rollup.set_defaults(run=_run_rollup)


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
        raise ChurnDataError([for_command_line(p) for p in problems])
    activity = prepare_activity(table.frame, profile)
    last = pd.Timestamp(activity.last_date)
    cutoff = parse_day(args.cutoff) if args.cutoff else last + pd.Timedelta(days=1)
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
    write_table(frame, args.out)
    print(
        f"rolled {activity.rows:,} rows up to {len(frame):,} customers with activity before "
        f"{cutoff:%Y-%m-%d}{said}; wrote {args.out}",
        file=sys.stderr,
    )
    return 0
