"""The lever table: for each of the model's columns, whether a business can act on it, what
kind of lever it is, and which moves are allowed (see :mod:`churn_core.schema.levers`).

The table is what the page shows and lets the user edit (columns ``column``, ``actionable``,
``kind``, ``direction``, ``why``); actions read its kinds, and the what-if its directions.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from churn_core.model import ChurnModel
from churn_core.schema import FeatureSchema
from churn_core.schema.levers import DIRECTIONS, LEVER_KINDS, NONE, LeverGuess, guess_lever

LEVER_COLUMNS: tuple[str, ...] = ("column", "actionable", "kind", "direction", "why")


def guess_levers(model: ChurnModel | FeatureSchema) -> pd.DataFrame:
    """Each model column: actionable (a guess), its lever kind, allowed direction, and why.

    Derived columns the model keeps (``schema.derived``) are never levers, and its tenure
    column is a tenure stage.

    >>> s = FeatureSchema(("Age", "SupportTickets"), ("Contract",), {"Contract": ["Monthly"]})
    >>> guess_levers(s)[["column", "actionable", "direction"]].values.tolist()
    [['Age', False, 'none'], ['SupportTickets', True, 'down'], ['Contract', True, 'switch']]
    """
    schema = model.schema if isinstance(model, ChurnModel) else model
    derived, tenure = schema.derived, schema.tenure
    rows = []
    for column in schema.columns:
        numeric = column in schema.numeric
        guess = guess_lever(
            column,
            [] if numeric else schema.levels.get(column, []),
            numeric=numeric,
            tenure=column == tenure,
            derived=derived.get(column, ""),
        )
        rows.append((column, guess.actionable, guess.kind, guess.direction, guess.why))
    return pd.DataFrame(rows, columns=list(LEVER_COLUMNS))


def read_levers(
    table: pd.DataFrame | Sequence[str], model: ChurnModel | FeatureSchema
) -> dict[str, LeverGuess]:
    """The levers a what-if may move: actionable rows whose direction allows a move.

    ``table`` is a lever table (maybe edited; a missing or unknown kind or direction falls back
    to the guess), or just the names of the columns to act on (their guessed directions).
    Derived columns the model knows of are never levers, whatever the table says.
    """
    guessed = guess_levers(model).set_index("column")
    if isinstance(table, pd.DataFrame):
        rows = table
        if "actionable" in rows.columns:
            rows = rows[rows["actionable"].fillna(False).astype(bool)]
        wanted = {str(r["column"]): r for _, r in rows.iterrows()}
    else:
        wanted = {str(c): guessed.loc[c] for c in table if c in guessed.index}
    derived = (model.schema if isinstance(model, ChurnModel) else model).derived
    out = {}
    for column, row in wanted.items():
        if column not in guessed.index or column in derived:
            continue
        kind = _pick(row.get("kind"), LEVER_KINDS, str(guessed.loc[column, "kind"]))
        direction = _pick(row.get("direction"), DIRECTIONS, str(guessed.loc[column, "direction"]))
        if direction != NONE:
            out[column] = LeverGuess(column, kind, direction, str(row.get("why", "")))
    return out


def _pick(value: object, allowed: Sequence[str] | dict[str, str], fallback: str) -> str:
    return str(value) if isinstance(value, str) and value in allowed else fallback
