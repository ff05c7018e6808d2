"""What if a customer changed: before and after, and the smallest allowed move that lowers the band.

The suggestion moves **levers only**, each **only in its allowed direction** (a price only down, a
contract only longer, a service only added; see :mod:`churn_core.explain.levers`), never tenure,
demographics, history or derived columns; a derived column the model uses is recomputed from its
sources when one of them moves, so the customer stays consistent. The search tries one lever at a
time, then pairs of values of the levers that lower risk most on their own. "Smallest" means a
switch of category counts 1, and a number's change its size relative to the spread of typical
customers (the 10th to 90th percentile); ties go to the larger drop in risk.

When no allowed move lowers the band, :func:`advise_change` says why in plain words, and names
the allowed moves the model says would *raise* risk, with the reason a model can say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from churn_core.columns import LOW, RISK_BANDS
from churn_core.explain.contributions import Explanation, format_value
from churn_core.explain.customer import to_frame
from churn_core.explain.levers import read_levers
from churn_core.model import ChurnModel, get_band
from churn_core.schema import BLANK, Derivation, FeatureSchema
from churn_core.schema.derived import CATEGORY_SUM
from churn_core.schema.levers import (
    DIRECTIONS,
    DOWN,
    PLAN,
    PRICE,
    PRODUCT,
    SWITCH,
    LeverGuess,
    allows,
    guess_lever,
)

#: Pairs of changes are tried among this many most promising columns.
PAIR_COLUMNS = 6
#: At most this many moves that backfire are named.
MAX_BACKFIRES = 3


@dataclass(frozen=True)
class Suggestion:
    """Changes that move a customer down a band, with the risk before and after."""

    changes: dict[str, tuple[Any, Any]]  # lever -> (before, after)
    before: float
    after: float
    band_before: str
    band_after: str
    #: Derived columns the model uses that follow the moved levers: column -> (before, after).
    recomputed: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def apply(self, customer: Mapping[str, Any]) -> dict[str, Any]:
        moved = {c: new for c, (_, new) in {**self.changes, **self.recomputed}.items()}
        return {**customer, **moved}

    def describe(self) -> str:
        """``switching Contract to One year lowers risk from 64% to 31% (High to Low)``."""
        return (
            f"{describe_moves(self.changes)} lowers risk from {self.before:.0%} to "
            f"{self.after:.0%} ({self.band_before} to {self.band_after})"
        )


@dataclass(frozen=True)
class WhatIf:
    """One customer's what-if: the suggestion, or why there is none (in plain words)."""

    probability: float
    band: str
    suggestion: Suggestion | None
    why: str = ""
    #: Allowed moves the model says would raise risk, each with why a model can say so.
    backfires: tuple[str, ...] = ()


def describe_moves(changes: Mapping[str, tuple[Any, Any]]) -> str:
    """``switching Contract to One year and changing Fee from 70 to 50``."""
    parts = []
    for column, (old, new) in changes.items():
        if isinstance(new, str):
            parts.append(f"switching {column} to {new}")
        else:
            parts.append(f"changing {column} from {format_value(old)} to {format_value(new)}")
    return " and ".join(parts)


def suggest_change(
    model: ChurnModel,
    customer: Mapping[str, Any],
    actionable: pd.DataFrame | Sequence[str] | None = None,
    *,
    cutoff: float,
) -> Suggestion | None:
    """The smallest allowed lever move that lowers the customer's band, if any (see
    :func:`advise_change`, which also says why when there is none)."""
    return advise_change(model, customer, actionable, cutoff=cutoff).suggestion


def advise_change(
    model: ChurnModel,
    customer: Mapping[str, Any],
    levers: pd.DataFrame | Sequence[str] | None = None,
    *,
    cutoff: float,
) -> WhatIf:
    """The smallest allowed move that lowers the band, or why there is none.

    Parameters
    ----------
    levers : lever table, column names, or None
        The lever table (maybe edited, see ``guess_levers``), or the names of the columns to act
        on (with their guessed directions); None: every guessed lever.
    cutoff : float
        The probability at which a customer is flagged (the High band).
    """
    schema = model.schema
    customer = {c: customer.get(c) for c in schema.columns}
    before = float(model.predict_proba(to_frame(customer, schema))[0])
    band = get_band(before, cutoff=cutoff, base_rate=model.base_rate)
    if band == LOW:
        return WhatIf(before, band, None, f"Already in the {LOW} band: nothing needs to change.")
    table = read_levers(levers if levers is not None else _all(model), model)
    derivations = [d for d in model.derived if d.column in schema.columns]
    single = [
        (column, value, size)
        for column, lever in table.items()
        for value, size in _candidates(schema, lever, customer[column])
    ]
    if not table:
        return WhatIf(before, band, None, _NO_LEVERS)
    if not single:
        shown = ", ".join(f"{c} is {format_value(customer[c])}" for c in list(table)[:3])
        return WhatIf(
            before, band, None, f"Every lever is already as far as it goes for them ({shown})."
        )
    tried = [{column: value} for column, value, _ in single]
    p = _predict(model, customer, tried, derivations)
    sizes = [size for _, _, size in single]
    best = _smallest(tried, sizes, p, band, cutoff, model.base_rate)
    backfires = _backfires(table, customer, single, p, before)
    if best is None:  # no single change is enough: pairs of values of the leading levers
        lowest: dict[str, float] = {}
        for (column, _, _), p_one in zip(single, p, strict=True):
            lowest[column] = min(lowest.get(column, 1.0), float(p_one))
        leading = set(sorted(lowest, key=lowest.__getitem__)[:PAIR_COLUMNS])
        options = [k for k, (column, _, _) in enumerate(single) if column in leading]
        pairs = [(a, b) for a, b in combinations(options, 2) if single[a][0] != single[b][0]]
        if pairs:
            pair_changes = [{**tried[a], **tried[b]} for a, b in pairs]
            pair_p = _predict(model, customer, pair_changes, derivations)
            pair_sizes = [sizes[a] + sizes[b] for a, b in pairs]
            best = _smallest(pair_changes, pair_sizes, pair_p, band, cutoff, model.base_rate)
            tried, p = tried + pair_changes, np.concatenate([p, pair_p])
    if best is None:
        return WhatIf(before, band, None, _why_none(tried, p, before, band, customer), backfires)
    change, after = best
    _, recomputed = apply_change(customer, change, derivations)
    return WhatIf(
        before,
        band,
        Suggestion(
            {c: (customer[c], v) for c, v in change.items()},
            before,
            after,
            band,
            get_band(after, cutoff=cutoff, base_rate=model.base_rate),
            recomputed,
        ),
        backfires=backfires,
    )


def check_what_if(
    model: ChurnModel,
    customer: Mapping[str, Any],
    changes: Mapping[str, Any],
    levers: pd.DataFrame | Sequence[str] | None = None,
) -> list[str]:
    """Plain notes on a what-if the user typed in: a derived column moved on its own (with what
    the model says of it, and why that is not to be believed), a move against a lever's
    direction, a column that is no lever, or an allowed move the model says raises risk (with
    why). Empty when the change reads as it should.

    A derived column whose typed value is the one its moved sources give (see
    :func:`recompute_derived`) follows them, and needs no note. The page shows these next to
    the before/after numbers, so a discount that "raises risk" is explained instead of believed.
    """
    schema = model.schema
    table = read_levers(levers if levers is not None else _all(model), model)
    derived = {d.column: d for d in model.derived}
    customer = {c: customer.get(c) for c in schema.columns}
    changes = {
        c: v for c, v in changes.items() if c in schema.columns and not _same(v, customer[c])
    }
    sources = {c: v for c, v in changes.items() if c not in derived}
    follows, _ = apply_change(customer, sources, model.derived)  # what derived columns would be
    notes = []
    for column, new in changes.items():
        old = customer.get(column)
        if column in derived:
            if not _close(new, follows.get(column)):
                notes.append(_moved_alone(model, customer, derived[column], new))
            continue
        lever = table.get(column)
        if lever is None:
            notes.append(f"{column} is not something you change for a customer (see the levers).")
        elif not allows(lever.direction, old, new):
            notes.append(
                f"{column} {DIRECTIONS[lever.direction]}: {format_value(old)} to "
                f"{format_value(new)} is not a move you would make."
            )
        else:
            before = float(model.predict_proba(to_frame(customer, schema))[0])
            after_customer, _ = apply_change(customer, {column: new}, model.derived)
            after = float(model.predict_proba(to_frame(after_customer, schema))[0])
            if after >= before + 0.01:
                moves = describe_moves({column: (old, new)})
                notes.append(
                    f"{moves[0].upper()}{moves[1:]} raises their risk from {before:.0%} to "
                    f"{after:.0%} in this model: {_why_backfire(lever, old, new)}."
                )
    return notes


def recompute_derived(
    model: ChurnModel, customer: Mapping[str, Any], changes: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    """The customer after changes a person typed in, kept consistent: each derived column the
    model uses that they left as it was follows its moved sources (``TotalCharges`` follows a
    new ``MonthlyCharges``); one they typed keeps the typed value. Returns ``(customer after,
    recomputed)``, ``recomputed`` being column -> (before, after) for the columns that followed.
    """
    schema = model.schema
    customer = {c: customer.get(c) for c in schema.columns}
    typed = {c: v for c, v in changes.items() if c in schema.columns}
    derived = {d.column for d in model.derived if d.column in schema.columns}
    moved = {c: v for c, v in typed.items() if c not in derived or not _same(v, customer[c])}
    sources = {c: v for c, v in moved.items() if c not in derived}
    derivations = [d for d in model.derived if d.column in schema.columns and d.column not in moved]
    after, recomputed = apply_change(customer, sources, derivations)
    return {**after, **moved}, recomputed


def _moved_alone(
    model: ChurnModel, customer: Mapping[str, Any], derivation: Derivation, new: Any
) -> str:
    """Why a derived column moved on its own is not a move: what the model says of it, if it
    moves risk, and what to change instead."""
    column, schema = derivation.column, model.schema
    before = float(model.predict_proba(to_frame(customer, schema))[0])
    after = float(model.predict_proba(to_frame({**customer, column: new}, schema))[0])
    moves = describe_moves({column: (customer.get(column), new)})
    said = (
        f"{moves[0].upper()}{moves[1:]} takes their risk from {before:.0%} to {after:.0%} in "
        "this model, but "
        if abs(after - before) >= 0.01
        else ""
    )
    lever = guess_lever(column, numeric=True)
    if lever.kind == PRICE and derivation.kind == CATEGORY_SUM:
        discount = "discount" if _lower(new, customer.get(column)) else "new price"
        cannot = (
            f"the model cannot tell price apart from what it pays for, so a {discount} alone "
            "describes no real customer"
        )
    else:
        cannot = (
            f"the model cannot tell it apart from them, so changing {column} alone describes "
            "no real customer"
        )
    return f"{said}{derivation.describe()}: {cannot}. Change those columns instead."


def _lower(new: Any, old: Any) -> bool:
    try:
        return float(new) < float(old)
    except (TypeError, ValueError):
        return False


def _same(a: Any, b: Any) -> bool:
    """Two field values that are the same (blanks alike, numbers to rounding)."""
    if _blank(a) or _blank(b):
        return _blank(a) and _blank(b)
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    try:
        return bool(np.isclose(float(a), float(b)))
    except (TypeError, ValueError):
        return False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _close(a: Any, b: Any) -> bool:
    """Two values of a derived column that are the same to the cent."""
    try:
        return abs(float(a) - float(b)) < 0.005 + 1e-9
    except (TypeError, ValueError):
        return _same(a, b)


_NO_LEVERS = (
    "None of the columns this model uses is something you can change for a customer (see "
    "the lever table): act on their reasons instead."
)


def _all(model: ChurnModel) -> list[str]:
    return list(model.schema.columns)


def apply_change(
    customer: Mapping[str, Any], change: Mapping[str, Any], derivations: Sequence[Derivation]
) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    """The customer after ``change``, with derived columns that follow the moved columns
    recomputed (sources first). A derived column moves by what its formula moves, so the
    customer's own difference from the formula is kept: ``(customer after, recomputed)``."""
    after = {**customer, **change}
    recomputed: dict[str, tuple[Any, Any]] = {}
    moved = set(change)
    for derivation in derivations:
        column = derivation.column
        if column not in customer or not moved & set(derivation.sources):
            continue
        old, new = derivation.compute_one(customer), derivation.compute_one(after)
        current = pd.to_numeric(pd.Series([customer[column]]), errors="coerce").iloc[0]
        base = old if pd.isna(current) else float(current)
        value = round(base + new - old, 2) if np.isfinite(new - old) else customer[column]
        after[column] = value
        recomputed[column] = (customer[column], value)
        moved.add(column)
    return after, recomputed


def _predict(
    model: ChurnModel,
    customer: Mapping[str, Any],
    changes: list[dict[str, Any]],
    derivations: Sequence[Derivation],
) -> np.ndarray:
    rows = [apply_change(customer, change, derivations)[0] for change in changes]
    return model.predict_proba(pd.DataFrame(rows, columns=list(model.schema.columns)))


def _candidates(schema: FeatureSchema, lever: LeverGuess, current: Any) -> list[tuple[Any, float]]:
    """Values to try for one lever (only those its direction allows), with the size of each."""
    column = lever.column
    if column in schema.categorical:
        levels = schema.levels.get(column, [])
        return [(v, 1.0) for v in levels if v != BLANK and allows(lever.direction, current, v)]
    ranges = schema.ranges.get(column)
    if not ranges or current is None or pd.isna(current):
        return []
    spread = (ranges["p90"] - ranges["p10"]) or (ranges["max"] - ranges["min"]) or 1.0
    quantiles = {ranges[k] for k in ("min", "p10", "p25", "median", "p75", "p90", "max")}
    if ranges.get("whole") == 1.0:  # whole numbers stay whole: 2 support tickets, not 2.5
        quantiles = {float(round(v)) for v in quantiles}
    return [
        (v, abs(v - float(current)) / spread)
        for v in sorted(quantiles)
        if allows(lever.direction, float(current), v)
    ]


def _smallest(
    changes: list[dict[str, Any]],
    sizes: list[float],
    p: np.ndarray,
    band: str,
    cutoff: float,
    base_rate: float,
) -> tuple[dict[str, Any], float] | None:
    rank = RISK_BANDS.index(band)
    lower = [
        i
        for i in range(len(changes))
        if RISK_BANDS.index(get_band(float(p[i]), cutoff=cutoff, base_rate=base_rate)) > rank
    ]
    if not lower:
        return None
    i = min(lower, key=lambda i: (round(sizes[i], 9), p[i]))
    return changes[i], float(p[i])


def _why_none(
    tried: list[dict[str, Any]],
    p: np.ndarray,
    before: float,
    band: str,
    customer: Mapping[str, Any],
) -> str:
    best = int(np.argmin(p))
    moves = describe_moves({c: (customer[c], v) for c, v in tried[best].items()})
    if p[best] >= before:
        return (
            f"Every move open to you would raise their risk in this model; the least harmful, "
            f"{moves}, takes it from {before:.0%} to {p[best]:.0%}. Act on their reasons instead."
        )
    if round(100 * float(p[best])) >= round(100 * before):
        return (
            f"No move open to you lowers their risk by even a point: the best, {moves}, leaves "
            f"it at {before:.0%}. Act on their reasons instead."
        )
    return (
        f"No move open to you lowers their band: the best, {moves}, lowers risk from "
        f"{before:.0%} to {p[best]:.0%} (still {band})."
    )


def _backfires(
    levers: Mapping[str, LeverGuess],
    customer: Mapping[str, Any],
    single: list[tuple[str, Any, float]],
    p: np.ndarray,
    before: float,
) -> tuple[str, ...]:
    """Allowed single moves of levers with a direction (not mere switches) that raise risk by
    a point or more, the worst first, each with why."""
    worst: dict[str, tuple[float, Any]] = {}
    for (column, value, _), p_one in zip(single, p, strict=True):
        if levers[column].direction == SWITCH or p_one < before + 0.01:
            continue
        if p_one > worst.get(column, (0.0, None))[0]:
            worst[column] = (float(p_one), value)
    ranked = sorted(worst.items(), key=lambda item: -item[1][0])[:MAX_BACKFIRES]
    out = []
    for column, (after, value) in ranked:
        moves = describe_moves({column: (customer[column], value)})
        out.append(
            f"{moves[0].upper()}{moves[1:]} would raise their risk from {before:.0%} to "
            f"{after:.0%}: {_why_backfire(levers[column], customer[column], value)}."
        )
    return tuple(out)


def _why_backfire(lever: LeverGuess, old: Any, new: Any) -> str:
    column = lever.column
    if lever.kind == PRICE and lever.direction == DOWN:
        return (
            "the model cannot tell price apart from what it pays for. In your data, customers "
            "who pay less also have less (fewer services, a smaller plan) and behave "
            "differently, so it cannot say what a discount alone would do"
        )
    if lever.kind == PRODUCT:
        return (
            f"in your data, customers with {column} {format_value(new)} left more often than "
            f"those with {format_value(old)}. The model learned who has it, not what giving it "
            "to someone would do"
        )
    if lever.kind == PLAN:
        return (
            f"in your data, customers on {format_value(new)} left more often than those on "
            f"{format_value(old)}, all else equal in the model; it learned who chooses it, not "
            "what moving someone would do"
        )
    return (
        f"in your data, customers with {column} at {format_value(new)} left more often than "
        f"at {format_value(old)}; the model learned that from customers as they are, not from "
        "changing it for someone"
    )


def get_what_if_df(before: Explanation, after: Explanation) -> pd.DataFrame:
    """Each column's effect on the first customer of ``before`` and of ``after``, in points."""
    return pd.DataFrame(
        {
            "Column": before.columns,
            "Before": [format_value(v) for v in before.values.iloc[0]],
            "After": [format_value(v) for v in after.values.iloc[0]],
            "Effect before (pts)": before.points[0].round(1),
            "Effect after (pts)": after.points[0].round(1),
        }
    )
