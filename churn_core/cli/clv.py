"""The clv command: BG/NBD + Gamma-Gamma on a purchase log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from churn_core import columns as col
from churn_core.cli.options import for_command_line, no_such_column, print_json, write_table
from churn_core.errors import ChurnDataError, Problem
from churn_core.io import read_table
from churn_core.logs import prepare_activity
from churn_core.schema import Profile, profile_table


def add_commands(commands: Any) -> None:
    """Add clv to the command line."""
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
    clv.add_argument(
        "--out", metavar="CUSTOMERS.csv", help="per-customer figures (or .parquet, .xlsx)"
    )
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
            problems.append(no_such_column(given, names))
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
        raise ChurnDataError([for_command_line(p) for p in profile.problems])
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
    print_json({"file": Path(args.file).name, **shown, "columns": columns, **forecast.to_dict()})
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
        write_table(forecast.customers[[summary.id_column, *figures]], args.out)
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
