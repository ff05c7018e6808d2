"""The at-risk list: customers still with you, ranked by the money at stake, and flagged.

Ranked by expected value at risk (probability x customer value, the customer's CLV, see
``churn_core.survival.clv``), then by probability, then file order; with no revenue column,
by probability alone. Customers whose label already says they left are not in the list
(there is no one left to keep) unless asked for. Segment, reasons and action columns are
filled by the later steps (``add_segments``, ``churn_core.risk.reasons``); they stay empty
here. The list's columns are in ``churn_core.columns.AT_RISK_COLUMNS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError, DataWarning, plural, verb
from churn_core.model import ChurnModel, Flagging, Policy, apply_policy
from churn_core.risk.scoring import CustomerScores
from churn_core.schema import find_repeated_ids


@dataclass
class AtRiskList:
    """The ranked list, how the policy flagged it, and what was odd while scoring."""

    frame: pd.DataFrame
    flagging: Flagging
    id_column: str
    warnings: list[DataWarning] = field(default_factory=list)
    #: For each row of ``frame``, the customer's position (0-based) in the scored table or file.
    positions: np.ndarray = field(default_factory=lambda: np.array([], dtype=int))
    #: How many customers were left out because their label says they already left.
    left_out: int = 0
    #: The label's column and churned value (``Churned = "Yes"``) when ``left_out``.
    left_label: str = ""

    def describe_left_out(self) -> str:
        """``1,250 customers who already left (Churned = "Yes") are not in the list.``"""
        return describe_left_out(self.left_out, self.left_label)

    def top(self, n: int) -> pd.DataFrame:
        return self.frame.head(n)


def describe_left_out(left_out: int, left_label: str) -> str:
    """``1,250 customers who already left (Churned = "Yes") are not in the list.``"""
    if not left_out:
        return ""
    return (
        f"{plural(left_out, 'customer')} who already left ({left_label}) "
        f"{verb(left_out, 'is', 'are')} not in the list."
    )


def rank_customers(
    model: ChurnModel,
    scores: CustomerScores,
    values: np.ndarray,
    *,
    policy: Policy | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """The at-risk list: highest value at risk first (missing last), then highest probability,
    then file order; flagged and banded by ``policy`` among the customers listed.

    ``values`` holds each customer's value, in the same order as ``scores`` (see
    ``value_customers``).
    """
    if scores.id_name != col.ROW_NUMBER_ID:  # one row per customer, or a clear refusal
        repeated = find_repeated_ids(scores.ids, scores.id_name, "The at-risk list needs")
        if repeated is not None:
            raise ChurnDataError([repeated])
    kept = np.arange(len(scores.p)) if include_left else np.flatnonzero(~scores.left)
    p, values = scores.p[kept], np.asarray(values, dtype=float)[kept]
    at_risk = p * values
    order = np.lexsort((-p, np.where(np.isnan(at_risk), np.inf, -at_risk)))
    flagging = apply_policy(
        p,
        policy or Policy(),
        threshold=model.threshold,
        base_rate=model.base_rate,
        values=values,
        ranking=order,
    )
    frame = pd.DataFrame(
        {
            scores.id_name: scores.ids[kept][order],
            col.RANK: np.arange(1, len(order) + 1),
            col.CHURN_PROBABILITY: p[order],
            col.RISK_BAND: flagging.bands[order],
            col.EXPECTED_VALUE_AT_RISK: at_risk[order],
            col.CUSTOMER_VALUE: values[order],
            **{name: "" for name in col.AT_RISK_COLUMNS[5:]},
        }
    )
    flagging = replace(flagging, flagged=flagging.flagged[order], bands=flagging.bands[order])
    left_out = len(scores.p) - len(kept)
    mapping = model.label_mapping
    return AtRiskList(
        frame,
        flagging,
        scores.id_name,
        scores.warnings,
        kept[order],
        left_out,
        f'{model.label_column} = "{mapping.churned_value}"' if left_out else "",
    )


def add_segments(at_risk: AtRiskList, segments: np.ndarray | pd.Series) -> AtRiskList:
    """A copy of ``at_risk`` with each customer's segment, given per row of the scored table."""
    frame = at_risk.frame.copy()
    frame[col.SEGMENT] = np.asarray(segments, dtype=object)[at_risk.positions]
    return replace(at_risk, frame=frame)
