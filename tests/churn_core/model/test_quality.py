"""Model quality in plain words first: the share of leavers caught in the riskiest 20 %."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from churn_core.model.churn_model import ChurnModel
from churn_core.model.metrics import get_top_share_recall
from churn_core.model.quality import describe_catch, describe_quality

JARGON = ("ROC", "AUC", "Brier", "F1", "precision", "recall", "lift")


def test_recall_in_the_top_20_percent_by_hand() -> None:
    y = np.array([1, 0, 1, 0, 0, 0, 1, 0, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    assert get_top_share_recall(y, p, 0.2) == pytest.approx(1 / 3)  # 0.9 and 0.8: one of three
    assert get_top_share_recall(y, p, 0.3) == pytest.approx(2 / 3)
    assert np.isnan(get_top_share_recall(np.zeros(4), np.ones(4)))


def test_the_samples_model_quality_reads_as_leavers_caught_in_its_riskiest_fifth(
    model: ChurnModel,
) -> None:
    reading = describe_quality(model)
    evaluation = model.evaluation
    assert evaluation is not None
    top = int(np.ceil(0.2 * len(evaluation.y_test)))
    order = np.argsort(-evaluation.p_test, kind="mergesort")[:top]
    caught = evaluation.y_test[order].sum() / evaluation.y_test.sum()
    assert reading.caught == pytest.approx(caught)
    assert reading.sentence.startswith(
        f"Catches {round(10 * caught)} of 10 leavers in its riskiest 20 %"
    )
    assert "a random 20 % would catch 2" in reading.sentence
    assert f"checked on {len(evaluation.y_test):,} customers it never saw" in reading.sentence
    assert not any(word.lower() in reading.sentence.lower() for word in JARGON)
    assert reading.for_analysts["ROC-AUC"] == pytest.approx(model.card["metrics"]["roc_auc"])
    assert set(reading.for_analysts) >= {"ROC-AUC", "PR-AUC", "Brier", "F1"}


def test_a_model_without_held_out_scores_reads_its_roc_auc_in_words(model: ChurnModel) -> None:
    older = replace(model, evaluation=None)
    auc = model.card["metrics"]["roc_auc"]
    assert describe_quality(older).sentence == (
        f"Ranks a customer who left above one who stayed {round(10 * auc)} times in 10, on "
        "customers it never saw."
    )


def test_the_sentence_at_the_extremes() -> None:
    assert describe_catch(0.97, 0.2).startswith(
        "Catches nearly every leaver (97%) in its riskiest 20 %"
    )
    assert describe_catch(0.03, 0.2).startswith("Catches fewer than 1 in 10 leavers")
    assert (
        describe_catch(float("nan"), 0.2) == "Its quality on customers it never saw is not known."
    )
