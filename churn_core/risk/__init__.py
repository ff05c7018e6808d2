"""The at-risk list in one pass: each customer scored (features -> probabilities), valued,
ranked and flagged by a policy, given a segment, then explained (reasons and actions) for the
rows a person reads."""

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
    "RankedFile",
    "add_reasons",
    "add_reasons_from_file",
    "add_segments",
    "explain_list",
    "fill_reasons",
    "get_at_risk_list",
    "iter_at_risk_blocks",
    "rank_customers",
    "rank_file",
    "score_customers",
    "score_file",
    "value_customers",
    "write_at_risk_list",
]
