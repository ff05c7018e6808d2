"""Headline numbers a business user's boss asks for first.

Survival-based KPIs (retention at 3/6/12/24 months, lifetime value, revenue at risk) join these
in the Retention & CLV issue; this module starts with what a table alone can tell.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from churn_core.schema import Profile, Role, get_churned


@dataclass(frozen=True)
class HeadlineKpis:
    """Counts and money over the whole table; None where the needed column is missing."""

    customers: int
    churned: int | None
    churn_rate: float | None
    monthly_revenue_active: float | None
    monthly_revenue_lost: float | None
    median_tenure: float | None
    tenure_column: str | None
    revenue_column: str | None


def get_headline_kpis(frame: pd.DataFrame, profile: Profile) -> HeadlineKpis:
    """Customers, churn rate, monthly revenue kept and lost, median tenure.

    >>> from churn_core.schema.profile import profile_table
    >>> f = pd.DataFrame({"Churn": ["Yes", "No", "No", "No"], "MonthlyFee": [10, 20, 30, 40]})
    >>> k = get_headline_kpis(f, profile_table(f))
    >>> k.churn_rate, k.monthly_revenue_active, k.monthly_revenue_lost
    (0.25, 90.0, 10.0)
    """
    churned = get_churned(frame, profile)
    n_churned = churn_rate = None
    if churned is not None and churned.notna().any():
        n_churned = int(churned.sum())
        churn_rate = float(churned.mean())
    revenue_col = profile.column_for(Role.REVENUE)
    active = lost = None
    if revenue_col is not None:
        revenue = pd.to_numeric(frame[revenue_col], errors="coerce")
        if churned is None:
            active = float(revenue.sum())
        else:
            left = churned.fillna(False).to_numpy(bool)
            active, lost = float(revenue[~left].sum()), float(revenue[left].sum())
    tenure_col = profile.column_for(Role.TENURE)
    median_tenure = None
    if tenure_col is not None:
        value = pd.to_numeric(frame[tenure_col], errors="coerce").median()
        median_tenure = None if pd.isna(value) else float(value)
    return HeadlineKpis(
        customers=len(frame),
        churned=n_churned,
        churn_rate=churn_rate,
        monthly_revenue_active=active,
        monthly_revenue_lost=lost,
        median_tenure=median_tenure,
        tenure_column=tenure_col,
        revenue_column=revenue_col,
    )
