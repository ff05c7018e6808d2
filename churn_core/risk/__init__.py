"""The at-risk list: every customer scored, valued, ranked and flagged, then explained."""

from churn_core.risk.reasons import (
    add_reasons,
    add_reasons_from_file,
    explain_list,
    fill_reasons,
)
from churn_core.risk.scoring import (
    AtRiskList,
    CustomerScores,
    add_segments,
    estimate_customer_values,
    get_at_risk_list,
    rank_customers,
    score_customers,
    score_file,
    score_warnings,
)

__all__ = [
    "AtRiskList",
    "CustomerScores",
    "add_reasons",
    "add_reasons_from_file",
    "add_segments",
    "estimate_customer_values",
    "explain_list",
    "fill_reasons",
    "get_at_risk_list",
    "rank_customers",
    "score_customers",
    "score_file",
    "score_warnings",
]
