"""How long customers stay and what they are worth: durations from tenure or dates, Kaplan-Meier
retention curves, Cox hazard ratios and CLV from the retention curve. Charts are in
:mod:`churn_core.survival.plots`."""

from churn_core.survival.clv import (
    ClvAssumptions,
    get_clv,
    get_expected_months,
    get_revenue_at_risk,
    get_table_clv,
    get_value_factors,
)
from churn_core.survival.durations import (
    DAYS_PER_MONTH,
    UNIT_MONTHS,
    DurationSource,
    SurvivalData,
    get_survival_data,
    get_tenure_months,
)
from churn_core.survival.hazards import (
    Hazards,
    describe_hazards,
    fit_hazards,
)
from churn_core.survival.kaplan_meier import (
    KaplanMeier,
    RetentionCurve,
    describe_logrank,
    fit_kaplan_meier,
    fit_retention_curve,
    fit_table_retention_curve,
    get_at_risk_table,
    get_cohort_retention,
    get_group_columns,
    get_median_lifetime,
    get_monthly_churn_rate,
    get_retention_at,
)
from churn_core.survival.sources import get_tenure_candidates
from churn_core.survival.truncation import Truncation

__all__ = [
    "DAYS_PER_MONTH",
    "UNIT_MONTHS",
    "ClvAssumptions",
    "DurationSource",
    "Hazards",
    "KaplanMeier",
    "RetentionCurve",
    "SurvivalData",
    "Truncation",
    "describe_hazards",
    "describe_logrank",
    "fit_hazards",
    "fit_kaplan_meier",
    "fit_retention_curve",
    "fit_table_retention_curve",
    "get_at_risk_table",
    "get_clv",
    "get_cohort_retention",
    "get_expected_months",
    "get_group_columns",
    "get_median_lifetime",
    "get_monthly_churn_rate",
    "get_retention_at",
    "get_revenue_at_risk",
    "get_survival_data",
    "get_table_clv",
    "get_tenure_candidates",
    "get_tenure_months",
    "get_value_factors",
]
