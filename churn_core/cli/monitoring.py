"""The monthly loop's commands (churn_core.monitoring): drift and outcomes."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from churn_core.cli.options import for_command_line, print_json
from churn_core.errors import ChurnDataError
from churn_core.io import read_table
from churn_core.model import load_model


def add_commands(commands: Any) -> None:
    """Add drift and outcomes to the command line."""
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
    print_json({"reference": reference.name, "new": new.name, **report.to_dict()})
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 0


def _run_outcomes(args: argparse.Namespace) -> int:
    from churn_core.monitoring import check_list

    listed = read_table(args.list, max_mb=None)
    later = read_table(args.outcomes, max_mb=None)
    try:
        record = check_list(
            listed.frame,
            later.frame,
            id_column=args.id_column,
            label=args.label,
            churned_value=args.churned_value,
            missing_means_left=args.missing_left,
            later_name="the outcomes file",
        )
    except ChurnDataError as error:
        raise ChurnDataError([for_command_line(p) for p in error.problems]) from None
    print_json({"list": listed.name, "outcomes": later.name, **record.to_dict()})
    for warning in record.warnings:
        print(f"warning: {for_command_line(warning)}", file=sys.stderr)
    print(record.summary(), file=sys.stderr)
    return 0
