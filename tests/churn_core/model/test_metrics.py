"""Held-out metrics: scikit-learn is the reference for what we borrow, hand sums for the rest."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from churn_core.model.metrics import best_f1_threshold, get_metrics, top_decile_lift


def simulate(n: int = 600, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Outcomes drawn from a true risk and a noisy model of it, rounded so scores tie."""
    rng = np.random.default_rng(seed)
    risk = 1 / (1 + np.exp(-rng.normal(-1.2, 1.2, n)))
    y = (rng.random(n) < risk).astype(int)
    p = np.clip(np.round(risk + rng.normal(0, 0.1, n), 2), 0, 1)
    return y, p


def test_every_score_matches_sklearn_on_fixed_data() -> None:
    y, p = simulate()
    threshold = 0.35
    flagged = (p >= threshold).astype(int)
    metrics = get_metrics(y, p, threshold)
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert metrics["pr_auc"] == pytest.approx(average_precision_score(y, p), abs=1e-12)
    assert metrics["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert metrics["precision"] == pytest.approx(precision_score(y, flagged), abs=1e-12)
    assert metrics["recall"] == pytest.approx(recall_score(y, flagged), abs=1e-12)
    assert metrics["f1"] == pytest.approx(f1_score(y, flagged), abs=1e-12)
    assert metrics["threshold"] == threshold


def test_the_flagged_counts_are_hand_computed_right() -> None:
    y = np.array([1, 0, 1, 0, 0, 1])
    p = np.array([0.9, 0.8, 0.6, 0.3, 0.2, 0.1])
    metrics = get_metrics(y, p, 0.5)
    # Flagged: the first three (0.9, 0.8, 0.6); two of them left; they sum to 2.3 expected.
    assert metrics["flagged"] == 3
    assert metrics["actual_churners_flagged"] == 2
    assert metrics["expected_churners_flagged"] == pytest.approx(2.3)
    assert metrics["precision"] == pytest.approx(2 / 3)
    assert metrics["recall"] == pytest.approx(2 / 3)


def test_a_customer_exactly_at_the_threshold_is_flagged() -> None:
    metrics = get_metrics(np.array([1, 0, 0]), np.array([0.5, 0.2, 0.1]), 0.5)
    assert metrics["flagged"] == 1 and metrics["recall"] == 1.0


def test_one_kind_of_customer_gives_nan_ranking_scores_not_an_error() -> None:
    metrics = get_metrics(np.zeros(5, dtype=int), np.linspace(0.1, 0.5, 5), 0.3)
    assert math.isnan(metrics["roc_auc"]) and math.isnan(metrics["pr_auc"])
    assert metrics["brier"] == pytest.approx(np.mean(np.linspace(0.1, 0.5, 5) ** 2))


def test_top_decile_lift_is_the_top_tenths_churn_rate_over_the_overall_rate() -> None:
    # 20 customers, 4 left: overall rate 0.2. The top 10 % is 2 customers, 1 of whom left:
    # rate 0.5, so the lift is 0.5 / 0.2 = 2.5.
    y = np.array([1, 0] + [1, 1, 1] + [0] * 15)
    p = np.linspace(0.99, 0.01, 20)
    assert top_decile_lift(y, p) == pytest.approx(2.5)


def test_top_decile_lift_rounds_the_top_tenth_up_to_whole_customers() -> None:
    # 15 customers: 10 % is 1.5, so the top 2 count. Both left; 3 of 15 left overall (0.2).
    y = np.array([1, 1] + [0] * 12 + [1])
    p = np.linspace(0.9, 0.1, 15)
    assert top_decile_lift(y, p) == pytest.approx(1.0 / 0.2)


def test_top_decile_lift_ignores_how_the_rows_are_ordered() -> None:
    y, p = simulate(seed=5)
    p = p + np.arange(len(p)) * 1e-9  # no ties, so the top tenth is well defined
    order = np.random.default_rng(0).permutation(len(y))
    assert top_decile_lift(y[order], p[order]) == top_decile_lift(y, p)


def test_top_decile_lift_is_nan_when_nobody_left() -> None:
    assert math.isnan(top_decile_lift(np.zeros(10), np.linspace(1, 0, 10)))


def test_best_f1_threshold_on_a_hand_case() -> None:
    # Cut-offs and F1 when flagging p >= cut: 0.1 -> 2/3, 0.2 -> 3/4, 0.3 -> 6/7 (3 of 4 flagged
    # left, all 3 leavers caught), 0.4 -> 2/3, 0.5 -> 2/5, 0.6 -> 1/2. Best: 0.3.
    y = np.array([0, 0, 1, 1, 0, 1])
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    assert best_f1_threshold(y, p) == pytest.approx(0.3)


def test_best_f1_threshold_really_maximises_f1_over_every_candidate_cut() -> None:
    y, p = simulate(seed=11)
    best = best_f1_threshold(y, p)
    f1 = {cut: f1_score(y, (p >= cut).astype(int)) for cut in np.unique(p)}
    assert best in f1
    assert f1[best] == pytest.approx(max(f1.values()), abs=1e-12)
