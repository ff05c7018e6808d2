"""A synthetic subscription business with known, planted churn drivers.

The bundled ``data/sample_customers.csv`` comes from :func:`write_customers` and can be rebuilt
byte for byte with ``python -m churn_core sample --rows 5000 --seed 7 --out FILE``.

How the data is made (a survival process, so tenure, dates and churn agree with each other):

1. Candidate customers sign up at a steady rate over the five years before the window (the 12
   months before ``as_of``) and during the window itself.
2. Each gets a plan, contract, payment method, price and behaviour. A hidden *disengagement*
   score makes behaviour columns move together (declining usage, few logins, more tickets).
3. Lifetime follows a Weibull proportional-hazards model: the hazard falls with tenure (shape
   0.7) and is scaled by ``exp(linear predictor)`` of the observed columns, with the
   coefficients in the ``_BETA_*`` constants (Region has none: it is a decoy).
4. The file keeps the customers active at the start of the window plus those who signed up
   during it; ``Churned`` says whether they left before ``as_of``.

Only ``numpy.random.default_rng(seed)`` is used and floats are rounded to 2 decimals, so the
same seed gives the same bytes on any machine.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

SAMPLE_AS_OF: date = date(2026, 6, 30)

COLUMNS: tuple[str, ...] = (
    "CustomerID", "SignupDate", "TenureMonths", "Plan", "Contract", "PaymentMethod",
    "MonthlyCharges", "UsageTrendPct", "LoginsLast30d", "SupportTickets90d",
    "PaymentFailures12m", "Region", "Email", "Churned", "ChurnDate",
)  # fmt: skip

PLANTED_DRIVERS: dict[str, str] = {
    "Contract": "Month-to-month strongly raises churn; Two year strongly lowers it.",
    "PaymentFailures12m": "Each failed payment in the last 12 months raises churn.",
    "SupportTickets90d": "Each support ticket in the last 90 days raises churn.",
    "UsageTrendPct": "Declining usage (negative %) raises churn; growing usage lowers it.",
    "LoginsLast30d": "More logins in the last 30 days mildly lower churn.",
    "MonthlyCharges": "Higher monthly charges mildly raise churn.",
    "PaymentMethod": "Invoice mildly raises churn and Direct debit mildly lowers it.",
}

PLANS = ("Basic", "Standard", "Premium")
CONTRACTS = ("Month-to-month", "One year", "Two year")
PAYMENT_METHODS = ("Credit card", "Direct debit", "Invoice", "PayPal")
REGIONS = ("North", "South", "East", "West")

_DAYS_PER_MONTH = 30.4375
_HISTORY_DAYS = 5 * 365 + 1  # signups spread over ~5 years before the window
_WEIBULL_SHAPE = 0.7
_WEIBULL_SCALE_MONTHS = 36.0  # tuned so about a quarter churn in the window at seed 7
_PLAN_PRICE = np.array([19.99, 39.99, 69.99])
_PLAN_LOGINS = np.array([9.0, 13.0, 18.0])
_CONTRACT_BY_PLAN = np.array([[0.66, 0.22, 0.12], [0.50, 0.28, 0.22], [0.38, 0.30, 0.32]])
_PAYMENT_FAILURE_RATE = np.array([0.22, 0.08, 0.30, 0.16])  # by payment method
# Log-hazard coefficients of the planted drivers (Region and Plan have none of their own).
_BETA_CONTRACT = np.array([0.9, -0.4, -1.4])  # by CONTRACTS
_BETA_PAYMENT_METHOD = np.array([0.0, -0.15, 0.2, 0.05])  # by PAYMENT_METHODS
_BETA_FAILURES = 0.45  # per failed payment
_BETA_TICKETS = 0.22  # per support ticket
_BETA_USAGE_TREND = -0.035  # per % of usage change
_BETA_LOGINS = -0.025  # per login above 12
_BETA_CHARGES = 0.012  # per currency unit above 40


def generate_customers(rows: int = 5000, seed: int = 7, as_of: date = SAMPLE_AS_OF) -> pd.DataFrame:
    """Simulate ``rows`` customers of a subscription business with planted churn drivers.

    Parameters
    ----------
    rows : int, default 5000
        Number of customers, at least 50.
    seed : int, default 7
        Seed for ``numpy.random.default_rng``; the same seed gives the same frame.
    as_of : datetime.date, default SAMPLE_AS_OF
        The analysis date. Customers are those active 12 months before it or who signed up
        since; ``Churned`` is "Yes" for those who left during those 12 months.

    Returns
    -------
    pandas.DataFrame
        One row per customer with the columns in ``COLUMNS``; dates as ``datetime64``,
        ``ChurnDate`` missing (NaT) for active customers.

    Examples
    --------
    >>> df = generate_customers(rows=200, seed=1)
    >>> list(df.columns) == list(COLUMNS)
    True
    """
    _check_whole_number("rows", rows, minimum=50, wording="at least 50")
    _check_whole_number("seed", seed, minimum=0, wording="0 or more")
    rng = np.random.default_rng(seed)
    as_of_day = np.datetime64(as_of, "D")
    window_start = np.datetime64(_one_year_before(as_of), "D")

    batches: list[dict[str, np.ndarray]] = []
    kept = 0
    while kept < rows:
        batch = _simulate_batch(rng, 3 * rows, window_start, as_of_day)
        batches.append(batch)
        kept += len(batch["signup"])
    sim = {key: np.concatenate([b[key] for b in batches])[:rows] for key in batches[0]}
    order = np.argsort(sim["signup"], kind="stable")
    sim = {key: values[order] for key, values in sim.items()}

    churned = sim["end"] <= as_of_day
    end = np.where(churned, sim["end"], as_of_day)
    days = (end - sim["signup"]).astype(np.int64)
    tenure = np.floor(days / _DAYS_PER_MONTH).astype(np.int64)  # whole average months
    usage = sim["usage"].copy()
    missing_chance = np.where(tenure < 3, 0.12, 0.003)
    usage[rng.random(rows) < missing_chance] = np.nan
    failures = np.minimum(sim["failures"], np.maximum(tenure, 1))

    ids = [f"C{i:06d}" for i in range(1, rows + 1)]
    frame = pd.DataFrame(
        {
            "CustomerID": ids,
            "SignupDate": pd.to_datetime(sim["signup"]),
            "TenureMonths": tenure,
            "Plan": np.array(PLANS)[sim["plan"]],
            "Contract": np.array(CONTRACTS)[sim["contract"]],
            "PaymentMethod": np.array(PAYMENT_METHODS)[sim["method"]],
            "MonthlyCharges": np.round(sim["charges"], 2),
            "UsageTrendPct": np.round(usage, 2),
            "LoginsLast30d": sim["logins"],
            "SupportTickets90d": sim["tickets"],
            "PaymentFailures12m": failures,
            "Region": np.array(REGIONS)[sim["region"]],
            "Email": [f"{cid.lower()}@example.com" for cid in ids],
            "Churned": np.where(churned, "Yes", "No"),
            "ChurnDate": pd.to_datetime(np.where(churned, sim["end"], np.datetime64("NaT"))),
        }
    )
    return frame.loc[:, list(COLUMNS)]


def write_customers(path: str | os.PathLike[str], rows: int = 5000, seed: int = 7) -> Path:
    """Write :func:`generate_customers` to a CSV file, byte-identical for the same arguments.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write; parent folders are created.
    rows : int, default 5000
        Number of customers, at least 50.
    seed : int, default 7
        Random seed, 0 or more.

    Returns
    -------
    pathlib.Path
        The path written: UTF-8, ``\\n`` line endings, dates as YYYY-MM-DD, floats with 2
        decimals and blank cells for missing values.
    """
    frame = generate_customers(rows=rows, seed=seed)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(
        out,
        index=False,
        encoding="utf-8",
        lineterminator="\n",
        date_format="%Y-%m-%d",
        float_format="%.2f",
        na_rep="",
    )
    return out


def _simulate_batch(
    rng: np.random.Generator, n: int, window_start: np.datetime64, as_of: np.datetime64
) -> dict[str, np.ndarray]:
    """Draw ``n`` candidates and keep those in the file (active at window start or newer)."""
    window_days = int((as_of - window_start) / np.timedelta64(1, "D"))
    offset = rng.integers(-_HISTORY_DAYS, window_days, size=n, endpoint=True)
    signup = window_start + offset.astype("timedelta64[D]")
    plan = rng.choice(3, size=n, p=[0.45, 0.35, 0.20])
    contract = (rng.random(n)[:, None] > np.cumsum(_CONTRACT_BY_PLAN[plan], axis=1)).sum(axis=1)
    method = rng.choice(4, size=n, p=[0.38, 0.30, 0.12, 0.20])
    region = rng.choice(4, size=n, p=[0.28, 0.24, 0.26, 0.22])
    discount = np.array([1.0, 0.95, 0.88])[contract]
    charges = np.maximum(_PLAN_PRICE[plan] * discount + rng.normal(0.0, 4.0, n), 9.99)

    disengaged = rng.normal(0.0, 1.0, n)  # hidden: makes the behaviour columns move together
    usage = np.clip(3.0 - 9.0 * disengaged + rng.normal(0.0, 8.0, n), -95.0, 150.0)
    logins = rng.poisson(_PLAN_LOGINS[plan] * np.exp(-0.45 * disengaged))
    tickets = rng.poisson(0.7 * np.exp(0.35 * disengaged))
    failures = rng.poisson(_PAYMENT_FAILURE_RATE[method] * np.exp(0.25 * disengaged))

    risk = (
        _BETA_CONTRACT[contract]
        + _BETA_PAYMENT_METHOD[method]
        + _BETA_FAILURES * failures
        + _BETA_TICKETS * tickets
        + _BETA_USAGE_TREND * usage
        + _BETA_LOGINS * (logins - 12.0)
        + _BETA_CHARGES * (charges - 40.0)
    )
    # Weibull PH: cumulative hazard H(t) = exp(risk) * (t / scale) ** shape, inverted at Exp(1).
    months = _WEIBULL_SCALE_MONTHS * (rng.exponential(1.0, n) / np.exp(risk)) ** (
        1.0 / _WEIBULL_SHAPE
    )
    days = np.maximum(np.floor(np.minimum(months, 1200.0) * _DAYS_PER_MONTH), 1.0)
    end = signup + days.astype(np.int64).astype("timedelta64[D]")

    keep = end > window_start
    sim = {
        "signup": signup, "end": end, "plan": plan, "contract": contract, "method": method,
        "region": region, "charges": charges, "usage": usage, "logins": logins,
        "tickets": tickets, "failures": failures,
    }  # fmt: skip
    return {key: values[keep] for key, values in sim.items()}


def _one_year_before(day: date) -> date:
    """The same calendar day a year earlier (Feb 29 becomes Feb 28)."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _check_whole_number(name: str, value: object, minimum: int, wording: str) -> None:
    """Raise ValueError unless ``value`` is an int (not bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a whole number; got {value!r} instead.")
    if value < minimum:
        raise ValueError(f"{name} must be {wording}; got {value} instead.")
