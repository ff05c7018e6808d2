"""BG/NBD's P(alive) as a second benchmark for a model trained on a log: fitted only on the log
before the held-out cutoff, scored on the same held-out customers, on the leaderboard, and a
warning when the model does not beat it."""

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
    P_ALIVE_NAME,
    Activity,
    Benchmark,
    ChurnDefinition,
    add_benchmark,
    fit_activity_btyd,
    get_p_alive_benchmark,
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


def test_the_card_ranks_p_alive_beside_the_baseline_on_the_held_out_customers(
    events: tuple[pd.DataFrame, object, Activity], events_model: ChurnModel
) -> None:
    card, evaluation = events_model.card, events_model.evaluation
    assert evaluation is not None
    [benchmark] = card["benchmarks"]
    assert benchmark["name"] == P_ALIVE_NAME and benchmark["kind"] == "p_alive"
    p = evaluation.p_benchmarks[P_ALIVE_NAME]
    assert len(p) == len(evaluation.y_test) == card["data"]["test_rows"]
    assert benchmark["test"]["roc_auc"] == pytest.approx(roc_auc_score(evaluation.y_test, p))
    # BG/NBD knows who went quiet, but the model knows more (complaints, downgrades, plan).
    assert 0.6 < benchmark["test"]["roc_auc"] < card["metrics"]["roc_auc"]
    board = get_leaderboard(card)
    assert board["Model"].iloc[-1] == P_ALIVE_NAME
    assert board["Cross-validated ROC-AUC"].iloc[-1] == "–"
    assert not any("BG/NBD" in w for w in card["warnings"])
    # It flags as many customers as the model does: precision and recall compare like with like.
    flagged = int((evaluation.p_test >= events_model.threshold).sum())
    top = np.argsort(-p, kind="stable")[:flagged]
    caught = evaluation.y_test[top].sum()
    assert benchmark["test"]["precision"] == pytest.approx(caught / flagged)
    assert benchmark["test"]["recall"] == pytest.approx(caught / evaluation.y_test.sum())
    assert f"the {flagged:,} most likely to have stopped flagged" in benchmark["description"]
    ids, churned = held_out(events[2], events_model)
    assert (churned == evaluation.y_test).all()  # the same customers, in the same order
    assert len(np.unique(ids)) == len(ids)


def test_p_alive_comes_from_a_fit_on_the_log_before_the_held_out_cutoff_only(
    events: tuple[pd.DataFrame, object, Activity], events_model: ChurnModel
) -> None:
    frame, _, activity = events
    ids, churned = held_out(activity, events_model)
    cutoff = pd.Timestamp(events_model.card["churn_definition"]["held_out_cutoff"]).date()
    benchmark = get_p_alive_benchmark(activity, cutoff, ids, churned, 50)
    forecast = fit_activity_btyd(
        activity, calibration_end=cutoff - timedelta(days=1), counting=ACTIVITY
    )
    p_alive = forecast.customers.set_index("CustomerID")[col.P_ALIVE]
    assert benchmark.p == pytest.approx(1 - p_alive.loc[ids].to_numpy())
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
    again = get_p_alive_benchmark(prepare_activity(busier, profile), cutoff, ids, churned, 50)
    assert again.p == pytest.approx(benchmark.p)


def test_a_model_that_does_not_beat_p_alive_is_warned_about(events_model: ChurnModel) -> None:
    model = copy.copy(events_model)
    model.card = copy.deepcopy(events_model.card)
    [benchmark] = model.card["benchmarks"]
    model.card["metrics"]["roc_auc"] = benchmark["test"]["roc_auc"] - 0.01
    model.card["warnings"] = []
    evaluation = events_model.evaluation
    assert evaluation is not None
    add_benchmark(
        model,
        Benchmark(P_ALIVE_NAME, evaluation.p_benchmarks[P_ALIVE_NAME], benchmark["test"], ""),
    )
    [warning] = model.card["warnings"]
    assert warning.startswith("BG/NBD's chance that a customer has stopped, which needs no")
    assert f"ROC-AUC {benchmark['test']['roc_auc']:.2f} against" in warning


def test_a_log_bgnbd_cannot_be_fitted_to_before_the_cutoff_has_no_benchmark_and_says_why(
    france_model: ChurnModel,
) -> None:
    # 87 wholesale customers who keep buying: up to the held-out cutoff BG/NBD sees no one stop.
    card = france_model.card
    assert card["benchmarks"] == []
    [why] = card["benchmarks_missing"]
    assert why.startswith("BG/NBD could not be fitted on the log before the held-out cutoff")
    assert not get_leaderboard(card)["Model"].str.contains("BG/NBD").any()
