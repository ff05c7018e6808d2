"""Retention curves: how many customers are still customers after each month (Kaplan-Meier).

The Kaplan-Meier estimate counts, month by month, the customers still being followed and those
who left, so customers who are still active (whose story is not over) are used for as long as
they are known to have stayed. lifelines does the fitting; it is always evaluated on a fixed
monthly grid (``timeline=``), never on every distinct duration, which on large tables builds
tables of gigabytes.

:class:`RetentionCurve` is the compact form kept with a model: survival on a monthly grid plus
a constant monthly retention beyond the data, enough to compute CLV for files scored later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from churn_core.columns import AT_RISK, GROUP, LOWER, MONTH, RETENTION, UPPER
from churn_core.errors import DataWarning, plural
from churn_core.schema import BLANK, Profile, Role
from churn_core.survival.durations import DurationSource, SurvivalData, get_survival_data

RETENTION_MONTHS: tuple[int, ...] = (3, 6, 12, 24)
#: Groups drawn separately; smaller ones are pooled into "Other".
MAX_GROUPS = 6
#: Columns with more values than this do not split retention curves.
MAX_GROUP_LEVELS = 20
MIN_GROUP_SIZE = 20
OTHER = "Other"
#: Longest monthly grid kept in a RetentionCurve (50 years).
MAX_CURVE_MONTHS = 600
#: Months at the end of the data whose average monthly retention continues the curve.
TAIL_MONTHS = 12
SIGNIFICANCE = 0.05
MIN_KNOWN_SHARE = 0.9


@dataclass
class KaplanMeier:
    """Retention curves (one per group) on a monthly grid, and whether the groups differ.

    ``curves`` has one row per group and month: ``group, month, retention, lower, upper,
    at_risk`` (the 95 % confidence band and the customers still followed at that month).
    """

    curves: pd.DataFrame
    group_column: str | None
    sizes: dict[str, int]
    churners: dict[str, int]
    logrank_p: float | None = None
    warnings: list[DataWarning] = field(default_factory=list)

    def overall(self) -> pd.DataFrame:
        """The first group's curve (the only one when not split)."""
        first = self.curves[GROUP].iloc[0]
        return self.curves[self.curves[GROUP] == first]


@dataclass(frozen=True)
class RetentionCurve:
    """Share of customers still customers at months 0, 1, ..., plus a tail beyond the data.

    ``survival[k]`` is the Kaplan-Meier retention at month ``k``; after the last month,
    retention keeps falling by ``tail_retention`` a month (the average of the last
    ``TAIL_MONTHS`` observed months). JSON-serialisable with ``to_dict``/``from_dict``.
    """

    survival: tuple[float, ...]
    tail_retention: float
    customers: int
    churners: int
    source: DurationSource = field(default_factory=DurationSource)
    #: The earliest month the data saw customers from (left truncation); the curve reads 1.0
    #: before it, which is not measured: CLV for customers younger than this is optimistic.
    measured_from: float = 0.0

    def at(self, months: np.ndarray) -> np.ndarray:
        """Retention at any months (whole months; fractions are rounded down), tail included."""
        months = np.floor(np.maximum(np.asarray(months, dtype=float), 0.0))
        last = len(self.survival) - 1
        inside = np.asarray(self.survival)[np.minimum(months, last).astype(np.int64)]
        beyond = np.maximum(months - last, 0.0)
        return np.asarray(inside * self.tail_retention**beyond)

    def to_dict(self) -> dict[str, Any]:
        return {
            "survival": [round(float(s), 6) for s in self.survival],
            "tail_retention": round(float(self.tail_retention), 6),
            "customers": self.customers,
            "churners": self.churners,
            "source": self.source.to_dict(),
            "measured_from": round(float(self.measured_from), 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RetentionCurve:
        return cls(
            tuple(float(s) for s in data["survival"]),
            float(data["tail_retention"]),
            int(data["customers"]),
            int(data["churners"]),
            DurationSource.from_dict(data.get("source", {})),
            float(data.get("measured_from", 0.0)),
        )


def get_group_columns(frame: pd.DataFrame, profile: Profile) -> list[str]:
    """The columns a retention curve can be split by: categories, and number columns with 2 to
    6 values, each with 2 to ``MAX_GROUP_LEVELS`` different values."""
    columns = profile.columns_with(Role.CATEGORICAL) + [
        c for c in profile.columns_with(Role.NUMERIC) if 2 <= frame[c].nunique() <= 6
    ]
    return [c for c in columns if 2 <= frame[c].nunique() <= MAX_GROUP_LEVELS]


def fit_kaplan_meier(data: SurvivalData, groups: pd.Series | None = None) -> KaplanMeier:
    """Kaplan-Meier retention overall, or per group with a log-rank test between them.

    Parameters
    ----------
    data : SurvivalData
        From :func:`churn_core.survival.durations.get_survival_data`.
    groups : pd.Series, optional
        One label per row of the table (a categorical column, or segment names). The largest
        ``MAX_GROUPS`` are drawn; smaller ones are pooled into "Other", blanks named.
    """
    grid = _grid(data.durations)
    name = None if groups is None else str(groups.name)
    labels = _group_labels(groups, data.usable)
    frames, sizes, churners = [], {}, {}
    entries = data.entries
    for label in pd.unique(labels):
        mask = labels == label
        frames.append(
            _curve(data.durations[mask], data.events[mask], grid, str(label), entries[mask])
        )
        sizes[str(label)] = int(mask.sum())
        churners[str(label)] = int(data.events[mask].sum())
    p = None
    if len(sizes) > 1 and data.churners > 0:
        from lifelines.statistics import multivariate_logrank_test  # see _curve

        test = multivariate_logrank_test(data.durations, labels, data.events)
        p = float(test.p_value)
    warnings = list(data.warnings)
    if data.churners == 0:
        warnings.append(_no_churners_warning(data.customers))
    return KaplanMeier(pd.concat(frames, ignore_index=True), name, sizes, churners, p, warnings)


def fit_retention_curve(data: SurvivalData) -> RetentionCurve:
    """The overall monthly retention curve, compact enough to store in a model card."""
    durations, events = data.durations, data.events
    last = int(min(math.ceil(float(durations.max())), MAX_CURVE_MONTHS))
    grid = np.arange(0, last + 1, dtype=float)
    curve = _curve(durations, events, grid, "all", data.entries)
    survival = np.ones(len(grid))  # 1.0 before the data sees anyone (not measured)
    survival[curve[MONTH].to_numpy(int)] = curve[RETENTION].to_numpy()
    survival = np.minimum.accumulate(np.clip(np.nan_to_num(survival, nan=1.0), 0.0, 1.0))
    start = max(0, last - TAIL_MONTHS)
    if survival[start] > 0:
        tail = (survival[last] / survival[start]) ** (1.0 / max(last - start, 1))
    else:
        tail = 0.0
    return RetentionCurve(
        tuple(float(s) for s in survival),
        float(tail),
        data.customers,
        data.churners,
        data.source,
        data.measured_from,
    )


def fit_table_retention_curve(
    frame: pd.DataFrame, profile: Profile, *, as_of: date | None = None
) -> RetentionCurve:
    """The retention curve of a profiled table in one call (what a model card stores).

    Raises ChurnDataError (``no_durations``, ``no_events``, ...) when the table cannot give one.
    """
    return fit_retention_curve(get_survival_data(frame, profile, as_of=as_of))


def get_retention_at(
    km: KaplanMeier, months: tuple[int, ...] = RETENTION_MONTHS
) -> dict[int, float | None]:
    """Retention at each month from the overall curve; None past the longest duration seen."""
    curve = km.overall()
    out: dict[int, float | None] = {}
    for month in months:
        row = curve[curve[MONTH] == month]
        out[month] = None if row.empty else float(row[RETENTION].iloc[0])
    return out


def get_at_risk_table(
    km: KaplanMeier, months: tuple[int, ...] = (0, 3, 6, 12, 24, 36)
) -> pd.DataFrame:
    """Customers still followed at a few months, one row per group (blank past the data)."""
    table = km.curves[km.curves[MONTH].isin(months)].pivot(
        index=GROUP, columns=MONTH, values=AT_RISK
    )
    table = table.reindex(index=list(km.sizes), columns=[m for m in months if m in table.columns])
    table.columns = [f"month {m}" for m in table.columns]
    table.index.name = km.group_column or ""
    return table


def get_median_lifetime(km: KaplanMeier) -> float | None:
    """Months until half the customers have left; None while more than half remain."""
    curve = km.overall()
    below = curve[curve[RETENTION] <= 0.5]
    return None if below.empty else float(below[MONTH].iloc[0])


def get_monthly_churn_rate(data: SurvivalData, months: float = 1.0) -> float | None:
    """Share of customers expected to leave over ``months`` at the observed average pace.

    The monthly rate is customers who left / customer-months observed (``events / exposure``,
    each customer's months counted from their delayed entry); over a period it compounds:
    ``1 - (1 - monthly) ** months``. None with no exposure.

    >>> from churn_core.survival.durations import SurvivalData, DurationSource
    >>> from datetime import date
    >>> d = SurvivalData(np.array([10.0, 10.0]), np.array([True, False]),
    ...                  np.array([True, True]), DurationSource("t"), date(2024, 1, 1))
    >>> # 1 left in 20 months followed:
    >>> round(get_monthly_churn_rate(d), 4), round(get_monthly_churn_rate(d, 12), 4)
    (0.05, 0.4596)
    """
    exposure = float((data.durations - data.entries).sum())
    if exposure <= 0:
        return None
    monthly = min(data.churners / exposure, 1.0)
    return monthly if months == 1 else float(1.0 - (1.0 - monthly) ** months)


def describe_logrank(km: KaplanMeier) -> str:
    """The log-rank test in plain words, for the page under the curve."""
    if km.group_column is None or len(km.sizes) < 2:
        return ""
    if km.logrank_p is None:
        return "No customer has left yet, so the groups cannot be compared."
    p = km.logrank_p
    shown = "< 0.001" if p < 0.001 else f"= {p:.3f}"
    if p < SIGNIFICANCE:
        return (
            f"The groups of {km.group_column} keep customers differently, more than chance "
            f"would explain (log-rank test, p {shown})."
        )
    return (
        f"The differences between the groups of {km.group_column} could be chance "
        f"(log-rank test, p {shown}): don't read much into them."
    )


def get_cohort_retention(
    signup: pd.Series, data: SurvivalData, max_cohorts: int = 24, max_months: int = 24
) -> pd.DataFrame:
    """Share of each signup month's customers still customers k months after signing up.

    Rows are signup months (the latest ``max_cohorts``), columns months since signup
    (0..``max_months``). At month ``k`` a customer who left after ``d`` months is retained if
    ``d > k``; an active customer is retained if followed for ``k`` months or more, and unknown
    otherwise. A cell is blank until at least 90 % of its cohort is known (the cohort is not
    that old yet, or, in a left-truncated file, the data does not see that month of their life).
    Empty when no signup date can be read.
    """
    dates = pd.to_datetime(signup, errors="coerce").to_numpy()
    keep = data.usable & ~pd.isna(dates)
    if not keep.any():
        return pd.DataFrame()
    cohort = pd.DatetimeIndex(dates[keep]).strftime("%Y-%m")
    months = np.arange(0, max_months + 1)
    d, left = data.months[keep][:, None], data.churned[keep][:, None]
    entry = np.nan_to_num(data.entry[keep], nan=0.0)[:, None] if data.entry is not None else 0.0
    known = (left | (d >= months)) & (months >= entry)
    alive = (d > months) | (~left & (d >= months))
    grouped = pd.DataFrame(alive, columns=months).groupby(cohort)
    share_known = pd.DataFrame(known, columns=months).groupby(cohort).mean()
    table = grouped.sum() / pd.DataFrame(known, columns=months).groupby(cohort).sum()
    table = table.where(share_known >= MIN_KNOWN_SHARE).sort_index().tail(max_cohorts)
    table.index.name, table.columns.name = "signup month", "months since signup"
    return table


def _grid(durations: np.ndarray) -> np.ndarray:
    """Monthly points from 0 to the longest duration (capped at MAX_CURVE_MONTHS)."""
    last = min(math.ceil(float(durations.max())) if len(durations) else 0, MAX_CURVE_MONTHS)
    return np.arange(0, last + 1, dtype=float)


def _curve(
    durations: np.ndarray,
    events: np.ndarray,
    grid: np.ndarray,
    label: str,
    entries: np.ndarray | None = None,
) -> pd.DataFrame:
    """One group's curve on the grid, from its first entry (delayed entry, lifelines' ``entry=``)
    to its longest duration; ``at_risk`` counts customers entered and not yet gone."""
    # Imported here: lifelines takes a second or more to import, and scoring (which needs
    # only a saved RetentionCurve) should not pay for it.
    from lifelines import KaplanMeierFitter

    delayed = entries is not None and bool((entries > 0).any())
    kmf = KaplanMeierFitter(alpha=0.05)
    kmf.fit(durations, events, timeline=grid, entry=entries if delayed else None)
    band = kmf.confidence_interval_survival_function_
    at_risk = len(durations) - np.searchsorted(np.sort(durations), grid, side="left")
    first = 0.0
    if delayed and entries is not None:
        at_risk = at_risk - (len(entries) - np.searchsorted(np.sort(entries), grid, side="right"))
        first = float(entries.min())
    retention = kmf.survival_function_.iloc[:, 0].to_numpy()
    seen = (grid <= durations.max()) & (grid >= first)
    return pd.DataFrame(
        {
            GROUP: label,
            MONTH: grid[seen].astype(int),
            RETENTION: retention[seen],
            LOWER: band.iloc[:, 0].to_numpy()[seen],
            UPPER: band.iloc[:, 1].to_numpy()[seen],
            AT_RISK: at_risk[seen],
        }
    )


def _group_labels(groups: pd.Series | None, usable: np.ndarray) -> np.ndarray:
    """Text labels for the usable rows: the largest groups by name, the rest "Other"."""
    if groups is None:
        return np.full(int(usable.sum()), "All customers", dtype=object)
    text = groups.astype("string").fillna(BLANK).to_numpy(dtype=object)[usable]
    counts = pd.Series(text).value_counts()
    kept = counts[counts >= MIN_GROUP_SIZE].index[:MAX_GROUPS]
    if len(kept) < 2:  # a small file: compare its groups anyway
        kept = counts.index[:MAX_GROUPS]
    if len(kept) == len(counts):
        return text
    return np.where(pd.Series(text).isin(kept).to_numpy(), text, OTHER)


def _no_churners_warning(customers: int) -> DataWarning:
    return DataWarning(
        f"None of the {plural(customers, 'customer')} has left, so retention stays at 100% and "
        "the median lifetime and churn-driven figures cannot be estimated yet.",
        fix="Use a file that covers a period in which some customers left.",
        code="no_churners",
    )
