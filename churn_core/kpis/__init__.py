"""The numbers a boss asks for: headline counts and money, retention at 3/6/12/24 months,
median lifetime, CLV and revenue at risk; for a log, active customers and repeat rate too."""

from churn_core.kpis.activity import (
    LogKpis,
    get_log_kpis,
)
from churn_core.kpis.headline import (
    HeadlineKpis,
    get_headline_kpis,
)
from churn_core.kpis.retention import (
    RetentionKpis,
    get_customer_values,
    get_high_value_high_risk,
    get_retention_kpis,
    summarize_retention,
)

__all__ = [
    "HeadlineKpis",
    "LogKpis",
    "RetentionKpis",
    "get_customer_values",
    "get_headline_kpis",
    "get_high_value_high_risk",
    "get_log_kpis",
    "get_retention_kpis",
    "summarize_retention",
]
