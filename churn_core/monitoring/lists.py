"""A delivered at-risk list read back: its customers' ids as keys to match on, their
probabilities, bands and segments, checked once for every use (movers, the track record).

A list comes back as the frame the app kept or as the CSV it downloaded (the user's id column
first, then ``churn_core.columns.AT_RISK_COLUMNS``). Ids are matched as a person writes them:
``1001``, ``1001.0`` and ``" 1001 "`` are one customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError, Problem, example_rows, plural, verb
from churn_core.schema import display_value

#: The key column of a read list: each id as text, as a person writes it.
KEY = "_key"


def read_list(
    frame: pd.DataFrame, *, id_column: str | None = None, name: str = "the list"
) -> pd.DataFrame:
    """The list's id (under its own name), key, probability, band and segment, in list order.

    The id column is ``id_column``, else the list's first column. Bands and segments are
    ``<NA>`` when the list has none.

    Raises
    ------
    ChurnDataError
        When the list is empty, lacks the id column or ``churn_probability``, holds
        probabilities that are not numbers between 0 and 1, or names a customer twice.
    """
    if frame.empty or len(frame.columns) == 0:
        raise _error(f"{capital(name)} has no customers.", "Choose a list with rows.", "empty_list")
    id_column = id_column or str(frame.columns[0])
    problems = []
    if id_column not in frame.columns:
        problems.append(_no_column(name, id_column, "the customer id column", frame))
    if col.CHURN_PROBABILITY not in frame.columns:
        problems.append(_no_column(name, col.CHURN_PROBABILITY, "churn probabilities", frame))
    if problems:
        raise ChurnDataError(problems)
    p = pd.to_numeric(frame[col.CHURN_PROBABILITY], errors="coerce").to_numpy(float)
    bad = ~((p >= 0) & (p <= 1))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ChurnDataError(
            [
                Problem(
                    f"{col.CHURN_PROBABILITY} in {name} must be a number between 0 and 1 for "
                    f"every customer; {plural(int(bad.sum()), 'row')} "
                    f"{verb(int(bad.sum()), 'is', 'are')} not "
                    f'(e.g. "{display_value(frame[col.CHURN_PROBABILITY].iloc[first])}").',
                    column=col.CHURN_PROBABILITY,
                    rows=example_rows(np.flatnonzero(bad)),
                    fix="Use the list as the app or `score` wrote it, unedited.",
                    code="bad_list_probability",
                )
            ]
        )
    keys = get_id_keys(frame[id_column])
    check_unique(keys, id_column, name)
    out = pd.DataFrame(
        {
            id_column: frame[id_column].to_numpy(dtype=object),
            KEY: keys.to_numpy(),
            col.CHURN_PROBABILITY: p,
            col.RISK_BAND: _text(frame, col.RISK_BAND),
            col.SEGMENT: _text(frame, col.SEGMENT),
        }
    )
    out.attrs["id_column"] = id_column
    return out


def get_id_keys(ids: pd.Series) -> pd.Series:
    """Each id as text a person writes (``1001.0`` -> ``"1001"``); NA where blank.

    >>> get_id_keys(pd.Series([1001.0, " C7 ", None])).tolist()
    ['1001', 'C7', <NA>]
    """
    keys = ids.map(display_value, na_action="ignore").astype("string")
    return keys.where(keys.str.len() > 0)


def check_unique(keys: pd.Series, id_column: str, name: str) -> None:
    """Raise when an id names two customers (a blank id is never a match, so it passes)."""
    repeated = keys[keys.notna() & keys.duplicated(keep=False)]
    if repeated.empty:
        return
    value = str(repeated.iloc[0])
    where = np.flatnonzero(keys.eq(value).fillna(False).to_numpy(bool))
    raise ChurnDataError(
        [
            Problem(
                f"{id_column} in {name} should name each customer once, but "
                f"{plural(int(repeated.nunique()), 'id')} "
                f"{verb(int(repeated.nunique()), 'appears', 'appear')} more than once, e.g. "
                f'"{value}" on rows {where[0] + 2} and {where[1] + 2}.',
                column=id_column,
                rows=example_rows(where),
                fix="Keep one row per customer, or choose the column that identifies customers.",
                code="duplicate_list_ids",
            )
        ]
    )


def show_ids(keys: pd.Series | np.ndarray | list[str], n: int = 3) -> str:
    """A few ids as the user would read them: ``"C1", "C2" and "C3"``.

    >>> show_ids(["C1", "C2", "C3", "C4"])
    '"C1", "C2" and "C3"'
    """
    shown = [f'"{k}"' for k in list(pd.Series(keys).dropna().astype(str))[:n]]
    if not shown:
        return "none"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _text(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), pd.NA, dtype=object)
    values = frame[name].astype("string").str.strip()
    return values.where(values.str.len() > 0).to_numpy(dtype=object)


def _no_column(name: str, column: str, what: str, frame: pd.DataFrame) -> Problem:
    shown = ", ".join(str(c) for c in frame.columns[:12])
    return Problem(
        f'{capital(name)} has no column "{column}" ({what}); its columns are: {shown}.',
        column=column,
        fix="Use an at-risk list as the app or `score` wrote it (the id column first, then "
        f"rank, {col.CHURN_PROBABILITY}, {col.RISK_BAND}, ...), or name its id column.",
        code="not_a_list",
    )


def _error(message: str, fix: str, code: str) -> ChurnDataError:
    return ChurnDataError([Problem(message, fix=fix, code=code)])


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
