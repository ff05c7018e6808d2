"""The model card in words and tables: the leaderboard and the one-sentence summary."""

from __future__ import annotations

from typing import Any

import pytest

from churn_core.model.card import (
    METRIC_DEFINITIONS,
    describe_model,
    describe_value,
    get_leaderboard,
)
from churn_core.model.churn_model import ChurnModel
from churn_core.model.training import CANDIDATES

METRIC_COLUMNS = ["ROC-AUC", "PR-AUC", "Brier", "Top-10% lift", "Precision", "Recall", "F1"]


@pytest.fixture(scope="module")
def card(sample_model: ChurnModel) -> dict[str, Any]:
    return sample_model.card


def test_the_leaderboard_has_one_row_per_candidate_and_the_baseline(card) -> None:
    board = get_leaderboard(card)
    assert len(board) == len(CANDIDATES) + 1
    assert list(board.columns) == ["Model", "Cross-validated ROC-AUC", *METRIC_COLUMNS]
    assert board["Model"].iloc[-1] == f"One-rule baseline: {card['baseline']['rule']}"


def test_the_model_in_use_is_marked_and_the_others_are_not(card) -> None:
    names = get_leaderboard(card)["Model"].tolist()[:-1]
    chosen = card["model"]["name"]
    assert names == [name + (" (in use)" if name == chosen else "") for name in CANDIDATES]


def test_the_leaderboard_shows_each_candidates_held_out_metrics(card) -> None:
    board = get_leaderboard(card).set_index("Model")
    for entry in card["leaderboard"]:
        row = board.loc[entry["name"] + (" (in use)" if entry["chosen"] else "")]
        assert row["ROC-AUC"] == entry["test"]["roc_auc"]
        assert row["Brier"] == entry["test"]["brier"]
        assert row["Cross-validated ROC-AUC"] == f"{entry['cv_roc_auc']:.3f}"


def test_the_baseline_was_never_cross_validated_so_it_reads_a_dash(card) -> None:
    baseline = get_leaderboard(card).iloc[-1]
    assert baseline["Cross-validated ROC-AUC"] == "–"
    assert baseline["ROC-AUC"] == card["baseline"]["test"]["roc_auc"]


def test_every_metric_in_the_leaderboard_is_defined_in_plain_words() -> None:
    assert set(METRIC_DEFINITIONS) == set(METRIC_COLUMNS)


def test_the_summary_names_the_model_and_its_held_out_roc_auc(card) -> None:
    text = describe_model(card)
    assert card["model"]["name"] in text
    assert f"ROC-AUC {card['metrics']['roc_auc']:.2f}" in text


def test_the_summary_reads_as_one_sentence_on_a_hand_made_card() -> None:
    card = {
        "model": {"name": "Gradient boosting"},
        "data": {"rows": 10000, "rows_with_label": 10000, "test_rows": 2000},
        "metrics": {"roc_auc": 0.8643},
        "baseline": {"test": {"roc_auc": 0.6712}},
    }
    assert describe_model(card) == (
        "Gradient boosting learned from 8,000 customers; on 2,000 it never saw, ROC-AUC 0.86 "
        "(one-rule baseline 0.67)"
    )


def test_other_benchmarks_on_the_card_follow_the_baseline_on_the_leaderboard(card) -> None:
    test = {**card["baseline"]["test"], "roc_auc": 0.61}
    with_benchmark = {**card, "benchmarks": [{"name": "BG/NBD: 1 - P(alive)", "test": test}]}
    board = get_leaderboard(with_benchmark)
    assert len(board) == len(CANDIDATES) + 2
    assert board["Model"].iloc[-1] == "BG/NBD: 1 - P(alive)"
    assert board["ROC-AUC"].iloc[-1] == 0.61 and board["Cross-validated ROC-AUC"].iloc[-1] == "–"


def test_a_log_models_customer_value_is_described_as_its_btyd_clv(card) -> None:
    log_card = {**card, "log": {"value": "btyd_clv"}}
    assert describe_value(log_card).startswith(
        "their lifetime value from BG/NBD and Gamma-Gamma: the purchases they are expected"
    )
    assert not describe_value(card).startswith("their lifetime value from BG/NBD")


def test_the_card_lists_derived_columns_and_what_the_model_does_with_each(
    telecom_kept: tuple[Any, ChurnModel],
) -> None:
    from churn_core.model.card import get_derived_df

    _, model = telecom_kept
    table = get_derived_df(model.card).set_index("Column")
    assert set(table.index) == {"TotalCharges", "MonthlyCharges"}
    assert table.loc["TotalCharges", "How it follows from others"] == (
        "TotalCharges is a running total: about tenure x MonthlyCharges"
    )
    assert table.loc["MonthlyCharges", "In the model"].startswith("Kept by your choice")
    assert get_derived_df({"derived": []}).empty
