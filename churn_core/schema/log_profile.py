"""Is this file one row per customer, or a log (many dated rows per customer), and which kind?

``transactions``: purchases or invoice lines (amount, quantity, order id, product);
``events``: what customers did (an event type or page column, sessions, plan level). A log is
rolled up to one row per customer by :mod:`churn_core.logs`; here it is recognised, its roles
are given with reasons, and what is wrong with it is collected at once
(:mod:`churn_core.schema.log_checks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from churn_core.errors import DataWarning, Problem, plural
from churn_core.schema.labels import name_words
from churn_core.schema.log_checks import check_log
from churn_core.schema.log_roles import DATE_WORDS, LogRole, LogRoles, detect_log_roles
from churn_core.schema.roles import id_name_score

CUSTOMERS, TRANSACTIONS, EVENTS = "customers", "transactions", "events"
SHAPES = (CUSTOMERS, TRANSACTIONS, EVENTS)
LOG_SHAPES = (TRANSACTIONS, EVENTS)
#: Rows per customer on average above which a dated file is a log (a few repeated customers
#: in a customer table are duplicates to remove, not a log).
MIN_ROWS_PER_CUSTOMER = 1.2


@dataclass
class LogSummary:
    """A log as the profile sees it: its kind, roles, size, span, and what is wrong."""

    shape: str
    roles: LogRoles
    reason: str
    rows: int
    customers: int
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)

    @property
    def span_days(self) -> int:
        """Days from the first to the last dated row, both counted."""
        if self.first is None or self.last is None:
            return 0
        return int((self.last.normalize() - self.first.normalize()).days) + 1

    def describe(self) -> str:
        """What the file is, and what happens to it, in two sentences."""
        when = ""
        if self.first is not None and self.last is not None:
            when = f" from {self.first:%-d %B %Y} to {self.last:%-d %B %Y}"
        return (
            f"A{'n' if self.shape == EVENTS else ''} {self.shape[:-1]} log: "
            f"{plural(self.rows, 'row')} for {plural(self.customers, 'customer')}{when}. "
            "It is rolled up to one row per customer (recency, frequency, spend, trends) "
            "before modelling, and churn is defined by inactivity."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "shape": self.shape,
            "reason": self.reason,
            "description": self.describe(),
            "roles": self.roles.to_dict(),
            "reasons": dict(self.roles.reasons),
            "rows": self.rows,
            "customers": self.customers,
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
            "span_days": self.span_days,
        }


def profile_log(
    frame: pd.DataFrame,
    *,
    log_roles: Mapping[str, LogRole | str] | None = None,
    shape: str | None = None,
    today: date | None = None,
) -> LogSummary | None:
    """The log summary when ``frame`` is a log, else None (one row per customer).

    Parameters
    ----------
    frame : pd.DataFrame
        The cleaned table.
    log_roles : mapping, optional
        The user's choices, column -> log role; they win over detection.
    shape : str, optional
        ``"customers"``, ``"transactions"`` or ``"events"`` when the user has said; detected
        otherwise.
    today : date, optional
        Rows dated after it are reported as events in the future (default: the day it runs).
    """
    if shape is not None and shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}; got {shape!r} instead.")
    if shape == CUSTOMERS or (shape is None and not log_roles and _plainly_customers(frame)):
        return None
    roles = detect_log_roles(frame, log_roles)
    detected, reason = detect_shape(frame, roles)
    if shape is None and detected == CUSTOMERS:
        return None
    if shape is not None and shape != detected:
        reason = f"you said it is a{'n' if shape == EVENTS else ''} {shape[:-1]} log"
    kind = shape or detected
    problems, warnings = check_log(frame, roles, today=today or date.today())
    customer, when = roles.customer, roles.timestamp
    customers = int(frame[customer].nunique()) if customer else 0
    dates = frame[when] if when and pd.api.types.is_datetime64_any_dtype(frame[when]) else None
    first = None if dates is None or dates.isna().all() else pd.Timestamp(dates.min())
    last = None if dates is None or dates.isna().all() else pd.Timestamp(dates.max())
    return LogSummary(kind, roles, reason, len(frame), customers, first, last, problems, warnings)


def detect_shape(frame: pd.DataFrame, roles: LogRoles) -> tuple[str, str]:
    """``customers``, ``transactions`` or ``events``, and why, from the detected log roles.

    A log has a customer column whose ids repeat (on average at least
    ``MIN_ROWS_PER_CUSTOMER`` rows each) and a date (or a column named like one); it holds
    ``events`` when a column says what happened, else ``transactions``.
    """
    customer, when = roles.customer, roles.timestamp
    unique_id = next((c for c in frame.columns if _names_each_customer_once(frame[c], c)), None)
    if unique_id is not None:
        return CUSTOMERS, f"{unique_id} names each customer once"
    if customer is None or when is None:
        return CUSTOMERS, "no customer id that repeats with a date on each row"
    ids = frame[customer].dropna()
    n_customers = int(ids.nunique())
    per_customer = len(ids) / n_customers if n_customers else 0.0
    if per_customer < MIN_ROWS_PER_CUSTOMER:
        return CUSTOMERS, f"{customer} names each customer about once"
    dated = f"{per_customer:,.1f} rows per customer ({customer}) on average, each dated by {when}"
    event = roles.column_for(LogRole.EVENT)
    if event is not None:
        return EVENTS, f"{dated}, and {event} says what each customer did: an event log"
    money = [
        f"{column} ({role.display_name.lower()})"
        for role in (LogRole.AMOUNT, LogRole.QUANTITY, LogRole.PRICE, LogRole.ORDER)
        if (column := roles.column_for(role)) is not None
    ]
    what = f", with {', '.join(money)}" if money else ""
    return TRANSACTIONS, f"{dated}{what}: a transaction log"


def _plainly_customers(frame: pd.DataFrame) -> bool:
    """A quick look that spares detecting log roles on most customer tables: no column holds
    dates (or is named like a date), or a customer id names each customer once."""
    dated = any(
        pd.api.types.is_datetime64_any_dtype(frame[c]) or set(name_words(c)) & DATE_WORDS
        for c in frame.columns
    )
    return not dated or any(_names_each_customer_once(frame[c], c) for c in frame.columns)


def _names_each_customer_once(series: pd.Series, name: str) -> bool:
    """A customer id by its name (``CustomerID``, ``account_no``) that is unique on every row."""
    return id_name_score(name) >= 3 and series.notna().all() and series.is_unique
