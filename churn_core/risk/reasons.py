"""Fill the at-risk list's reasons and actions, for the customers in the list and no more.

Scoring every customer is cheap; explaining them is not (about 0.4 ms a customer for gradient
boosting). So the list is scored first, and only the rows a person will read or download (the
flagged, a band, the top N) are explained: ``top_reason_1..3`` and ``recommended_action``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.explain import (
    ChurnExplainer,
    Explanation,
    describe_reason,
    get_action_plan,
    get_active_actions,
    get_top_reasons,
    recommend_actions,
)
from churn_core.io import iter_table_chunks
from churn_core.risk.pipeline import CHUNK_ROWS
from churn_core.risk.ranking import AtRiskList
from churn_core.schema import FeatureSchema

REASON_COLUMNS = col.REASON_COLUMNS


def add_reasons(
    at_risk: AtRiskList,
    frame: pd.DataFrame,
    explainer: ChurnExplainer,
    actions: pd.DataFrame | None = None,
    *,
    rows: np.ndarray | None = None,
) -> AtRiskList:
    """A copy of ``at_risk`` with reasons and actions for ``rows`` (a mask; default: all).

    ``frame`` is the table the list was scored from; ``actions`` the action table (default:
    guessed from the model's columns, see ``churn_core.explain.actions``).
    """
    rows = _rows(at_risk, rows)
    if not rows.any():
        return at_risk
    explanation = explain_list(at_risk, frame, explainer, rows)
    return fill_reasons(at_risk, rows, explanation, explainer.model.schema, actions)


def explain_list(
    at_risk: AtRiskList, frame: pd.DataFrame, explainer: ChurnExplainer, rows: np.ndarray
) -> Explanation:
    """Explanations of the list's ``rows`` (a mask with at least one row), in list order."""
    return explainer.explain(frame.iloc[at_risk.positions[rows]])


def add_reasons_from_file(
    at_risk: AtRiskList,
    path: str | Path,
    explainer: ChurnExplainer,
    actions: pd.DataFrame | None = None,
    *,
    rows: np.ndarray | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> AtRiskList:
    """Like ``add_reasons`` for a list scored with ``score_file``: the file is read again in
    chunks and only the customers to explain are kept, so memory stays flat."""
    rows = _rows(at_risk, rows)
    if not rows.any():
        return at_risk
    wanted = at_risk.positions[rows]
    wanted_sorted = np.sort(wanted)
    parts, start = [], 0
    for chunk in iter_table_chunks(path, chunk_rows):
        lo, hi = np.searchsorted(wanted_sorted, [start, start + len(chunk)])
        if hi > lo:
            parts.append(chunk.iloc[wanted_sorted[lo:hi] - start])
        start += len(chunk)
    customers = pd.concat(parts) if parts else pd.DataFrame()
    # Back from file order to the list's order.
    customers = customers.iloc[np.searchsorted(wanted_sorted, wanted)]
    explanation = explainer.explain(customers)
    return fill_reasons(at_risk, rows, explanation, explainer.model.schema, actions)


def _rows(at_risk: AtRiskList, rows: np.ndarray | None) -> np.ndarray:
    if rows is None:
        return np.ones(len(at_risk.frame), dtype=bool)
    return np.asarray(rows, dtype=bool)


def fill_reasons(
    at_risk: AtRiskList,
    rows: np.ndarray,
    explanation: Explanation,
    schema: FeatureSchema,
    actions: pd.DataFrame | None = None,
) -> AtRiskList:
    """A copy of ``at_risk`` with the reasons and actions of ``explanation`` in ``rows``.

    ``actions`` default to the first plan for the columns guessed actionable, with default
    actions for the category values that raise risk among these customers. Derived columns
    the model keeps (``schema.derived``: the user chose to keep them) are never reasons: they
    follow other columns, so the next strongest reason takes their place.
    """
    if actions is None:
        actions = get_active_actions(*get_action_plan(schema, explanation))
    frame = at_risk.frame.copy()
    reasons = get_top_reasons(explanation, n=len(REASON_COLUMNS), exclude=schema.derived)
    for k, name in enumerate(REASON_COLUMNS):
        frame.loc[rows, name] = [
            describe_reason(*found[k]) if len(found) > k else "" for found in reasons
        ]
    frame.loc[rows, col.RECOMMENDED_ACTION] = recommend_actions(
        explanation, schema, actions, flagged=at_risk.flagging.flagged[rows]
    )
    return replace(at_risk, frame=frame)
