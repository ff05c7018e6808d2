"""BG/NBD as a benchmark for a model trained on a log: fitted only on the log before the
held-out cutoff, scored on the same held-out customers (1 - P(alive), and the chance of no
activity in the window), on the leaderboard, and a warning when the model does not beat it."""

from __future__ import annotations

import copy
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from churn_core import columns as col
from churn_core.logs import (
    ACTIVITY,
    NO_ACTIVITY_NAME,
    P_ALIVE_NAME,
    Activity,
    Benchmark,
    ChurnDefinition,
    add_benchmarks,
    fit_activity_btyd,
    get_btyd_benchmarks,
    get_training_table,
    prepare_activity,
)
from churn_core.model import ChurnModel, get_leaderboard
from churn_core.schema import profile_table


def held_out(activity: Activity, model: ChurnModel) -> tuple[np.ndarray, np.ndarray]:
    """The held-out customers' ids and labels, in the order the model's evaluation lists them."""
    definition = ChurnDefinition.from_dict(model.card["churn_definition"])
    table = get_training_table(activity, definition, model.card["log"]["event_types"])
    churned = table.frame[col.CHURNED_IN_WINDOW].to_numpy()[table.held_out] == "Yes"
    return table.ids[table.held_out], churned


def test_the_card_ranks_bgnbd_beside_the_baseline_on_the_held_out_customers(
    events: tuple[pd.DataFrame, object, Activity], events_model: ChurnModel
) -> None:
    card, evaluation = events_model.card, events_model.evaluation
    assert evaluation is not None
    assert [b["name"] for b in card["benchmarks"]] == [P_ALIVE_NAME, NO_ACTIVITY_NAME]
    assert [b["kind"] for b in card["benchmarks"]] == ["p_alive", "no_activity"]
    for benchmark in card["benchmarks"]:
        p = evaluation.p_benchmarks[benchmark["name"]]
        assert len(p) == len(evaluation.y_test) == card["data"]["test_rows"]
        assert ((p >= 0) & (p <= 1)).all()
        assert benchmark["test"]["roc_auc"] == pytest.approx(roc_auc_score(evaluation.y_test, p))
    p_alive, quiet = (b["test"]["roc_auc"] for b in card["benchmarks"])
    # BG/NBD knows who went quiet, and reading the window's length helps it; the model,
    # which also knows complaints, downgrades and plans, does better than both.
    assert 0.6 < p_alive < quiet < card["metrics"]["roc_auc"]
    assert get_leaderboard(card)["Model"].tolist()[-2:] == [P_ALIVE_NAME, NO_ACTIVITY_NAME]
    assert not any("BG/NBD" in w for w in card["warnings"])
    ids, churned = held_out(events[2], events_model)
    assert (churned == evaluation.y_test).all()  # the same customers, in the same order
    assert len(np.unique(ids)) == len(ids)


def test_each_benchmark_flags_as_many_customers_as_the_model(events_model: ChurnModel) -> None:
    evaluation = events_model.evaluation
    assert evaluation is not None
    flagged = int((evaluation.p_test >= events_model.threshold).sum())
    for benchmark in events_model.card["benchmarks"]:
        p = evaluation.p_benchmarks[benchmark["name"]]
        caught = evaluation.y_test[np.argsort(-p, kind="stable")[:flagged]].sum()
        assert benchmark["test"]["precision"] == pytest.approx(caught / flagged)
        assert benchmark["test"]["recall"] == pytest.approx(caught / evaluation.y_test.sum())
        assert f"the {flagged:,} highest flagged" in benchmark["description"]


def test_the_scores_come_from_a_fit_on_the_log_before_the_held_out_cutoff_only(
    events: tuple[pd.DataFrame, object, Activity], events_model: ChurnModel
) -> None:
    frame, _, activity = events
    ids, churned = held_out(activity, events_model)
    cutoff = pd.Timestamp(events_model.card["churn_definition"]["held_out_cutoff"]).date()
    p_alive, quiet = get_btyd_benchmarks(activity, cutoff, 30, ids, churned, 50)
    forecast = fit_activity_btyd(
        activity, calibration_end=cutoff - timedelta(days=1), counting=ACTIVITY
    )
    customers = forecast.customers.set_index("CustomerID").loc[ids]
    assert p_alive.p == pytest.approx(1 - customers[col.P_ALIVE].to_numpy())
    by_hand = forecast.bgnbd.get_p_no_purchase(
        30 / 7,
        customers[col.FREQUENCY].to_numpy(),
        customers[col.RECENCY_WEEKS].to_numpy(),
        customers[col.AGE_WEEKS].to_numpy(),
    )
    assert quiet.p == pytest.approx(by_hand)
    # Anything on or after the cutoff changes nothing: every customer busy the next day.
    later = pd.DataFrame(
        {
            "CustomerID": np.unique(frame["CustomerID"]),
            "Timestamp": pd.Timestamp(cutoff) + pd.Timedelta(hours=12),
            "Event": "Login",
        }
    )
    busier = pd.concat([frame, later], ignore_index=True)
    profile = profile_table(busier, today=cutoff + timedelta(days=400))
    again = get_btyd_benchmarks(prepare_activity(busier, profile), cutoff, 30, ids, churned, 50)
    assert again[0].p == pytest.approx(p_alive.p) and again[1].p == pytest.approx(quiet.p)


def test_a_model_that_does_not_beat_bgnbd_is_warned_about(events_model: ChurnModel) -> None:
    model = copy.copy(events_model)
    model.card = copy.deepcopy(events_model.card)
    evaluation = events_model.evaluation
    assert evaluation is not None
    best = model.card["benchmarks"][-1]
    model.card["metrics"]["roc_auc"] = best["test"]["roc_auc"] - 0.01
    model.card["warnings"] = []
    add_benchmarks(
        model,
        [
            Benchmark(b["name"], b["kind"], evaluation.p_benchmarks[b["name"]], b["test"])
            for b in model.card["benchmarks"]
        ],
    )
    [warning] = model.card["warnings"]
    assert warning.startswith("BG/NBD, which needs no training, ranks the customers tested as")
    assert f"chance of no activity in the window: ROC-AUC {best['test']['roc_auc']:.2f}" in (
        warning
    )


def test_a_log_bgnbd_cannot_be_fitted_to_before_the_cutoff_has_no_benchmark_and_says_why(
    france_model: ChurnModel,
) -> None:
    # 87 wholesale customers who keep buying: up to the held-out cutoff BG/NBD sees no one stop.
    card = france_model.card
    assert card["benchmarks"] == []
    [why] = card["benchmarks_missing"]
    assert why.startswith("BG/NBD could not be fitted on the log before the held-out cutoff")
    assert not get_leaderboard(card)["Model"].str.contains("BG/NBD").any()
