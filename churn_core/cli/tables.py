"""Commands on a customer table: profile, segments, kpis, sample."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from churn_core.cli.options import (
    EXIT_BAD_INPUT,
    add_log_options,
    add_table_options,
    for_command_line,
    print_json,
    read_profiled,
    write_table,
)
from churn_core.datasets import write_activity_log, write_customers
from churn_core.errors import ChurnDataError
from churn_core.io import Table, read_table
from churn_core.logs import get_customer_table, prepare_activity
from churn_core.model import load_model
from churn_core.schema import Profile, profile_table
from churn_core.segments import fit_segments
from churn_core.survival import UNIT_MONTHS


def add_commands(commands: Any) -> None:
    """Add profile, segments, kpis, sample to the command line."""
    profile = commands.add_parser(
        "profile", help="detect column roles and list every problem (JSON on stdout)"
    )
    profile.add_argument("file", help="CSV, TSV, semicolon/pipe-separated text, or XLSX")
    add_table_options(profile)
    profile.set_defaults(run=_run_profile)

    segments = commands.add_parser("segments", help="write each customer's segment (CSV)")
    segments.add_argument("file", help="customer file")
    segments.add_argument("--k", default="auto", help="number of segments, 2-10, or auto")
    segments.add_argument("--out", help="CSV to write, or .parquet, .xlsx (default: CSV on stdout)")
    segments.set_defaults(run=_run_segments)

    kpis = commands.add_parser(
        "kpis", help="retention, lifetime, CLV and revenue at risk (JSON on stdout)"
    )
    kpis.add_argument("file", help="customer file with tenure (or signup date) and churn label")
    kpis.add_argument("--model", help="bundle folder: churn probabilities for revenue at risk")
    add_table_options(kpis)
    kpis.add_argument(
        "--tenure-unit",
        choices=list(UNIT_MONTHS),
        help="what the tenure column counts (default: what its name says; else whole numbers "
        "up to 15 are years, anything else months)",
    )
    add_log_options(kpis)
    kpis.set_defaults(run=_run_kpis)

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


def _run_profile(args: argparse.Namespace) -> int:
    table, profile = read_profiled(args)
    print_json({"file": table.name, **profile.to_dict()})
    if profile.problems:
        problems = [for_command_line(p) for p in profile.problems]
        print(f"error: {ChurnDataError(problems)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _run_segments(args: argparse.Namespace) -> int:
    table = read_table(args.file, max_mb=None)
    profile = profile_table(table.frame, warnings=table.warnings)
    frame, numeric = table.frame, None
    if profile.is_log:  # segments of customers (recency, frequency, money, tenure), never lines
        customers = get_customer_table(prepare_activity(frame, profile))
        frame, profile, numeric = customers.frame, customers.profile, customers.segment_columns
    found = fit_segments(frame, profile, numeric=numeric, k=args.k)
    write_table(found.get_assignments(frame, profile.id_column), args.out)
    for warning in found.warnings_:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{found.k_} segments: {'; '.join(found.names_)}", file=sys.stderr)
    if found.k_choice_ is not None:
        print(f"why: {found.k_choice_.reason}", file=sys.stderr)
    return 0


def _run_kpis(args: argparse.Namespace) -> int:
    from churn_core.kpis import get_retention_kpis

    model = load_model(args.model) if args.model else None
    table, profile = read_profiled(args)
    if profile.is_log:
        return _log_kpis(args, table, profile, model)
    try:
        kpis, warnings = get_retention_kpis(
            table.frame, profile, model=model, tenure_unit=args.tenure_unit
        )
    except ChurnDataError as error:
        raise ChurnDataError([for_command_line(p) for p in error.problems]) from None
    print_json({"file": table.name, **kpis.to_dict()})
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _log_kpis(args: argparse.Namespace, table: Table, profile: Profile, model: Any) -> int:
    from churn_core.kpis import get_log_kpis

    activity = prepare_activity(table.frame, profile)
    kpis, warnings = get_log_kpis(activity, model=model, window_days=args.window)
    print_json({"file": table.name, "shape": profile.shape, **kpis.to_dict()})
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


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
