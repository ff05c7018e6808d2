"""Derived columns: a number that is (almost exactly) a function of other columns.

``TotalCharges`` is about ``tenure x MonthlyCharges`` (a running total); a card's
``Avg_Open_To_Buy`` is ``Credit_Limit - Total_Revolving_Bal``; a telecom's ``MonthlyCharges`` is
about the sum of the prices of the services the customer has. A model that uses such a column
"holding the others fixed" learns something no business can do (lower the total bill without
lowering the monthly one), so a derived column is never a lever, never a reason to act on, and is
left out of the model by default (the profile says why; the user can set its role back).

Detection is cheap enough for the profile: it looks at a sample of rows, and fits, for every
number column, each candidate form at once from correlations:

- a **product** or **ratio** of two number columns (``k * a * b + c``, ``k * a / b + c``), which
  with a tenure column is a **running total**;
- a **sum** or **difference** of two number columns (``w_a * a + w_b * b + c``);
- a **copy** of one number column at another scale (``k * a + c``);
- a **sum over categories**: a fixed amount for each value of some category columns.

A form counts when it explains :data:`MIN_FIT` of the column's variance (:data:`MIN_SUM_FIT` for
a sum over categories), and a two-column form only when it needs both columns (it leaves at most
a fifth of what the best single column leaves unexplained).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from churn_core.schema.labels import display_value, name_words

#: Share of a column's variance a two-column form must explain to call the column derived.
MIN_FIT = 0.99
#: For a copy of one column (``k * a + c``).
MIN_COPY_FIT = 0.999
#: For a sum of fixed amounts per category value ("the sum of the services").
MIN_SUM_FIT = 0.98
#: Rows looked at: enough to tell a function from a correlation, cheap on any file.
SAMPLE_ROWS = 2000
MAX_LEVELS = 20  # category columns with more values are not tried as parts of a sum
#: Up to this many number columns, every pair is tried; beyond, the few most related to each.
MAX_ALL_PAIRS = 30
WIDE_SOURCES = 6
#: A sum over categories is only tried with this many rows for each amount it would fit.
ROWS_PER_AMOUNT = 10
_MIN_ROWS = 50

PRODUCT, RATIO, SUM, DIFFERENCE, COPY, CATEGORY_SUM = (
    "product",
    "ratio",
    "sum",
    "difference",
    "copy",
    "sum over categories",
)
#: Name words that say a column was computed (the stronger first).
_COMPUTED_WORDS = {
    "ratio": 2,
    "avg": 2,
    "average": 2,
    "mean": 2,
    "per": 2,
    "rate": 2,
    "share": 2,
    "pct": 2,
    "percent": 2,
    "utilization": 2,
    "utilisation": 2,
    "proportion": 2,
    "total": 1,
    "sum": 1,
    "cumulative": 1,
    "lifetime": 1,
    "net": 1,
}


_Form = tuple[str, tuple[str, str], np.ndarray]  # kind, sources, values


@dataclass(frozen=True)
class Derivation:
    """A column that is about a function of ``sources``, and how to recompute it."""

    column: str
    kind: str
    sources: tuple[str, ...]
    fit: float  # share of the column's variance the formula explains, on the sampled rows
    #: Coefficients: ``scale``/``offset`` (product, ratio, copy), ``weights``/``offset`` (sum,
    #: difference), ``amounts`` (column -> value -> amount) and ``offset`` (sum over categories).
    formula: dict[str, Any] = field(default_factory=dict)
    running_total: bool = False  # a product with the customer's tenure: billing history

    def describe(self) -> str:
        """``TotalCharges is a running total: about tenure x MonthlyCharges``."""
        a, b = (*self.sources, "", "")[:2]
        scale = _scale_words(float(self.formula.get("scale", 1.0)))
        if self.kind == PRODUCT:
            text = f"about {scale}{a} x {b}"
            if self.running_total:
                return f"{self.column} is a running total: {text}"
        elif self.kind == RATIO:
            text = f"about {scale}{a} / {b}"
        elif self.kind in (SUM, DIFFERENCE):
            w_a, w_b = (float(self.formula["weights"][s]) for s in self.sources)
            sign = "+" if w_b > 0 else "-"
            text = f"about {_scale_words(w_a)}{a} {sign} {_scale_words(abs(w_b))}{b}"
        elif self.kind == COPY:
            text = f"about {scale}{a}" if scale else f"about the same as {a}"
        else:
            shown = ", ".join(self.sources[:4])
            more = f" and {len(self.sources) - 4} more" if len(self.sources) > 4 else ""
            text = f"about a sum of fixed amounts for each value of {shown}{more}"
        return f"{self.column} is {text}"

    def compute(self, frame: pd.DataFrame | Mapping[str, Any]) -> pd.Series:
        """The column recomputed from its sources (for a table, or one customer as a dict)."""
        data = pd.DataFrame([dict(frame)]) if isinstance(frame, Mapping) else frame
        offset = float(self.formula.get("offset", 0.0))
        if self.kind == CATEGORY_SUM:
            total = pd.Series(offset, index=data.index, dtype=float)
            for column, amounts in self.formula["amounts"].items():
                text = data[column].map(display_value)
                total = total + text.map(amounts).fillna(0.0).astype(float)
            return total
        values = [pd.to_numeric(data[s], errors="coerce").astype(float) for s in self.sources]
        if self.kind in (SUM, DIFFERENCE):
            weights = self.formula["weights"]
            return offset + sum(w * v for w, v in zip(weights.values(), values, strict=True))
        scale = float(self.formula.get("scale", 1.0))
        if self.kind == PRODUCT:
            return offset + scale * values[0] * values[1]
        if self.kind == RATIO:
            return offset + scale * values[0] / values[1].replace(0.0, np.nan)
        return offset + scale * values[0]

    def compute_one(self, customer: Mapping[str, Any]) -> float:
        """The column for one customer given as ``{column: value}`` (fast: no table built)."""
        offset = float(self.formula.get("offset", 0.0))
        if self.kind == CATEGORY_SUM:
            amounts = self.formula["amounts"]
            return offset + sum(
                float(amounts[c].get(display_value(customer.get(c)), 0.0)) for c in amounts
            )
        values = [_number(customer.get(s)) for s in self.sources]
        if self.kind in (SUM, DIFFERENCE):
            weights = self.formula["weights"].values()
            return offset + sum(w * v for w, v in zip(weights, values, strict=True))
        scale = float(self.formula.get("scale", 1.0))
        if self.kind == PRODUCT:
            return offset + scale * values[0] * values[1]
        if self.kind == RATIO:
            return offset + scale * values[0] / values[1] if values[1] else float("nan")
        return offset + scale * values[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "kind": self.kind,
            "sources": list(self.sources),
            "fit": self.fit,
            "formula": self.formula,
            "running_total": self.running_total,
            "description": self.describe(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Derivation:
        return cls(
            str(data["column"]),
            str(data["kind"]),
            tuple(data["sources"]),
            float(data["fit"]),
            dict(data["formula"]),
            bool(data.get("running_total", False)),
        )


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def find_derived_columns(
    frame: pd.DataFrame,
    numbers: Sequence[str],
    categories: Sequence[str] = (),
    *,
    protected: Sequence[str] = (),
    tenure: str | None = None,
    seed: int = 0,
) -> list[Derivation]:
    """Number columns that are (almost exactly) a function of others, with their formulas.

    Parameters
    ----------
    frame : pd.DataFrame
        The customer table (only a sample of :data:`SAMPLE_ROWS` rows is looked at).
    numbers, categories : sequences of str
        The number and category columns to look at; derived columns are found among the numbers.
    protected : sequence of str
        Columns never called derived (the tenure: other things are derived from it).
    tenure : str, optional
        The tenure column: a product with it is a running total.

    >>> t = pd.DataFrame({"months": np.arange(300) % 60 + 1.0, "price": np.arange(300) % 7 + 20.0})
    >>> t["total"] = t["months"] * t["price"]
    >>> found = find_derived_columns(t, ["months", "price", "total"], tenure="months")
    >>> [d.describe() for d in found]
    ['total is a running total: about months x price']
    """
    rows = _sample(frame, seed)
    numbers = [c for c in numbers if _usable_number(rows[c])]
    values = {c: pd.to_numeric(rows[c], errors="coerce").to_numpy(float) for c in numbers}
    complete = np.all([np.isfinite(v) for v in values.values()], axis=0) if values else None
    found: dict[str, list[Derivation]] = {}
    if complete is not None and complete.sum() >= _MIN_ROWS:
        x = {c: v[complete] for c, v in values.items()}
        for candidate in _number_forms(x, [c for c in numbers if c not in protected], tenure):
            found.setdefault(candidate.column, []).append(candidate)
    texts = {
        c: rows[c].map(display_value).to_numpy(object)
        for c in categories
        if 1 < rows[c].nunique(dropna=False) <= MAX_LEVELS
    }
    for column in numbers:
        if column in protected or not texts:
            continue
        y = pd.to_numeric(rows[column], errors="coerce").to_numpy(float)
        summed = _category_sum(column, y, texts)
        if summed is not None:
            found.setdefault(column, []).append(summed)
    return _choose(found)


def _sample(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    if len(frame) <= SAMPLE_ROWS:
        return frame
    picked = np.random.default_rng(seed).choice(len(frame), SAMPLE_ROWS, replace=False)
    return frame.iloc[np.sort(picked)]


def _usable_number(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return False
    present = series.dropna()
    return len(present) >= _MIN_ROWS and present.nunique() > 2


def _number_forms(
    x: dict[str, np.ndarray], targets: list[str], tenure: str | None
) -> list[Derivation]:
    """Every two-column and copy form that fits a target, from correlations (all at once)."""
    names = list(x)
    if not targets or len(names) < 2:
        return []
    z = np.column_stack([_standardise(x[c]) for c in names])
    corr = z.T @ z / len(z)
    position = {c: i for i, c in enumerate(names)}
    t = [position[y] for y in targets]
    others = corr[np.ix_(t, range(len(names)))] ** 2
    others[np.arange(len(t)), t] = 0.0
    single = dict(zip(targets, others.max(axis=1), strict=True))
    out: list[Derivation] = []
    for y, best in zip(targets, others.argmax(axis=1), strict=True):
        if single[y] >= MIN_COPY_FIT:
            scale, offset = _line(x[names[best]], x[y])
            formula = {"scale": scale, "offset": offset}
            out.append(Derivation(y, COPY, (names[best],), float(single[y]), formula))
    # Every pair on narrow tables; on wide ones, pairs of the columns most related to a target
    # (the parts of a product or a sum are among them): the work stays small at any width.
    pairs_of = {y: _pairs(y, names, corr[position[y]]) for y in targets}
    narrow = len(names) <= MAX_ALL_PAIRS + 1
    if narrow:  # one product of matrices for every form and target
        forms = [f for pair in combinations(names, 2) for f in _pair_forms(*pair, x)]
        g = np.column_stack([_standardise(v) for _, _, v in forms]) if forms else z[:, :0]
        every = (g.T @ z[:, t] / len(z)) ** 2
    for j, y in enumerate(targets):
        if narrow:
            mine, fits = forms, every[:, j]
        else:  # wide: only this target's own forms
            mine = [f for pair in pairs_of[y] for f in _pair_forms(*pair, x)]
            if not mine:
                continue
            own = np.column_stack([_standardise(v) for _, _, v in mine])
            fits = (own.T @ z[:, t[j]] / len(z)) ** 2
        for (kind, sources, values), fit in zip(mine, fits, strict=True):
            if y in sources or not _needs_both(float(fit), single[y]):
                continue
            scale, offset = _line(values, x[y])
            out.append(
                Derivation(
                    y,
                    kind,
                    sources,
                    float(fit),
                    {"scale": scale, "offset": offset},
                    running_total=kind == PRODUCT and tenure in sources,
                )
            )
    for y in targets:
        for a, b in pairs_of[y]:
            i, j, k = position[y], position[a], position[b]
            r_ab = corr[j, k]
            if abs(r_ab) >= 0.999:
                continue
            fit = (corr[i, j] ** 2 + corr[i, k] ** 2 - 2 * corr[i, j] * corr[i, k] * r_ab) / (
                1 - r_ab**2
            )
            if _needs_both(float(fit), single[y]):
                out.append(_linear(y, a, b, x, float(fit)))
    return out


def _pair_forms(
    a: str, b: str, x: dict[str, np.ndarray]
) -> list[tuple[str, tuple[str, str], np.ndarray]]:
    """The product of two columns, and their ratios where the divisor is never 0."""
    forms = [(PRODUCT, (a, b), x[a] * x[b])]
    if np.all(x[b] != 0):
        forms.append((RATIO, (a, b), x[a] / x[b]))
    if np.all(x[a] != 0):
        forms.append((RATIO, (b, a), x[b] / x[a]))
    return forms


def _pairs(y: str, names: list[str], corr_y: np.ndarray) -> list[tuple[str, str]]:
    """Pairs of other columns to try as ``y``'s sources, in the table's column order."""
    others = [c for c in names if c != y]
    if len(others) > MAX_ALL_PAIRS:
        strongest = [names[i] for i in np.argsort(-np.abs(corr_y), kind="stable")]
        keep = [c for c in strongest if c != y][:WIDE_SOURCES]
        others = [c for c in others if c in keep]
    return list(combinations(others, 2))


def _needs_both(fit: float, single: float) -> bool:
    """The form fits, and leaves at most a fifth of what the best single column leaves."""
    return fit >= MIN_FIT and 1 - fit <= 0.2 * (1 - single)


def _standardise(v: np.ndarray) -> np.ndarray:
    sd = float(np.std(v))
    return (v - float(np.mean(v))) / sd if sd > 0 and np.isfinite(sd) else np.zeros_like(v)


def _line(g: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares ``y = scale * g + offset``."""
    scale, offset = np.polyfit(g, y, 1)
    return float(scale), float(offset)


def _linear(y: str, a: str, b: str, x: dict[str, np.ndarray], fit: float) -> Derivation:
    design = np.column_stack([x[a], x[b], np.ones(len(x[a]))])
    w_a, w_b, offset = _least_squares(design, x[y])
    if w_a < 0 < w_b:  # "b - a" reads better than "-a + b"
        a, b, w_a, w_b = b, a, w_b, w_a
    kind = SUM if w_a > 0 and w_b > 0 else DIFFERENCE
    weights = {a: float(w_a), b: float(w_b)}
    return Derivation(y, kind, (a, b), fit, {"weights": weights, "offset": float(offset)})


def _category_sum(column: str, y: np.ndarray, texts: dict[str, np.ndarray]) -> Derivation | None:
    known = np.isfinite(y)
    amounts_to_fit = 1 + sum(len(set(v)) - 1 for v in texts.values())
    # With too few rows per amount, any column "adds up" (more amounts than evidence).
    if known.sum() < ROWS_PER_AMOUNT * amounts_to_fit or np.var(y[known]) == 0:
        return None
    usable = list(texts)
    text = {c: v[known] for c, v in texts.items()}
    fit, amounts, offset = _fit_amounts(y[known], text)
    if fit < MIN_SUM_FIT:
        return None
    loss = {}  # what each column adds: the fit lost without it
    for c in usable:
        rest = {k: v for k, v in text.items() if k != c}
        loss[c] = fit - (_fit_amounts(y[known], rest)[0] if rest else 0.0)
    sources = tuple(sorted((c for c in usable if loss[c] > 0.002), key=lambda c: -loss[c]))
    if not sources:
        return None
    fit, amounts, offset = _fit_amounts(y[known], {c: text[c] for c in sources})
    if fit < MIN_SUM_FIT:
        return None
    formula = {"amounts": {c: amounts[c] for c in sources}, "offset": offset}
    return Derivation(column, CATEGORY_SUM, sources, fit, formula)


def _least_squares(design: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares through the normal equations, with a whisker of ridge for columns that
    repeat each other ("No internet service" in every service column): fast on any BLAS."""
    gram = design.T @ design
    ridge = 1e-9 * max(float(np.trace(gram)), 1.0) * np.eye(len(gram))
    return np.asarray(np.linalg.solve(gram + ridge, design.T @ y))


def _fit_amounts(
    y: np.ndarray, text: dict[str, np.ndarray]
) -> tuple[float, dict[str, dict[str, float]], float]:
    """Least squares of ``y`` on one amount per category value (the first value of each is 0)."""
    blocks, names = [], []
    for column, values in text.items():
        levels = sorted(set(values))
        for level in levels[1:]:
            blocks.append(values == level)
            names.append((column, level))
    design = np.column_stack([np.ones(len(y)), *blocks]).astype(float)
    coef = _least_squares(design, y)
    residual = y - design @ coef
    fit = 1 - float(residual @ residual) / float(((y - y.mean()) ** 2).sum())
    amounts: dict[str, dict[str, float]] = {c: {sorted(set(v))[0]: 0.0} for c, v in text.items()}
    for (column, level), amount in zip(names, coef[1:], strict=True):
        amounts[column][str(level)] = round(float(amount), 6)
    return fit, amounts, float(coef[0])


def _choose(found: dict[str, list[Derivation]]) -> list[Derivation]:
    """One derivation per column, never in a circle (``a`` from ``b`` and ``b`` from ``a``),
    sources before the columns derived from them. Columns named like a computation go first."""

    def hint(column: str) -> int:
        return max((_COMPUTED_WORDS.get(w, 0) for w in name_words(column)), default=0)

    def upstream(column: str) -> set[str]:
        if column not in chosen:
            return {column}
        return {column}.union(*(upstream(s) for s in chosen[column].sources))

    order = sorted(found, key=lambda c: (-hint(c), -max(d.fit for d in found[c]), c))
    chosen: dict[str, Derivation] = {}
    for column in order:
        # ties go to the simpler formula: fewer sources, then the smaller constant
        simplest = sorted(
            found[column],
            key=lambda d: (-round(d.fit, 4), len(d.sources), abs(d.formula.get("offset", 0.0))),
        )
        for candidate in simplest:
            if not any(column in upstream(s) for s in candidate.sources):
                chosen[column] = candidate
                break
    ordered: list[Derivation] = []
    while len(ordered) < len(chosen):  # sources first: recomputing in this order is consistent
        done = {d.column for d in ordered}
        for column, derivation in chosen.items():
            if column not in done and not (set(derivation.sources) & (chosen.keys() - done)):
                ordered.append(derivation)
    return ordered


def _scale_words(scale: float) -> str:
    """``""`` for about 1, else ``"12 x "``."""
    if abs(scale - 1) < 0.02:
        return ""
    shown = f"{scale:.3g}"
    return f"{shown} x "
