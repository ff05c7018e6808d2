"""Choosing the number of segments: silhouette as sklearn computes it, and a recommendation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import pairwise_distances, silhouette_score

from churn_core.schema.profile import profile_table
from churn_core.segments.k_choice import (
    CLEAR_SILHOUETTE,
    SILHOUETTE,
    WITHIN_SHARE,
    K,
    KChoice,
    get_k_scores,
    get_silhouette,
    recommend_k,
)
from churn_core.segments.segmentation import choose_k


@pytest.mark.parametrize("k", [2, 3, 7])
def test_silhouette_matches_sklearn(k: int) -> None:
    rng = np.random.default_rng(k)
    points = rng.normal(size=(200, 3))
    points[:70] += 3
    labels = rng.integers(0, k, 200)
    labels[:70] = 0
    assert get_silhouette(pairwise_distances(points), labels) == pytest.approx(
        silhouette_score(points, labels), abs=1e-12
    )


def test_silhouette_is_undefined_for_one_segment_or_one_customer_each() -> None:
    distances = pairwise_distances(np.arange(4.0).reshape(-1, 1))
    assert np.isnan(get_silhouette(distances, np.zeros(4, int)))
    assert np.isnan(get_silhouette(distances, np.arange(4)))


def _scores(silhouettes: list[float], within: list[float]) -> pd.DataFrame:
    ks = list(range(2, 2 + len(silhouettes)))
    return pd.DataFrame({K: ks, WITHIN_SHARE: within, SILHOUETTE: silhouettes})


def test_clear_groups_take_the_best_silhouette_and_near_ties_go_to_fewer_segments() -> None:
    within = [0.6, 0.3, 0.2, 0.18, 0.17]
    assert recommend_k(_scores([0.4, 0.62, 0.5, 0.3, 0.3], within))[0] == 3
    k, reason, clear = recommend_k(_scores([0.4, 0.615, 0.62, 0.3, 0.3], within))
    assert (k, clear) == (3, True)
    assert reason.startswith("the customers split most clearly into separate groups at 3")


def test_without_clear_groups_the_elbow_is_suggested_and_the_reason_says_so() -> None:
    within = [0.80, 0.62, 0.50, 0.46, 0.43, 0.41, 0.40, 0.39, 0.385]
    silhouettes = [CLEAR_SILHOUETTE - 0.05] * 9
    k, reason, clear = recommend_k(_scores(silhouettes, within))
    assert (k, clear) == (4, False)
    assert "where the elbow chart bends" in reason
    assert "do not fall into clearly separate groups" in reason


def test_scores_fall_within_segments_as_k_grows_and_come_from_a_sample() -> None:
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [6, 0], [0, 6]])
    points = np.vstack([rng.normal(c, 1, size=(4000, 2)) for c in centres])
    scores, rows = get_k_scores(points, range(2, 7), seed=1)
    assert rows == 10_000
    assert (np.diff(scores[WITHIN_SHARE]) < 0).all()
    assert scores.loc[scores[SILHOUETTE].idxmax(), K] == 3


TECHNICAL = ("silhouette", "elbow", "z-score", "pca", "inertia")


def test_the_samples_choice_of_k_reads_in_plain_words_with_the_numbers_kept_for_analysts(
    frame: pd.DataFrame,
) -> None:
    choice = choose_k(frame, profile_table(frame))
    assert choice.plain.startswith(f"{choice.k} segments: ")
    assert not any(word in choice.plain.lower() for word in TECHNICAL)
    assert "silhouette" in choice.reason  # the analysts' version keeps its numbers


@pytest.mark.parametrize(
    ("silhouettes", "clear", "starts"),
    [
        ([0.5, 0.7], True, "3 segments: with 3 the customers fall into the most clearly separate"),
        ([0.1, 0.12], False, "3 segments: more than 3 would tell little more"),
        ([np.nan, np.nan], False, "3 segments: there are too few different customers"),
    ],
)
def test_each_kind_of_choice_has_its_plain_sentence(
    silhouettes: list[float], clear: bool, starts: str
) -> None:
    scores = pd.DataFrame({K: [2, 3], WITHIN_SHARE: [0.5, 0.3], SILHOUETTE: silhouettes})
    assert KChoice(scores, 3, "", clear, 100).plain.startswith(starts)
