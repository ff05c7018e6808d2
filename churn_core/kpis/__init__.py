"""The numbers a boss asks for: headline counts and money, retention at 3/6/12/24 months,
median lifetime, CLV and revenue at risk."""

from churn_core.kpis.headline import (
    HeadlineKpis,
    get_headline_kpis,
)
from churn_core.kpis.retention import (
    RetentionKpis,
    compute_retention_kpis,
    get_churn_probabilities,
    get_customer_values,
    get_high_value_high_risk,
    get_retention_kpis,
)

__all__ = [
    "HeadlineKpis",
    "RetentionKpis",
    "compute_retention_kpis",
    "get_churn_probabilities",
    "get_customer_values",
    "get_headline_kpis",
    "get_high_value_high_risk",
    "get_retention_kpis",
]
