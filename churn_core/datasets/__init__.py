"""Bundled sample data: synthetic customers with planted churn drivers, rebuilt by a command."""

from churn_core.datasets.customers import (
    PLANTED_DRIVERS,
    SAMPLE_AS_OF,
    generate_customers,
    write_customers,
)

__all__ = [
    "PLANTED_DRIVERS",
    "SAMPLE_AS_OF",
    "generate_customers",
    "write_customers",
]
