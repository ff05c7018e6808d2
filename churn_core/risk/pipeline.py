"""The whole pass from a table (or a file of any size) to the ranked at-risk list.

features -> probabilities (``score_customers``) -> customer values (``value_customers``) ->
ranking and policy (``rank_customers``); reasons and actions follow for the rows a person
reads (``churn_core.risk.reasons``). The app caches each step on its own (``ui/model_state.py``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from churn_core.io import iter_table_chunks
from churn_core.model import ChurnModel, Policy
from churn_core.risk.ranking import AtRiskList, rank_customers
from churn_core.risk.scoring import CustomerScores, score_customers, value_customers
from churn_core.survival import ClvAssumptions

#: Rows read at a time when a file is scored.
CHUNK_ROWS = 100_000


def get_at_risk_list(
    model: ChurnModel,
    frame: pd.DataFrame,
    *,
    policy: Policy | None = None,
    id_column: str | None = None,
    clv_assumptions: ClvAssumptions | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """Score, value and rank every customer of ``frame``; customers whose label says they
    already left are left out unless ``include_left``."""
    scores = score_customers(model, frame, id_column=id_column)
    values = value_customers(model, frame, clv_assumptions)
    return rank_customers(model, scores, values, policy=policy, include_left=include_left)


def score_file(
    path: str | Path,
    model: ChurnModel,
    *,
    policy: Policy | None = None,
    id_column: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    clv_assumptions: ClvAssumptions | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """The at-risk list of a file of any size, scored and valued chunk by chunk so that only
    ids, probabilities and values are held (customers who already left are left out unless
    ``include_left``)."""
    scores: list[CustomerScores] = []
    values: list[np.ndarray] = []
    for chunk in iter_table_chunks(path, chunk_rows):
        scores.append(score_customers(model, chunk, id_column=id_column))
        values.append(value_customers(model, chunk, clv_assumptions))
    return rank_customers(
        model,
        CustomerScores.concat(scores),
        np.concatenate(values),
        policy=policy,
        include_left=include_left,
    )
