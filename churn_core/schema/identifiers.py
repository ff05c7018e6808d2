"""One row per customer, and numbers that are not measurements.

Per-customer results (segments, the at-risk list, retention figures) need one row per
customer. A table whose customer id repeats is refused with the fix, in words that say what it
probably is: a purchase or event log, which can be rolled up to one row per customer.

Some number columns only look like measurements: ids (``CustomerID``, ``CLIENTNUM``), codes
(``StoreCode``, ``AreaCode``) and dates written as numbers (``19970101``). Averaging them, or
grouping customers by them, means nothing ("High customer ID"); :func:`find_non_measure` says
which they are, so segments never use them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from churn_core.errors import (
    ChurnDataError,
    Problem,
    example_rows,
    file_row_numbers,
    format_rows,
    plural,
    verb,
)
from churn_core.schema.labels import display_value, name_words
from churn_core.schema.profile import Profile
from churn_core.schema.roles import Role, id_name_score, is_id_named

#: Last words that make a column a code or a reference: ``StockCode``, ``InvoiceNo``.
_CODE_WORDS = {"id", "key", "uuid", "guid", "ref", "code", "no", "nr"}
_DATE_WORDS = {"date", "datetime", "timestamp", "epoch", "ts"}
#: Rows per customer from which repeated ids read as a log rather than a few duplicates.
LOG_ROWS_PER_CUSTOMER = 1.5
_MIN_ROWS_FOR_VALUES = 20


def find_non_measure(name: str, series: pd.Series) -> str | None:
    """Why a column is not a measurement (an id, a code, a date as a number), or None.

    >>> find_non_measure("StoreCode", pd.Series([12, 7, 12]))
    'a code or reference (by its name): it labels customers, it does not measure them'
    >>> find_non_measure("FirstPurchase", pd.Series([19970101, 19970315, 19980228] * 10))
    'a date written as a number (YYYYMMDD, such as 19970101)'
    >>> find_non_measure("MonthlyCharges", pd.Series([29.5, 70.1, 99.0])) is None
    True
    """
    words = name_words(str(name))
    if id_name_score(str(name)) == 3.0 or is_id_named(str(name)):
        return "an identifier (by its name): it names customers, it does not measure them"
    if words and words[-1] in _CODE_WORDS:
        return "a code or reference (by its name): it labels customers, it does not measure them"
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    values = pd.to_numeric(series, errors="coerce").dropna().to_numpy(float)
    if len(values) < _MIN_ROWS_FOR_VALUES or not np.all(values == np.round(values)):
        return None
    dated = _date_number_format(values)
    if dated:
        return f"a date written as a number ({dated}, such as {display_value(values[0])})"
    if set(words) & _DATE_WORDS and values.min() > 1e6:
        return "a date or time written as a number (by its name)"
    distinct = len(np.unique(values))
    if distinct >= 0.95 * len(values) and values.min() >= 1000 and values.max() < 2 * values.min():
        return (
            f"a different large whole number for almost every row ({display_value(values[0])}, "
            f"{display_value(values[1])}...): an identifier, not a measurement"
        )
    return None


def _date_number_format(values: np.ndarray) -> str:
    """``"YYYYMMDD"`` or ``"YYYYMM"`` when every value reads as such a date, else ``""``."""
    if values.min() >= 19000101 and values.max() <= 21001231:
        month, day = (values // 100) % 100, values % 100
        if np.all((month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)):
            return "YYYYMMDD"
    if values.min() >= 190001 and values.max() <= 210012:
        month = values % 100
        if np.all((month >= 1) & (month <= 12)):
            return "YYYYMM"
    return ""


def get_id_columns(frame: pd.DataFrame, profile: Profile) -> list[str]:
    """The customer id column, and any other column named like one (``CustomerID`` kept as a
    number because it repeats), never the label."""
    found = [profile.id_column] if profile.id_column else []
    for name, role in profile.roles.items():
        named = id_name_score(name) == 3.0 and role is not Role.LABEL
        if named and name not in found and name in frame.columns:
            found.append(name)
    return found


def find_repeated_ids(
    ids: pd.Series | np.ndarray, id_name: str, purpose: str, frame: pd.DataFrame | None = None
) -> Problem | None:
    """The problem with ids that repeat (``purpose`` says what needs one row per customer:
    "Segments need"), or None when each id appears once. Blanks are not counted."""
    values = pd.Series(np.asarray(ids, dtype=object))
    present = values[values.notna()]
    repeated = present.duplicated(keep=False)
    if not repeated.any():
        return None
    customers = int(present.nunique())
    first = present[repeated].iloc[0]
    where = np.flatnonzero(values.eq(first).to_numpy(bool))
    numbers = file_row_numbers(frame) if frame is not None else None
    rows = example_rows(where, numbers=numbers)
    is_log = len(present) >= LOG_ROWS_PER_CUSTOMER * customers
    twice = int(present[repeated].nunique())
    what = (
        f"{plural(len(present), 'row')} hold only {plural(customers, 'customer')}: this looks "
        "like a log of purchases or events (a row per purchase), not a customer table"
        if is_log
        else f"{plural(twice, 'customer')} {verb(twice, 'appears', 'appear')} on more than one row"
    )
    return Problem(
        f'{purpose} one row per customer, but {id_name} repeats: {what} (e.g. "'
        f'{display_value(first)}" on {format_rows(rows[:3])}).',
        column=id_name,
        rows=rows,
        fix=(
            f"Roll the log up to one row per {id_name} (totals, counts and the last date per "
            "customer), then use that table."
            if is_log
            else f"Remove the repeated rows so each {id_name} appears once, then try again."
        ),
        code="repeated_ids",
    )


def check_one_row_per_customer(frame: pd.DataFrame, profile: Profile, purpose: str) -> None:
    """Raise ChurnDataError when the id (or an id-named column) repeats; see
    :func:`find_repeated_ids` (``purpose``: "Segments need")."""
    problems = [
        p
        for name in get_id_columns(frame, profile)
        if (p := find_repeated_ids(frame[name], name, purpose, frame)) is not None
    ]
    if problems:
        raise ChurnDataError(problems[:1])


def get_non_measures(frame: pd.DataFrame, columns: Sequence[str]) -> dict[str, str]:
    """Column -> why it is not a measurement, for the ``columns`` that are ids, codes or dates."""
    found = {name: find_non_measure(name, frame[name]) for name in columns if name in frame}
    return {name: why for name, why in found.items() if why}
