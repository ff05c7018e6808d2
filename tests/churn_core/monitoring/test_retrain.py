"""Retrain when it matters: each kind of evidence, judged against the card's held-out figures."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.monitoring import DriftReport, TrackRecord, advise_retrain
from churn_core.monitoring.drift import DISTANCES

#: Held out at training: precision 60% at a 20% churn rate (lift 3), ROC-AUC 0.85.
CARD: dict[str, Any] = {
    "metrics": {"precision": 0.6, "roc_auc": 0.85},
    "data": {"churn_rate": 0.2},
}


def drift(drifted: dict[str, bool], importance: dict[str, float] | None) -> DriftReport:
    names = list(drifted)
    frame = pd.DataFrame(
        {
            col.COLUMN: names,
            col.KIND: "number",
            col.MEASURE: "x",
            col.VALUE: 0.0,
            col.THRESHOLD: 0.1,
            col.DRIFTED: [drifted[n] for n in names],
            col.IMPORTANCE: [importance[n] for n in names] if importance else np.nan,
            col.EFFECT_POINTS: np.nan,
            col.SENTENCE: "",
        }
    )
    return DriftReport(frame, 5000, 5000, DISTANCES, "the training data")


def record(y: np.ndarray, p: np.ndarray, flagged: np.ndarray, base_rate: float) -> TrackRecord:
    empty = pd.DataFrame()
    return TrackRecord(
        listed=len(y),
        unknown=0,
        expected_churners=float(p.sum()),
        actual_churners=int(y.sum()),
        flagged=int(flagged.sum()),
        flagged_expected=float(p[flagged].sum()),
        flagged_actual=int(y[flagged].sum()),
        base_rate=base_rate,
        by_band=empty,
        by_segment=empty,
        calibration=empty,
        y=y,
        p=p,
    )


def honest_record(seed: int = 0) -> TrackRecord:
    """Outcomes drawn from the probabilities themselves: calibrated by construction."""
    rng = np.random.default_rng(seed)
    p = np.r_[np.full(600, 0.6), np.full(2400, 0.1)]
    y = rng.random(len(p)) < p
    return record(y, p, p > 0.5, base_rate=float(y.mean()))


def test_drift_in_columns_the_model_relies_on_says_retrain_and_names_them() -> None:
    report = drift(
        {"Contract": True, "Age": True, "Region": False}, {"Contract": 6, "Age": 1, "Region": 3}
    )
    advice = advise_retrain(CARD, drift=report)
    assert advice.retrain
    assert advice.reasons == [
        "The columns that drifted (Contract and Age) carry 70% of what the model relies on."
    ]


def test_drift_in_columns_the_model_ignores_does_not_say_retrain() -> None:
    report = drift({"Contract": False, "Region": True}, {"Contract": 9, "Region": 1})
    advice = advise_retrain(CARD, drift=report)
    assert not advice.retrain
    assert advice.checks == ["Drifted columns carry 10% of what the model relies on."]


def test_without_importances_half_the_columns_drifted_says_retrain() -> None:
    advice = advise_retrain(CARD, drift=drift({"a": True, "b": True, "c": False, "d": False}, None))
    assert advice.reasons == ["50% of the columns drifted (a and b)."]


def test_a_calibrated_record_as_good_as_the_card_says_the_model_holds() -> None:
    honest = honest_record()
    card = {
        "metrics": {"precision": honest.precision, "roc_auc": honest.roc_auc},
        "data": {"churn_rate": honest.base_rate},
    }
    advice = advise_retrain(card, record=honest)
    assert not advice.retrain
    assert advice.summary() == (
        f"The model in use still holds. Lift {honest.lift:.1f} against {honest.lift:.1f} at "
        f"training. {honest.actual_churners:,} listed customers left against "
        f"{honest.expected_churners:,.0f} expected. ROC-AUC {honest.roc_auc:.2f} against "
        f"{honest.roc_auc:.2f} at training."
    )


def test_a_list_whose_probabilities_overshoot_says_retrain() -> None:
    honest = honest_record()
    advice = advise_retrain(
        CARD,
        record=record(
            honest.y, np.minimum(honest.p * 1.6, 1), honest.p > 0.5, honest.base_rate or 0
        ),
    )
    assert advice.retrain
    assert any("its probabilities no longer match reality" in r for r in advice.reasons)


def test_two_matched_customers_are_too_few_to_say_the_probabilities_are_off() -> None:
    tiny = record(np.array([True, False]), np.array([0.03, 0.02]), np.array([False, False]), 0.5)
    advice = advise_retrain(CARD, record=tiny)
    assert not advice.retrain
    assert "Only 2 listed customers have a known outcome: too few to judge" in advice.checks[0]


def test_a_list_whose_flagged_leave_no_more_than_average_says_retrain() -> None:
    rng = np.random.default_rng(1)
    p = np.r_[np.full(600, 0.6), np.full(2400, 0.1)]
    y = rng.random(len(p)) < 0.2  # the model's ranking no longer tells anything
    advice = advise_retrain(CARD, record=record(y, p, p > 0.5, float(y.mean())))
    assert advice.retrain
    assert any(
        re.fullmatch(
            r"The list's flagged customers left \d\.\d times as often as average, against 3\.0 "
            r"times for held-out customers at training\.",
            r,
        )
        for r in advice.reasons
    )
    assert any(r.startswith("It now ranks leavers above stayers less well") for r in advice.reasons)


def test_with_nothing_to_judge_by_it_says_so() -> None:
    advice = advise_retrain(CARD)
    assert not advice.retrain
    assert advice.summary() == (
        "Nothing to judge the model by yet: check a list against who left, or drift."
    )
    assert advice.to_dict() == {"retrain": False, "reasons": [], "checks": []}
