"""Bundled sample data: synthetic customers with planted churn drivers, rebuilt by a command;
and a template file with a guide to preparing one."""

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
    "SAMPLE_AS_OF",
    "generate_customers",
    "get_template",
    "get_template_csv",
    "get_template_guide",
    "write_customers",
]
