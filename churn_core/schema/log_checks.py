"""What is wrong with a log, all at once: each a plain sentence with the rows and one fix.

Problems stop the roll-up until fixed (no customer or date column, dates that cannot be read,
rows dated in the future, money written as words); warnings say what was done with odd but
usable rows (no customer or no date on a row, ids written two ways, cancellations of orders the
log does not hold). Nothing is dropped without being counted here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from churn_core.errors import (
    DataWarning,
    Problem,
    example_rows,
    file_row_numbers,
    format_rows,
    plural,
    verb,
)
from churn_core.schema.labels import display_value
from churn_core.schema.log_roles import LogRole, LogRoles
from churn_core.schema.roles import describe_kind


def find_cancellations(frame: pd.DataFrame, roles: LogRoles) -> np.ndarray:
    """True for rows that cancel or return something: an order id starting with ``C`` (as
    invoice systems write credit notes), or a negative quantity or amount."""
    out = np.zeros(len(frame), dtype=bool)
    order = roles.column_for(LogRole.ORDER)
    if order is not None and describe_kind(frame[order]) == "text":
        out |= frame[order].astype(str).str.match(r"^\s*[Cc]\d").to_numpy(bool)
    for role in (LogRole.QUANTITY, LogRole.AMOUNT):
        column = roles.column_for(role)
        if column is not None and describe_kind(frame[column]) == "number":
            out |= (pd.to_numeric(frame[column], errors="coerce") < 0).to_numpy(bool)
    return out


def check_log(
    frame: pd.DataFrame, roles: LogRoles, *, today: date
) -> tuple[list[Problem], list[DataWarning]]:
    """Every problem and warning with a log whose columns have these ``roles``."""
    problems: list[Problem] = []
    warnings: list[DataWarning] = []
    numbers = file_row_numbers(frame)
    customer, when = roles.customer, roles.timestamp
    for role, column in ((LogRole.CUSTOMER, customer), (LogRole.TIMESTAMP, when)):
        if column is None:
            problems.append(
                Problem(
                    f"No column is set as the {role.display_name.lower()}: a log needs "
                    "the customer and the date on every row.",
                    fix=f'On the Data page, set the role of that column to "{role.display_name}".',
                    code="log_role_missing",
                )
            )
    if customer is not None:
        warnings += _rows_without(frame, customer, "customer id", "belong to no customer", numbers)
        warnings += _id_formats(frame[customer], customer, numbers)
    if when is not None:
        if describe_kind(frame[when]) != "date":
            problems.append(_unreadable_dates(frame[when], when, numbers))
        else:
            warnings += _rows_without(frame, when, "date", "cannot be placed in time", numbers)
            problems += _future_rows(frame[when], when, today, numbers)
    for role in (LogRole.AMOUNT, LogRole.QUANTITY, LogRole.PRICE):
        column = roles.column_for(role)
        if column is not None and describe_kind(frame[column]) != "number":
            problems.append(_not_numbers(frame[column], column, role, numbers))
    if customer is not None and when is not None and describe_kind(frame[when]) == "date":
        warnings += _unmatched_cancellations(frame, roles, numbers)
    return problems, warnings


def _rows_without(
    frame: pd.DataFrame, column: str, what: str, consequence: str, numbers: Sequence[int] | None
) -> list[DataWarning]:
    blank = frame[column].isna().to_numpy(bool)
    if not blank.any():
        return []
    count = int(blank.sum())
    rows = example_rows(np.flatnonzero(blank), numbers=numbers)
    return [
        DataWarning(
            f"{plural(count, 'row')} {verb(count, 'has', 'have')} no {what} in {column} "
            f"({format_rows(rows)}); {verb(count, 'it', 'they')} {consequence} and "
            f"{verb(count, 'is', 'are')} left out of the roll-up.",
            column=column,
            rows=rows,
            fix=f"Fill in the {what} in the export if it is known.",
            code=f"log_rows_without_{'customer' if what == 'customer id' else 'date'}",
        )
    ]


def _id_formats(ids: pd.Series, column: str, numbers: Sequence[int] | None) -> list[DataWarning]:
    """Ids written in more than one pattern ("C00123" and "123", "c-1" and "C1")."""
    if describe_kind(ids) != "text":
        return []
    text = ids.dropna().astype(str).str.strip()
    distinct = pd.Series(text.unique())
    patterns = distinct.map(_id_pattern)
    counts = patterns.value_counts()
    if len(counts) < 2:
        return []
    main = counts.index[0]
    odd_values = set(distinct[patterns.ne(main).to_numpy(bool)])
    odd_rows = np.flatnonzero(ids.astype(str).str.strip().isin(odd_values).to_numpy(bool))
    main_example = distinct[patterns.eq(main).to_numpy(bool)].iloc[0]
    odd_example = ids.iloc[odd_rows[0]]
    rows = example_rows(odd_rows, numbers=numbers)
    return [
        DataWarning(
            f"{column} writes ids in more than one way: {plural(int(counts.iloc[0]), 'id')} like "
            f'"{main_example}" and {plural(len(odd_values), "id")} like "{odd_example}" '
            f"({format_rows(rows)}); the same customer written two ways counts as two customers.",
            column=column,
            rows=rows,
            fix="Write every id the same way in the export (same letters, zeros and case).",
            code="id_format_changes",
        )
    ]


def _id_pattern(value: str) -> str:
    """``"C00123"`` -> ``"A9"``, ``"c-7"`` -> ``"a-9"``: the shape of an id, runs collapsed."""
    shape = re.sub(r"\d+", "9", value)
    shape = re.sub(r"[A-Z]+", "A", shape)
    return re.sub(r"[a-z]+", "a", shape)


def _unreadable_dates(values: pd.Series, column: str, numbers: Sequence[int] | None) -> Problem:
    present = values.notna().to_numpy(bool)
    parsed = pd.to_datetime(values.where(present), errors="coerce", format="mixed")
    bad = np.flatnonzero(present & parsed.isna().to_numpy(bool))
    shown = bad if len(bad) else np.flatnonzero(present)
    rows = example_rows(shown, numbers=numbers)
    examples = ", ".join(
        f'row {r}: "{display_value(values.iloc[int(i)])}"'
        for r, i in zip(rows, shown, strict=False)
    )
    return Problem(
        f"{column} should hold the date of each row, but {plural(len(bad), 'value')} cannot be "
        f"read as dates ({examples}).",
        column=column,
        rows=rows,
        fix="Write dates one way, as year-month-day (such as 2024-01-31), or choose another "
        "date column, then upload again.",
        code="log_dates_unreadable",
    )


def _future_rows(
    when: pd.Series, column: str, today: date, numbers: Sequence[int] | None
) -> list[Problem]:
    future = (when.dt.normalize() > pd.Timestamp(today)).to_numpy(bool)
    if not future.any():
        return []
    count = int(future.sum())
    rows = example_rows(np.flatnonzero(future), numbers=numbers)
    latest = pd.Timestamp(when[future].max())
    return [
        Problem(
            f"{plural(count, 'row')} of {column} {verb(count, 'is', 'are')} dated after today "
            f"({today:%-d %B %Y}), up to {latest:%-d %B %Y} ({format_rows(rows)}); a log "
            "records what already happened.",
            column=column,
            rows=rows,
            fix="Correct those dates (a wrong year or day/month swapped?) or remove those rows, "
            "then upload again.",
            code="future_events",
        )
    ]


def _not_numbers(
    values: pd.Series, column: str, role: LogRole, numbers: Sequence[int] | None
) -> Problem:
    present = np.flatnonzero(values.notna().to_numpy(bool))
    rows = example_rows(present, numbers=numbers)
    shown = f' such as "{display_value(values.iloc[int(present[0])])}"' if len(present) else ""
    return Problem(
        f"{column} should hold the {role.display_name.lower()} as numbers, but holds text{shown} "
        f"({format_rows(rows)}).",
        column=column,
        rows=rows,
        fix="Write plain numbers (such as 12.50; currency signs and thousands separators are "
        'fine), or set its role to "Ignored", then upload again.',
        code="log_not_numbers",
    )


def _unmatched_cancellations(
    frame: pd.DataFrame, roles: LogRoles, numbers: Sequence[int] | None
) -> list[DataWarning]:
    """Cancellations with no earlier order of the same product (or any order, without a product
    column) by the same customer in the log: probably ordered before the log starts."""
    cancels = find_cancellations(frame, roles)
    if not cancels.any():
        return []
    customer, when = roles.customer or "", roles.timestamp or ""
    product = roles.column_for(LogRole.PRODUCT)
    keys = [customer] + ([product] if product else [])
    orders = frame.loc[~cancels & frame[when].notna().to_numpy(bool), [*keys, when]]
    first_order = orders.groupby(keys, sort=False, dropna=False)[when].min()
    asked = frame.loc[cancels, [*keys, when]]
    index = pd.MultiIndex.from_frame(asked[keys]) if product else pd.Index(asked[customer])
    first = first_order.reindex(index).to_numpy()
    unmatched = pd.isna(first) | (first > asked[when].to_numpy())
    if not unmatched.any():
        return []
    positions = np.flatnonzero(cancels)[unmatched]
    count = len(positions)
    rows = example_rows(positions, numbers=numbers)
    what = "of the same product " if product else ""
    return [
        DataWarning(
            f"{plural(count, 'cancellation')} ({format_rows(rows)}) {verb(count, 'has', 'have')} "
            f"no earlier order {what}by the same customer in the log, probably ordered before "
            "it starts; they are counted as cancellations all the same.",
            rows=rows,
            fix="Nothing to do, unless the export should start earlier: then export a longer "
            "history.",
            code="unmatched_cancellations",
        )
    ]
