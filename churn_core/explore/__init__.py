"""The numbers behind the Explore page (churn rate by value or bin with its likely range,
distributions, correlations, blanks); its charts are in :mod:`churn_core.explore.plots`."""

from churn_core.explore.summaries import (
    format_number,
    get_churn_rate_by_bins,
    get_churn_rate_by_category,
    get_correlations,
    get_histogram,
    get_missing_map,
    get_missing_summary,
    get_numeric_columns,
    get_overall_churn_rate,
    get_value_counts,
    wilson_interval,
)

__all__ = [
    "format_number",
    "get_churn_rate_by_bins",
    "get_churn_rate_by_category",
    "get_correlations",
    "get_histogram",
    "get_missing_map",
    "get_missing_summary",
    "get_numeric_columns",
    "get_overall_churn_rate",
    "get_value_counts",
    "wilson_interval",
]
