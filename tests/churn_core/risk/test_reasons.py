"""The at-risk list gets reasons and actions for the customers in the list, and no more."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.explain.contributions import ChurnExplainer, get_top_reasons
from churn_core.model.churn_model import ChurnModel
from churn_core.risk import get_at_risk_list, score_file
from churn_core.risk.reasons import REASON_COLUMNS, add_reasons, add_reasons_from_file
from tests.churn_core.conftest import SAMPLE


@pytest.fixture(scope="module")
def explainer(model: ChurnModel) -> ChurnExplainer:
    return ChurnExplainer(model)


def test_flagged_customers_get_reasons_and_an_action_and_the_rest_none(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer
) -> None:
    scored = get_at_risk_list(model, frame)
    flagged = scored.flagging.flagged
    listed = add_reasons(scored, frame, explainer, rows=flagged).frame
    assert (listed.loc[flagged, col.TOP_REASON_1] != "").all()
    assert (listed.loc[flagged, col.RECOMMENDED_ACTION] != "").all()
    for name in (*REASON_COLUMNS, col.RECOMMENDED_ACTION):
        assert (listed.loc[~flagged, name] == "").all()
    assert (scored.frame[col.TOP_REASON_1] == "").all()  # the original is left alone


def test_each_reason_is_about_that_customer(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer
) -> None:
    scored = get_at_risk_list(model, frame)
    listed = add_reasons(scored, frame, explainer, rows=np.arange(len(scored.frame)) < 40).frame
    for i in range(40):
        customer = frame.iloc[scored.positions[i]]
        assert customer["CustomerID"] == listed["CustomerID"].iloc[i]
        for name in REASON_COLUMNS:
            reason = listed[name].iloc[i]
            if reason:
                column, value = reason.split(" (")[0].split(" is ", 1)
                raw = customer[column]
                assert (
                    value == raw
                    if isinstance(raw, str)
                    else float(value) == pytest.approx(float(raw), abs=0.01)
                )


def test_reasons_from_a_file_read_in_chunks_match_reasons_from_the_table(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer, tmp_path: Path
) -> None:
    scored = get_at_risk_list(model, frame, id_column="CustomerID")
    rows = scored.frame[col.RISK_BAND].eq(col.HIGH).to_numpy()
    expected = add_reasons(scored, frame, explainer, rows=rows).frame
    from_file = score_file(SAMPLE, model, id_column="CustomerID", chunk_rows=777)
    got = add_reasons_from_file(from_file, SAMPLE, explainer, rows=rows, chunk_rows=777).frame
    pd.testing.assert_frame_equal(got, expected)


def test_no_rows_to_explain_leaves_the_list_as_it_was(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer
) -> None:
    scored = get_at_risk_list(model, frame)
    none = add_reasons(scored, frame, explainer, rows=np.zeros(len(frame), dtype=bool))
    pd.testing.assert_frame_equal(none.frame, scored.frame)


def test_derived_columns_kept_in_the_model_are_never_a_customers_reason(
    telecom_kept: tuple[pd.DataFrame, ChurnModel],
) -> None:
    frame, model = telecom_kept
    derived = {"TotalCharges", "MonthlyCharges"}
    assert set(model.schema.derived) == derived
    scored = get_at_risk_list(model, frame)
    rows = np.arange(len(scored.frame)) < 300
    explainer = ChurnExplainer(model)
    explanation = explainer.explain(frame.iloc[scored.positions[rows]])
    raw = get_top_reasons(explanation, n=len(REASON_COLUMNS))
    assert sum(any(r[0] in derived for r in found) for found in raw) >= 10  # they would be
    listed = add_reasons(scored, frame, explainer, rows=rows).frame.loc[rows]
    shown = listed[list(REASON_COLUMNS)].to_numpy().ravel()
    named = {reason.split(" is ", 1)[0] for reason in shown if reason}
    assert named and not named & derived
    # the next strongest reasons take their place
    counts = (listed[list(REASON_COLUMNS)] != "").sum(axis=1).to_numpy()
    kept = np.array([sum(r[0] not in derived for r in found) for found in raw])
    assert (counts >= kept).all() and (counts > kept).sum() >= 10
