"""Bundled sample data: synthetic customers, and a synthetic activity log, with planted churn
drivers, each rebuilt by a command."""

from churn_core.datasets.activity import (
    PLANTED_LOG_DRIVERS,
    generate_activity_log,
    write_activity_log,
)
from churn_core.datasets.customers import (
    PLANTED_DRIVERS,
    SAMPLE_AS_OF,
    generate_customers,
    write_customers,
)

__all__ = [
    "PLANTED_DRIVERS",
    "PLANTED_LOG_DRIVERS",
    "SAMPLE_AS_OF",
    "generate_activity_log",
    "generate_customers",
    "write_activity_log",
    "write_customers",
]
