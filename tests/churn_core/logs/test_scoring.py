"""Scoring a log: every customer as of its last day, one row each; the lapsed listed last and
marked, never dropped; reasons from the rolled-up columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.explain import ChurnExplainer
from churn_core.logs import (
    Activity,
    ScoredLog,
    fit_activity_btyd,
    is_log_model,
    prepare_for_model,
    score_log,
)
from churn_core.model import ChurnModel
from churn_core.risk import add_reasons, value_customers
from churn_core.survival import ClvAssumptions


@pytest.fixture(scope="module")
def scored(france: tuple[pd.DataFrame, object, Activity], france_model: ChurnModel) -> ScoredLog:
    return score_log(prepare_for_model(france[0], france_model), france_model)


def test_every_customer_is_listed_once_as_of_the_logs_last_day(scored: ScoredLog) -> None:
    frame = scored.at_risk.frame
    assert len(frame) == 87 and frame["CustomerID"].is_unique
    assert list(frame.columns) == [
        "CustomerID", *col.AT_RISK_COLUMNS, col.LAPSED, col.LAST_ACTIVE
    ]  # fmt: skip
    assert frame[col.RANK].tolist() == list(range(1, 88))
    assert scored.customers.as_of.isoformat() == "2011-12-09"


def test_lapsed_customers_are_marked_and_listed_after_the_others(scored: ScoredLog) -> None:
    frame = scored.at_risk.frame
    lapsed = frame[col.LAPSED].eq("Yes").to_numpy()
    assert lapsed.sum() == scored.lapsed == 35
    assert not lapsed[: (~lapsed).sum()].any()  # the active first
    as_of = pd.Timestamp(scored.customers.as_of)
    silent = (as_of - pd.to_datetime(frame[col.LAST_ACTIVE])).dt.days
    assert (silent[lapsed] > 60).all() and (silent[~lapsed] <= 60).all()
    active = frame[~lapsed]
    at_risk = active[col.EXPECTED_VALUE_AT_RISK].to_numpy()
    assert (np.diff(at_risk) <= 1e-9).all()  # each part keeps its ranking
    assert scored.describe() == (
        "87 customers as of 9 December 2011; 35 lapsed customers (no activity for over 60 days) "
        "are listed last, to win back."
    )


def test_positions_point_at_each_customers_rolled_up_row(scored: ScoredLog) -> None:
    customers = scored.customers.frame
    listed = scored.at_risk.frame["CustomerID"].to_numpy()
    assert (customers["CustomerID"].to_numpy()[scored.at_risk.positions] == listed).all()
    assert len(scored.at_risk.flagging.bands) == 87
    assert (scored.at_risk.flagging.bands == scored.at_risk.frame[col.RISK_BAND]).all()


def test_reasons_read_in_the_rolled_up_columns(scored: ScoredLog, france_model: ChurnModel) -> None:
    rows = np.arange(87) < 5
    explained = add_reasons(
        scored.at_risk, scored.customers.frame, ChurnExplainer(france_model), rows=rows
    )
    reason = explained.frame[col.TOP_REASON_1].iloc[0]
    assert " is " in reason and "pts)" in reason
    assert reason.split(" is ")[0] in scored.customers.frame.columns


def test_a_customer_table_model_cannot_score_a_log(
    france: tuple[pd.DataFrame, object, Activity], sample_model: ChurnModel
) -> None:
    assert not is_log_model(sample_model)
    with pytest.raises(ChurnDataError) as caught:
        prepare_for_model(france[0], sample_model)
    assert caught.value.problems[0].code == "not_a_log_model"


def test_a_log_without_the_models_columns_is_refused_in_words(
    france: tuple[pd.DataFrame, object, Activity], france_model: ChurnModel
) -> None:
    with pytest.raises(ChurnDataError) as caught:
        prepare_for_model(france[0].drop(columns=["UnitPrice"]), france_model)
    assert str(caught.value).startswith("This log lacks columns the model learned from: UnitPrice.")


def test_each_customers_value_is_their_btyd_clv_with_the_apps_assumptions(
    events: tuple[pd.DataFrame, object, Activity], events_model: ChurnModel
) -> None:
    activity = events[2]
    assumptions = ClvAssumptions(margin=0.3, annual_discount_rate=0.05, horizon_months=12)
    scored = score_log(activity, events_model, clv_assumptions=assumptions)
    forecast = fit_activity_btyd(activity, assumptions)
    clv = forecast.customers.set_index("CustomerID")[col.CLV]
    frame = scored.at_risk.frame.set_index("CustomerID")
    bought = frame.index.isin(clv.index)
    assert frame.loc[bought, col.CUSTOMER_VALUE].to_numpy() == pytest.approx(
        clv.loc[frame.index[bought]].to_numpy()
    )
    assert (frame.loc[~bought, col.CUSTOMER_VALUE] == 0).all()  # never bought: worth 0
    assert 0 < (~bought).sum() < 200
    expected = frame[col.CHURN_PROBABILITY] * frame[col.CUSTOMER_VALUE]
    assert frame[col.EXPECTED_VALUE_AT_RISK].to_numpy() == pytest.approx(expected.to_numpy())
    assert scored.value_note == (
        "each customer's CLV from BG/NBD and Gamma-Gamma (expected purchases x expected spend), "
        "with 30% margin, 5% a year discount, 12-month horizon"
    )
    active = frame[col.LAPSED].eq("No")
    assert scored.revenue_at_risk == pytest.approx(
        frame.loc[active, col.EXPECTED_VALUE_AT_RISK].sum()
    )
    again = score_log(activity, events_model, clv_assumptions=assumptions, forecast=forecast)
    assert again.at_risk.frame.equals(scored.at_risk.frame)
    longer = score_log(activity, events_model)  # the default 36-month horizon is worth more
    assert longer.at_risk.frame[col.CUSTOMER_VALUE].sum() > frame[col.CUSTOMER_VALUE].sum()


def test_a_forecast_up_to_another_day_is_refused(
    events: tuple[pd.DataFrame, object, Activity], events_model: ChurnModel
) -> None:
    earlier = fit_activity_btyd(events[2], calibration_end="2026-03-31")
    with pytest.raises(ValueError, match="The forecast runs to 2026-03-31, not to the day"):
        score_log(events[2], events_model, forecast=earlier)


def test_a_log_btyd_cannot_be_fitted_to_is_valued_from_monthly_spend_and_says_why(
    france: tuple[pd.DataFrame, object, Activity],
    france_model: ChurnModel,
    scored: ScoredLog,
) -> None:
    values = value_customers(france_model, scored.customers.frame)
    frame = scored.at_risk.frame
    assert frame[col.CUSTOMER_VALUE].to_numpy() == pytest.approx(values[scored.at_risk.positions])
    assert scored.value_note.startswith(
        "CLV from each customer's average monthly spend and the retention curve, because "
        "BG/NBD could not be fitted: The BG/NBD model could not be fitted to this log"
    )
