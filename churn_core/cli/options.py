"""Options and helpers every command shares: reading a table, the workspace, writing."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from churn_core.errors import ChurnDataError, Issue, Problem
from churn_core.io import Table, read_table, to_csv_bytes, to_xlsx_bytes, write_parquet
from churn_core.schema import Profile, Role, profile_table

if TYPE_CHECKING:
    from churn_core.workspace import Workspace


IssueT = TypeVar("IssueT", bound=Issue)

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def add_table_options(command: argparse.ArgumentParser) -> None:
    """How to read a customer table: which sheet, and the label and id if detection errs."""
    command.add_argument("--sheet", help="sheet of an Excel workbook (default: the first)")
    command.add_argument("--target", help="the churn label column, if detection picks wrong")
    command.add_argument("--id", dest="id_column", help="the customer id column")


def add_db_option(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--db",
        nargs="?",
        const="",
        metavar="URL",
        help=f"{what}: URL, or none for DATABASE_URL (else the local workspace/ file); "
        "DATABASE_URL alone also turns this on",
    )


def add_log_options(command: argparse.ArgumentParser, *, triggers: bool = False) -> None:
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


def open_db(args: argparse.Namespace) -> Workspace | None:
    """The workspace ``--db`` (or ``DATABASE_URL``) names; None when neither is given."""
    if args.db is None and not os.environ.get("DATABASE_URL"):
        return None
    # Imported here: SQLAlchemy takes a quarter second, and most commands never need it.
    from churn_core.workspace import open_workspace

    return open_workspace(args.db or None)


def read_profiled(args: argparse.Namespace) -> tuple[Table, Profile]:
    table = read_table(args.file, sheet=args.sheet, max_mb=None)
    roles: dict[str, Role] = {}
    for column, role in ((args.target, Role.LABEL), (args.id_column, Role.ID)):
        if column is None:
            continue
        if column not in table.frame.columns:
            raise ChurnDataError([no_such_column(column, list(table.frame.columns))])
        roles[column] = role
    log_roles = {args.id_column: "customer"} if args.id_column in roles else None
    profile = profile_table(table.frame, roles=roles, warnings=table.warnings, log_roles=log_roles)
    return table, profile


#: Fixes that point to the app's Data page, said the command line's way.
_COMMAND_LINE_FIXES = {
    "no_label": "Name the column that says who left with --target COLUMN.",
    "duplicate_ids": "Remove the duplicate rows so there is one row per customer, or name "
    "another id column with --id COLUMN.",
    "no_features": "Add columns that describe customers (plan, usage, charges, tenure...).",
    "no_durations": "Add a tenure column (months as a customer) or a signup date to the file.",
    "no_events": "Name the column that says who left with --target COLUMN.",
}


#: The option that does what an engine's fix asks, said after it on the command line.
_COMMAND_LINE_OPTIONS = {
    "label_guessed": "--churned-value VALUE",
    "outcome_label_unreadable": "--churned-value VALUE",
    "no_id_to_match": "--id COLUMN",
    "ids_match_none": "--id COLUMN",
    "label_not_named": "--label {column}",
    "missing_not_confirmed": "--missing-left, or --label COLUMN",
}


def for_command_line(problem: IssueT) -> IssueT:
    """An engine problem (or warning) with its fix said the command line's way."""
    fix = _COMMAND_LINE_FIXES.get(problem.code)
    if fix:
        return replace(problem, fix=fix)
    option = _COMMAND_LINE_OPTIONS.get(problem.code)
    if option and problem.fix:
        said = option.format(column=problem.column or "COLUMN")
        return replace(problem, fix=f"{problem.fix.rstrip('.')} ({said}).")
    return problem


def no_such_column(column: str, columns: list[str]) -> Problem:
    shown = ", ".join(columns[:20]) + (
        f" and {len(columns) - 20} more" if len(columns) > 20 else ""
    )
    return Problem(
        f'There is no column "{column}"; the columns are: {shown}.',
        fix="Check the spelling (it is case-sensitive).",
        code="no_such_column",
    )


def parse_day(text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(text).normalize()
    except ValueError:
        raise ChurnDataError(
            [Problem(f'"{text}" is not a date.', fix="Write it as YYYY-MM-DD.", code="bad_date")]
        ) from None


def write_table(frame: pd.DataFrame, out: str | None) -> None:
    """The table to ``out`` as its name says: Parquet (``.parquet``), an Excel workbook
    (``.xlsx``), else the app's CSV download; CSV on stdout without ``out``."""
    suffix = Path(out).suffix.lower() if out else ""
    if out and suffix == ".parquet":
        write_parquet([frame], out)
        return
    data = to_xlsx_bytes(frame) if suffix == ".xlsx" else to_csv_bytes(frame)
    if out:
        Path(out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


def print_json(payload: dict[str, Any]) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
