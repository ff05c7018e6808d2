"""The Retention & CLV numbers a boss asks for, in one place for the page and the command line.

Churn rate, retention at 3/6/12/24 months, median lifetime, average and total CLV of current
customers, and revenue at risk (sum of churn probability x CLV). A figure that cannot be
computed is None, with a plain reason in ``notes`` under the same key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.columns import CLV, EXPECTED_MONTHS, MONTHLY_REVENUE, TENURE_MONTHS
from churn_core.errors import DataWarning
from churn_core.model import ChurnModel
from churn_core.risk import score_customers
from churn_core.schema import Profile, Role
from churn_core.survival import (
    ClvAssumptions,
    KaplanMeier,
    RetentionCurve,
    SurvivalData,
    fit_kaplan_meier,
    fit_retention_curve,
    get_clv,
    get_expected_months,
    get_median_lifetime,
    get_monthly_churn_rate,
    get_retention_at,
    get_revenue_at_risk,
    get_survival_data,
)

#: The "high value" corner of the value x risk quadrant: the top quarter of CLV.
TOP_VALUE_SHARE = 0.25


@dataclass
class RetentionKpis:
    """Headline retention and value figures; None where ``notes`` says why."""

    customers: int
    churned: int
    churn_rate: float | None
    monthly_churn_rate: float | None
    retention: dict[int, float | None]
    median_lifetime_months: float | None
    longest_followed_months: float
    current_customers: int
    average_clv: float | None
    total_clv: float | None
    revenue_at_risk: float | None
    assumptions: ClvAssumptions
    notes: dict[str, str] = field(default_factory=dict)
    #: The earliest month of customers' lives the data sees (0 unless left-truncated: then the
    #: retention figures above are None and these hold retention among those who reached it).
    measured_from_month: float = 0.0
    conditional_retention: dict[int, float | None] = field(default_factory=dict)
    truncation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "customers": self.customers,
            "churned": self.churned,
            "churn_rate": self.churn_rate,
            "monthly_churn_rate": self.monthly_churn_rate,
            "retention": {f"{m}_months": v for m, v in self.retention.items()},
            "median_lifetime_months": self.median_lifetime_months,
            "longest_followed_months": round(self.longest_followed_months, 2),
            "current_customers": self.current_customers,
            "average_clv": self.average_clv,
            "total_clv": self.total_clv,
            "revenue_at_risk": self.revenue_at_risk,
            "assumptions": self.assumptions.to_dict(),
            "measured_from_month": self.measured_from_month,
            "conditional_retention": {
                f"{m}_months": v for m, v in self.conditional_retention.items()
            },
            "truncation": self.truncation or None,
            "notes": self.notes,
        }


def get_customer_values(
    frame: pd.DataFrame,
    profile: Profile,
    data: SurvivalData,
    curve: RetentionCurve,
    assumptions: ClvAssumptions,
    probability: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per current (not churned) customer: tenure, revenue, CLV, and value at risk.

    Columns: the id column (or ``row``), ``tenure_months``, ``monthly_revenue``,
    ``expected_months`` (within the horizon), ``clv``, and, when probabilities are given (one
    per row of ``frame``), ``churn_probability`` and ``expected_value_at_risk``.
    """
    current = data.usable & ~data.churned
    revenue_col = profile.column_for(Role.REVENUE)
    revenue = (
        pd.to_numeric(frame[revenue_col], errors="coerce").to_numpy(float)
        if revenue_col
        else np.full(len(frame), np.nan)
    )
    id_col = profile.id_column
    ids = frame[id_col].to_numpy() if id_col else np.arange(len(frame)) + 2
    out = pd.DataFrame(
        {
            id_col or col.ROW_NUMBER_ID: ids[current],
            TENURE_MONTHS: data.months[current],
            MONTHLY_REVENUE: revenue[current],
            EXPECTED_MONTHS: get_expected_months(
                data.months[current], curve, assumptions.horizon_months
            ),
            CLV: get_clv(data.months[current], revenue[current], curve, assumptions),
        },
        index=frame.index[current],
    )
    if probability is not None:
        out[col.CHURN_PROBABILITY] = np.asarray(probability, dtype=float)[current]
        out[col.EXPECTED_VALUE_AT_RISK] = out[col.CHURN_PROBABILITY] * out[CLV]
    return out


def summarize_retention(
    frame: pd.DataFrame,
    profile: Profile,
    data: SurvivalData,
    km: KaplanMeier,
    assumptions: ClvAssumptions,
    probability: np.ndarray | None = None,
) -> tuple[pd.DataFrame, RetentionKpis]:
    """What each current customer is worth (see ``get_customer_values``) and the headline
    figures, from the durations and the fitted retention curves: the step the app caches and
    the command line runs (``probability``: each row's churn probability, when a model scores
    this data)."""
    values = get_customer_values(
        frame, profile, data, fit_retention_curve(data), assumptions, probability
    )
    return values, _summarize(data, km, values, profile.column_for(Role.REVENUE), assumptions)


def _summarize(
    data: SurvivalData,
    km: KaplanMeier,
    values: pd.DataFrame,
    revenue_column: str | None,
    assumptions: ClvAssumptions,
) -> RetentionKpis:
    """Headline figures from the fitted curve and the customer value frame."""
    notes: dict[str, str] = {}
    retention = get_retention_at(km)
    longest = float(data.durations.max())
    start = data.measured_from
    conditional: dict[int, float | None] = {}
    if start > 0:  # left-truncated: only retention among customers who reached `start` is known
        conditional = _blank_truncated(retention, start, data, notes)
    for month, value in retention.items():
        if value is None and f"retention_{month}" not in notes:
            notes[f"retention_{month}"] = (
                f"No customer has been followed for {month} months yet (longest: {longest:.0f})."
            )
    median = get_median_lifetime(km)
    if start > 0:
        notes["median_lifetime"] = _truncated_median_note(start, median, longest)
        median = None
    elif median is None:
        notes["median_lifetime"] = (
            "Fewer than half the customers have left within the longest time followed "
            f"({longest:.0f} months), so the median lifetime is longer than that."
            if data.churners
            else "No customer has left yet, so a lifetime cannot be estimated."
        )
    clv = values[CLV].to_numpy(float)
    has_clv = bool(np.isfinite(clv).any())
    if not has_clv:
        notes["clv"] = (
            "No monthly revenue column is set: choose one on the Data page to see CLV."
            if revenue_column is None
            else f"{revenue_column} is blank for every current customer."
        )
    revenue_at_risk = None
    if col.CHURN_PROBABILITY not in values.columns:
        notes["revenue_at_risk"] = "No churn model fits this data, so no churn probabilities."
    elif not has_clv:
        notes["revenue_at_risk"] = "Needs CLV (a monthly revenue column)."
    else:
        revenue_at_risk = get_revenue_at_risk(values[col.CHURN_PROBABILITY].to_numpy(), clv)
    return RetentionKpis(
        customers=data.customers,
        churned=data.churners,
        churn_rate=data.churners / data.customers if data.customers else None,
        monthly_churn_rate=get_monthly_churn_rate(data),
        retention=retention,
        median_lifetime_months=median,
        longest_followed_months=longest,
        current_customers=len(values),
        average_clv=float(np.nanmean(clv)) if has_clv else None,
        total_clv=float(np.nansum(clv)) if has_clv else None,
        revenue_at_risk=revenue_at_risk,
        assumptions=assumptions,
        notes=notes,
        measured_from_month=start,
        conditional_retention=conditional,
        truncation=data.truncation.reason if data.truncation else "",
    )


def _months(value: float) -> str:
    return f"{value:.0f}" if value == round(value) else f"{value:.1f}"


def _blank_truncated(
    retention: dict[int, float | None], start: float, data: SurvivalData, notes: dict[str, str]
) -> dict[int, float | None]:
    """Blank every retention figure of a left-truncated file (in place), with its reason; returns
    retention among customers who reached month ``start`` where it is known."""
    conditional: dict[int, float | None] = {}
    since = _months(start)
    for month, value in list(retention.items()):
        retention[month] = None
        if month < start:
            notes[f"retention_{month}"] = (
                data.truncation.reason
                if data.truncation and data.source.tenure_column
                else f"No customer is seen before month {since} of their life, so retention "
                f"at {month} months cannot be measured."
            )
            continue
        conditional[month] = value
        among = (
            f"; of the customers still with you at month {since}, {value:.0%} were still "
            f"customers at month {month}."
            if value is not None
            else "."
        )
        notes[f"retention_{month}"] = (
            f"Customers who left before month {since} are not in this file, so retention at "
            f"{month} months of all customers cannot be measured{among}"
        )
    return conditional


def _truncated_median_note(start: float, median: float | None, longest: float) -> str:
    since = _months(start)
    head = (
        f"Customers who left before month {since} are not in this file, so the median lifetime "
        "of all customers cannot be measured"
    )
    if median is None:
        return (
            f"{head}; fewer than half of those still with you at month {since} had left by "
            f"month {longest:.0f}."
        )
    return f"{head}; half of those still with you at month {since} had left by month {median:.0f}."


def get_high_value_high_risk(
    values: pd.DataFrame, risk_cut: float, top_value_share: float = TOP_VALUE_SHARE
) -> tuple[pd.DataFrame, float]:
    """Customers flagged at risk (probability >= ``risk_cut``) in the top share by CLV.

    Returns them, most value at risk first, and the CLV cut used (NaN without CLV).
    """
    needed = {CLV, col.CHURN_PROBABILITY}
    if not needed <= set(values.columns) or values[CLV].notna().sum() == 0:
        return values.iloc[:0], float("nan")
    value_cut = float(values[CLV].quantile(1 - top_value_share))
    corner = (values[col.CHURN_PROBABILITY] >= risk_cut) & (values[CLV] >= value_cut)
    ranked = values[corner].sort_values(col.EXPECTED_VALUE_AT_RISK, ascending=False)
    return ranked, value_cut


def get_retention_kpis(
    frame: pd.DataFrame,
    profile: Profile,
    *,
    model: ChurnModel | None = None,
    assumptions: ClvAssumptions | None = None,
    as_of: date | None = None,
    tenure_unit: str | None = None,
) -> tuple[RetentionKpis, list[DataWarning]]:
    """Everything at once, for the command line: survival data, curve, CLV and the KPIs
    (``tenure_unit``: what the tenure column counts, if not what its name or values say)."""
    assumptions = assumptions or ClvAssumptions()
    data = get_survival_data(frame, profile, as_of=as_of, tenure_unit=tenure_unit)
    km = fit_kaplan_meier(data)
    warnings = list(km.warnings)
    probability = None
    if model is not None:
        scores = score_customers(model, frame)
        probability = scores.p
        warnings += scores.warnings
    _, kpis = summarize_retention(frame, profile, data, km, assumptions, probability)
    kpis.notes["durations"] = f"Time as a customer from {data.source.describe()}."
    if data.truncation is not None:
        kpis.notes["monthly_churn_rate"] = (
            "Counted over the months the data sees each customer (from when they enter it)."
        )
    if model is None:
        kpis.notes["revenue_at_risk"] = "Needs churn probabilities: pass --model DIR."
    return kpis, warnings
