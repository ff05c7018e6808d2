"""A log made ready for roll-ups: its rows as arrays, sorted by customer and then time.

Preparing is done once per log (and cached by the app); every roll-up, label and window after
that is a few array operations, so many cutoffs and windows cost little. Rows without a
customer or a date are left out here (the profile has already counted and reported them).
Days are whole days: a cutoff is a midnight, and "before the cutoff" means an earlier day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from churn_core.errors import ChurnDataError, Problem, file_row_numbers
from churn_core.schema import (
    EVENTS,
    LogRole,
    LogRoles,
    Profile,
    display_value,
    find_cancellations,
)

#: Days since 1970 stay below this (year 4707), so customer x slots + day is one sortable key.
_DAY_SLOTS = 1_000_000


@dataclass
class Activity:
    """One entry per usable row of a log, sorted by customer then time.

    Attributes
    ----------
    shape : str
        ``"transactions"`` or ``"events"``.
    roles : LogRoles
        Which column plays which part (as the profile or the model card says).
    ids : np.ndarray
        Each customer's id as the file writes it, sorted; a customer's code is its position.
    customer, day : np.ndarray
        Per row: the customer's code and the day (days since 1970-01-01).
    amount : np.ndarray or None
        Per row: money (negative for returns), NaN where the row has none; None without money.
    quantity : np.ndarray or None
        Per row: units, when the log has a quantity column.
    cancel : np.ndarray
        Per row: a cancellation or return (a ``C`` invoice, a negative quantity or amount).
    order, product, session, event : np.ndarray or None
        Per row: a code for the order, product, session and event type (-1 where blank).
    event_names : tuple of str
        The event types, most common first; ``event`` codes index into it.
    plan : np.ndarray or None
        Per row: the plan level as of that row (carried forward over blanks), as text.
    attributes : dict of str to np.ndarray
        Per customer detail column (country, segment): its value as of each row, as text.
    file_rows : np.ndarray or None
        Per row: its row number in the file as a spreadsheet shows it (header = row 1), so
        messages about rows of a log name the rows the user sees.
    """

    shape: str
    roles: LogRoles
    ids: np.ndarray
    customer: np.ndarray
    day: np.ndarray
    cancel: np.ndarray
    amount: np.ndarray | None = None
    quantity: np.ndarray | None = None
    order: np.ndarray | None = None
    product: np.ndarray | None = None
    session: np.ndarray | None = None
    event: np.ndarray | None = None
    event_names: tuple[str, ...] = ()
    plan: np.ndarray | None = None
    attributes: dict[str, np.ndarray] = field(default_factory=dict)
    file_rows: np.ndarray | None = None

    @property
    def customer_column(self) -> str:
        return self.roles.customer or "customer"

    @property
    def plan_column(self) -> str | None:
        return self.roles.column_for(LogRole.PLAN)

    @property
    def customers(self) -> int:
        return len(self.ids)

    @property
    def rows(self) -> int:
        return len(self.day)

    @property
    def first_day(self) -> int:
        return int(self.day.min())

    @property
    def last_day(self) -> int:
        return int(self.day.max())

    @property
    def first_date(self) -> date:
        return to_date(self.first_day)

    @property
    def last_date(self) -> date:
        return to_date(self.last_day)

    @property
    def span_days(self) -> int:
        """Days from the first to the last active day, both counted."""
        return self.last_day - self.first_day + 1

    @cached_property
    def customer_days(self) -> tuple[np.ndarray, np.ndarray]:
        """Each customer's distinct active days: (customer, day), sorted by both."""
        pairs = np.unique(self.customer * _DAY_SLOTS + self.day)
        return pairs // _DAY_SLOTS, pairs % _DAY_SLOTS

    def starts(self) -> np.ndarray:
        """Index of each customer's first row (rows are grouped by customer)."""
        return np.searchsorted(self.customer, np.arange(self.customers))


def to_day(value: date | pd.Timestamp | str) -> int:
    """A date as days since 1970-01-01 (the time of day is dropped)."""
    return int(pd.Timestamp(value).normalize().value // 86_400_000_000_000)


def to_date(day: int) -> date:
    """Days since 1970-01-01 as a date."""
    return (pd.Timestamp(0) + pd.Timedelta(days=int(day))).date()


def prepare_activity(
    frame: pd.DataFrame, profile: Profile | None = None, *, roles: LogRoles | None = None
) -> Activity:
    """The log in ``frame`` as arrays ready for roll-ups.

    Parameters
    ----------
    frame : pd.DataFrame
        The log as read (one row per purchase, line or event).
    profile : Profile, optional
        Its profile: gives the log roles and must have no problems.
    roles : LogRoles, optional
        The roles to use instead (a model card's, to roll up a new file the way the model
        learned); the columns must be in ``frame``.

    Raises
    ------
    ChurnDataError
        When the profile has problems, is not a log, or a role's column is missing.
    """
    if roles is None:
        if profile is None or profile.log is None:
            raise ChurnDataError(
                [
                    Problem(
                        "This file has one row per customer, not a log of purchases or events.",
                        fix="Use it as a customer table, or choose a log file.",
                        code="not_a_log",
                    )
                ]
            )
        profile.raise_for_problems()
        roles, shape = profile.log.roles, profile.log.shape
    else:
        _check_columns(frame, roles)
        shape = EVENTS if roles.column_for(LogRole.EVENT) else "transactions"
    customer, when = roles.customer, roles.timestamp
    if customer is None or when is None:
        raise ChurnDataError(
            [Problem("A log needs a customer id and a date column.", code="log_role_missing")]
        )
    times = pd.to_datetime(frame[when], errors="coerce")
    usable = (frame[customer].notna() & times.notna()).to_numpy(bool)
    data = frame.loc[usable]
    ids_raw = _id_values(data[customer])
    codes, ids = pd.factorize(ids_raw, sort=True)
    stamps = times[usable].to_numpy("datetime64[ns]").astype(np.int64)
    order = np.lexsort((stamps, codes))
    rows = data.iloc[order]
    day = stamps[order] // 86_400_000_000_000
    cancel = find_cancellations(rows, roles)
    activity = Activity(
        shape=shape,
        roles=roles,
        ids=np.asarray(ids, dtype=object),
        customer=codes[order].astype(np.int64),
        day=day.astype(np.int64),
        cancel=cancel,
        amount=_amount(rows, roles),
        quantity=_numbers(rows, roles.column_for(LogRole.QUANTITY)),
        order=_codes(rows, roles.column_for(LogRole.ORDER)),
        product=_codes(rows, roles.column_for(LogRole.PRODUCT)),
        session=_codes(rows, roles.column_for(LogRole.SESSION)),
        file_rows=_file_rows(frame, np.flatnonzero(usable)[order]),
    )
    event = roles.column_for(LogRole.EVENT)
    if event is not None:
        codes, names = _text_codes(rows[event])
        counts = np.bincount(codes[codes >= 0], minlength=len(names))
        order = np.argsort(-counts, kind="stable")  # most common first
        activity.event_names = tuple(str(names[i]) for i in order)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        activity.event = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1)
    plan = roles.column_for(LogRole.PLAN)
    if plan is not None:
        activity.plan = _carried(rows[plan], activity.customer)
    for name in roles.columns_with(LogRole.ATTRIBUTE):
        activity.attributes[name] = _carried(rows[name], activity.customer)
    return activity


def _check_columns(frame: pd.DataFrame, roles: LogRoles) -> None:
    used = [c for c, r in roles.columns.items() if r is not LogRole.IGNORED]
    missing = [c for c in used if c not in frame.columns]
    if missing:
        raise ChurnDataError(
            [
                Problem(
                    f"This log lacks columns the model learned from: {', '.join(missing)}.",
                    fix="Score a log exported the same way as the training log, or retrain on "
                    "this one.",
                    code="columns_differ",
                )
            ]
        )


def _file_rows(frame: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    """Spreadsheet row numbers of these 0-based positions of ``frame`` (header = row 1)."""
    numbers = file_row_numbers(frame)
    if numbers is None:
        return positions.astype(np.int64) + 2
    return np.asarray(numbers, dtype=np.int64)[positions]


def _id_values(ids: pd.Series) -> pd.Series:
    """Whole-number ids read as floats (a blank made the column float) shown as 12583."""
    if pd.api.types.is_float_dtype(ids) and bool(np.all(np.mod(ids.to_numpy(float), 1) == 0)):
        return ids.astype(np.int64)
    return ids


def _numbers(rows: pd.DataFrame, column: str | None) -> np.ndarray | None:
    if column is None:
        return None
    return pd.to_numeric(rows[column], errors="coerce").to_numpy(float)


def _amount(rows: pd.DataFrame, roles: LogRoles) -> np.ndarray | None:
    """Money on each row: the amount column, else quantity x unit price."""
    amount = _numbers(rows, roles.column_for(LogRole.AMOUNT))
    if amount is not None:
        return amount
    quantity = _numbers(rows, roles.column_for(LogRole.QUANTITY))
    price = _numbers(rows, roles.column_for(LogRole.PRICE))
    if quantity is not None and price is not None:
        return quantity * price
    return None


def _codes(rows: pd.DataFrame, column: str | None) -> np.ndarray | None:
    if column is None:
        return None
    return pd.factorize(rows[column], use_na_sentinel=True)[0].astype(np.int64)


def _text_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per row a code (-1 for blank), and each code's value as the file shows it: the text is
    made once per distinct value, not once per row."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    names = np.array([display_value(u) for u in uniques], dtype=object)
    merged = pd.unique(names)
    if len(merged) < len(names):  # 1 and 1.0 read alike: one code for both
        lookup = {name: i for i, name in enumerate(merged)}
        remap = np.array([lookup[n] for n in names], dtype=np.int64)
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        names = np.asarray(merged, dtype=object)
    return codes.astype(np.int64), names


def _carried(values: pd.Series, customer: np.ndarray) -> np.ndarray:
    """Each row's latest known value for its customer (blanks take the value before)."""
    codes, names = _text_codes(values)
    known = pd.Series(np.where(codes >= 0, codes, np.nan))
    carried = known.groupby(customer, sort=False).ffill().to_numpy()
    out = np.full(len(codes), None, dtype=object)
    filled = ~np.isnan(carried)
    out[filled] = names[carried[filled].astype(np.int64)]
    return out
