"""A synthetic activity log (logins, purchases, complaints, plan changes) with planted drivers.

The bundled ``data/sample_activity_log.csv`` comes from :func:`write_activity_log` and can be
rebuilt byte for byte with ``python -m churn_core sample --kind log --out FILE``. It is the
event log a subscription shop or app would export: one row per thing a customer did, no churn
column; churn is what a customer stops doing.

How it is made (day by day over two years up to ``as_of``):

1. Customers sign up at a steady rate on a plan (Basic, Standard or Premium). Each has a
   visiting rate; a hidden share are *fading*: their visits thin out month after month; another
   hidden share are *unhappy*: they complain far more often, and leave more.
2. On a visit day a customer logs in (one session), may buy (amount by plan), may complain to
   support, and may downgrade (more likely after a complaint) or upgrade their plan.
3. Each day a customer may leave for good, with a hazard raised by the drivers in
   ``PLANTED_LOG_DRIVERS`` (coefficients in the ``_BETA_*`` constants); some say so with a
   ``Cancel`` event on their last day, the rest just stop coming.

Only ``numpy.random.default_rng(seed)`` is used and amounts are rounded to 2 decimals, so the
same arguments give the same bytes on any machine.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from churn_core.datasets.customers import SAMPLE_AS_OF, _check_whole_number

LOG_COLUMNS: tuple[str, ...] = ("CustomerID", "Timestamp", "Event", "Plan", "Amount", "SessionID")
#: Event types, in the order they are written within a visit.
EVENT_TYPES: tuple[str, ...] = (
    "Login", "Purchase", "Support complaint", "Downgrade", "Upgrade", "Cancel"
)  # fmt: skip
LOG_PLANS = ("Basic", "Standard", "Premium")
#: The event a customer who says they leave writes on their last day.
CANCEL_EVENT = "Cancel"

PLANTED_LOG_DRIVERS: dict[str, str] = {
    "Support complaint": "Customers who complain to support churn more (each complaint raises "
    "churn for about half a year).",
    "Downgrade": "A downgrade in the last half year strongly raises churn.",
    "Activity": "Customers whose visits thin out (longer gaps) churn more.",
    "Plan": "Basic customers churn more than Standard, and Premium least.",
    "Purchase": "Customers who bought in the last month churn less.",
}

_HISTORY_DAYS = 730
_LAST_SIGNUP_GAP = 30  # nobody signs up in the last month: everyone has a little history
_PLAN_SHARE = (0.5, 0.32, 0.18)
_PLAN_SPEND = np.array([18.0, 35.0, 60.0])  # median purchase amount by plan
_VISIT_RATE = (0.04, 0.22)  # a customer's visits a day, drawn log-uniformly in this range
_FADING_SHARE = 0.3
_FADING_HALF_LIFE = 75.0  # days for a fading customer's visit rate to halve
_BUY_CHANCE = 0.3
_UNHAPPY_SHARE = 0.2  # hidden: these customers complain, and leave, more
_COMPLAINT_CHANCE = (0.004, 0.07)  # per visit: the others, and the unhappy
_DOWNGRADE_CHANCE = 0.003
_DOWNGRADE_AFTER_COMPLAINT = 0.1
_UPGRADE_CHANCE = 0.004
_CANCEL_SHARE = 0.55  # of leavers, those who say so
_BASE_HAZARD = 0.0009  # a day
_BETA_PLAN = np.array([0.45, 0.0, -0.5])
_BETA_UNHAPPY = 1.2
_BETA_COMPLAINT = 1.2  # per complaint, fading over about half a year
_COMPLAINT_MEMORY = 180.0  # days
_BETA_DOWNGRADE = 1.2  # within half a year of a downgrade
_DOWNGRADE_MEMORY = 180
_BETA_FADING = 0.6  # per halving of the visit rate
_BETA_BOUGHT = -0.5  # bought in the last 30 days
_BETA_TENURE = -0.35  # after the first 90 days


def generate_activity_log(
    customers: int = 1000, seed: int = 11, as_of: date = SAMPLE_AS_OF
) -> pd.DataFrame:
    """Simulate two years of ``customers``' activity up to ``as_of`` (see the module docstring).

    Parameters
    ----------
    customers : int, default 1000
        Customers who sign up over the two years, at least 50.
    seed : int, default 11
        Seed for ``numpy.random.default_rng``; the same seed gives the same log.
    as_of : datetime.date, default SAMPLE_AS_OF
        The last day of the log.

    Returns
    -------
    pandas.DataFrame
        One row per event, in time order, with the columns in ``LOG_COLUMNS``: ``Amount`` is
        blank except on purchases, ``Plan`` is the plan at the time of the event.

    Examples
    --------
    >>> log = generate_activity_log(customers=60, seed=1)
    >>> list(log.columns) == list(LOG_COLUMNS)
    True
    >>> log["CustomerID"].nunique() <= 60
    True
    """
    _check_whole_number("customers", customers, minimum=50, wording="at least 50")
    _check_whole_number("seed", seed, minimum=0, wording="0 or more")
    rng = np.random.default_rng(seed)
    n = customers
    signup = np.sort(rng.integers(0, _HISTORY_DAYS - _LAST_SIGNUP_GAP, n))
    plan = rng.choice(3, size=n, p=_PLAN_SHARE)
    low, high = np.log(_VISIT_RATE)
    base_rate = np.exp(rng.uniform(low, high, n))
    fading = rng.random(n) < _FADING_SHARE
    unhappy = rng.random(n) < _UNHAPPY_SHARE
    complaint_chance = np.where(unhappy, _COMPLAINT_CHANCE[1], _COMPLAINT_CHANCE[0])
    alive = np.ones(n, dtype=bool)
    complaints = np.zeros(n)  # decaying count of recent complaints
    last_downgrade = np.full(n, -10_000)
    last_purchase = np.full(n, -10_000)
    parts: list[tuple[np.ndarray, ...]] = []
    session = 0
    for day in range(_HISTORY_DAYS):
        complaints *= np.exp(-1.0 / _COMPLAINT_MEMORY)
        age = day - signup
        here = alive & (age >= 0)
        rate = base_rate * np.where(fading, 0.5 ** (np.maximum(age, 0) / _FADING_HALF_LIFE), 1.0)
        visit = here & (rng.random(n) < rate)
        who = np.flatnonzero(visit)
        buys = rng.random(len(who)) < _BUY_CHANCE
        complains = rng.random(len(who)) < complaint_chance[who]
        down_chance = np.where(complains, _DOWNGRADE_AFTER_COMPLAINT, _DOWNGRADE_CHANCE)
        downs = (rng.random(len(who)) < down_chance) & (plan[who] > 0)
        ups = (rng.random(len(who)) < _UPGRADE_CHANCE) & (plan[who] < 2) & ~downs
        amounts = np.round(_PLAN_SPEND[plan[who]] * rng.lognormal(0.0, 0.5, len(who)), 2)
        sessions = session + np.arange(len(who))
        session += len(who)
        minutes = rng.integers(6 * 60, 23 * 60, len(who))
        plan_before = plan[who].copy()
        for code, mask in enumerate((np.ones(len(who), bool), buys, complains, downs, ups)):
            rows = np.flatnonzero(mask)
            shown_plan = plan_before[rows] + {3: -1, 4: 1}.get(code, 0)  # the plan after a change
            parts.append(
                (
                    who[rows],
                    np.full(len(rows), day),
                    minutes[rows] + code,
                    np.full(len(rows), code),
                    shown_plan,
                    np.where(code == 1, amounts[rows], np.nan),
                    sessions[rows],
                )
            )
        complaints[who[complains]] += 1.0
        plan[who[downs]] -= 1
        plan[who[ups]] += 1
        last_downgrade[who[downs]] = day
        last_purchase[who[buys]] = day
        risk = (
            _BETA_PLAN[plan]
            + _BETA_UNHAPPY * unhappy
            + _BETA_COMPLAINT * complaints
            + _BETA_DOWNGRADE * (day - last_downgrade <= _DOWNGRADE_MEMORY)
            + _BETA_FADING * np.where(fading, np.maximum(age, 0) / _FADING_HALF_LIFE, 0.0)
            + _BETA_BOUGHT * (day - last_purchase <= 30)
            + _BETA_TENURE * (age > 90)
        )
        leaving = here & (rng.random(n) < _BASE_HAZARD * np.exp(risk))
        says_so = np.flatnonzero(leaving & (rng.random(n) < _CANCEL_SHARE))
        parts.append(
            (
                says_so,
                np.full(len(says_so), day),
                rng.integers(23 * 60 + 10, 23 * 60 + 50, len(says_so)),
                np.full(len(says_so), 5),
                plan[says_so],
                np.full(len(says_so), np.nan),
                session + np.arange(len(says_so)),
            )
        )
        session += len(says_so)
        alive &= ~leaving
    return _to_frame(parts, as_of)


def _to_frame(parts: list[tuple[np.ndarray, ...]], as_of: date) -> pd.DataFrame:
    who, day, minute, code, plan, amount, session = (
        np.concatenate(c) for c in zip(*parts, strict=True)
    )
    order = np.lexsort((code, who, minute, day))
    start = np.datetime64(as_of - timedelta(days=_HISTORY_DAYS - 1), "m")
    stamps = start + (day * 1440 + minute).astype("timedelta64[m]")
    frame = pd.DataFrame(
        {
            "CustomerID": [f"U{i + 1:05d}" for i in who[order]],
            "Timestamp": pd.to_datetime(stamps[order]),
            "Event": np.array(EVENT_TYPES)[code[order]],
            "Plan": np.array(LOG_PLANS)[plan[order]],
            "Amount": amount[order],
            "SessionID": [f"S{s + 1:07d}" for s in session[order]],
        }
    )
    return frame.loc[:, list(LOG_COLUMNS)]


def write_activity_log(path: str | os.PathLike[str], customers: int = 1000, seed: int = 11) -> Path:
    """Write :func:`generate_activity_log` to a CSV file, byte-identical for the same arguments.

    Returns the path written: UTF-8, ``\\n`` line endings, times as ``YYYY-MM-DD HH:MM``,
    amounts with 2 decimals and blank cells where there is no amount.
    """
    frame = generate_activity_log(customers=customers, seed=seed)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(
        out,
        index=False,
        encoding="utf-8",
        lineterminator="\n",
        date_format="%Y-%m-%d %H:%M",
        float_format="%.2f",
        na_rep="",
    )
    return out
