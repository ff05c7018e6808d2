"""Bundled sample data: synthetic customers, and a synthetic activity log, with planted churn
drivers, each rebuilt by a command; and a template file with a guide to preparing one."""

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
from churn_core.datasets.template import (
    IGNORED_NOTES,
    get_template,
    get_template_csv,
    get_template_guide,
)

__all__ = [
    "IGNORED_NOTES",
    "PLANTED_DRIVERS",
    "PLANTED_LOG_DRIVERS",
    "SAMPLE_AS_OF",
    "generate_activity_log",
    "generate_customers",
    "get_template",
    "get_template_csv",
    "get_template_guide",
    "write_activity_log",
    "write_customers",
]
