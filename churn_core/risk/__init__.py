"""The at-risk list: every customer scored, valued, ranked and flagged, then explained."""

from churn_core.risk.handover import (
    HandoverFacts,
    carry_columns,
    carry_columns_from_file,
    describe_filters,
    describe_ranking,
    filter_list,
    get_handover_facts,
    rerank,
    select_rows,
    to_handover_workbook,
)
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
    "HandoverFacts",
    "add_reasons",
    "add_reasons_from_file",
    "add_segments",
    "carry_columns",
    "carry_columns_from_file",
    "describe_filters",
    "describe_ranking",
    "estimate_customer_values",
    "explain_list",
    "fill_reasons",
    "filter_list",
    "get_at_risk_list",
    "get_handover_facts",
    "rank_customers",
    "rerank",
    "score_customers",
    "score_file",
    "score_warnings",
    "select_rows",
    "to_handover_workbook",
]
