"""The at-risk list in one pass: each customer scored (features -> probabilities), valued,
ranked and flagged by a policy, given a segment, then explained (reasons and actions) for the
rows a person reads."""

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
from churn_core.risk.pipeline import (
    RankedFile,
    get_at_risk_list,
    iter_at_risk_blocks,
    rank_file,
    score_file,
    write_at_risk_list,
)
from churn_core.risk.ranking import AtRiskList, add_segments, rank_customers
from churn_core.risk.reasons import add_reasons, add_reasons_from_file, explain_list, fill_reasons
from churn_core.risk.scoring import CustomerScores, score_customers, value_customers

__all__ = [
    "AtRiskList",
    "CustomerScores",
    "HandoverFacts",
    "RankedFile",
    "add_reasons",
    "add_reasons_from_file",
    "add_segments",
    "carry_columns",
    "carry_columns_from_file",
    "describe_filters",
    "describe_ranking",
    "explain_list",
    "fill_reasons",
    "filter_list",
    "get_at_risk_list",
    "get_handover_facts",
    "iter_at_risk_blocks",
    "rank_customers",
    "rank_file",
    "rerank",
    "score_customers",
    "score_file",
    "select_rows",
    "to_handover_workbook",
    "value_customers",
    "write_at_risk_list",
]
