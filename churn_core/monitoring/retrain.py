"""Retrain when it matters: has the model in use aged, and why, in words.

Two kinds of evidence, each judged against what the model card promised on held-out customers:

- **Drift**: the columns that drifted carry at least ``drift_share`` (30%) of what the model
  relies on (without a model's importances: half the columns drifted, Evidently's "dataset
  drift" rule).
- **The track record**: the list's lift fell well below the card's (by a quarter or more, with
  at least 30 flagged customers); its probabilities no longer add up to the leavers (actual
  against expected off by more than 20% and by more than three standard deviations of chance);
  or its ROC-AUC fell 0.05 or more below the card's (with 30 leavers and 30 stayers at least).

The card's lift is its held-out precision at the best-F1 threshold over the training churn
rate: a list flagged by another policy (capacity, profit) flags a different share, so its lift
is compared loosely. When the advice says retrain, the page offers a challenger trained on the
newer data, compared with the model in use on the same customers (the workspace's registry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from churn_core.errors import join_words
from churn_core.monitoring.drift import DriftReport
from churn_core.monitoring.track_record import TrackRecord

DRIFT_SHARE = 0.3
DATASET_DRIFT_SHARE = 0.5
LIFT_FALL = 0.25
MIN_FLAGGED = 30
CALIBRATION_GAP = 0.2
CALIBRATION_SDS = 3.0
AUC_FALL = 0.05
MIN_PER_OUTCOME = 30
#: Listed customers with a known outcome below which calibration is not judged (two matched
#: customers, one of whom left, is no evidence that the probabilities are off).
MIN_CHECKED = 100


@dataclass(frozen=True)
class RetrainAdvice:
    """Whether to train a challenger, why (``reasons``), and what was checked and found fine."""

    retrain: bool
    reasons: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.retrain:
            return "Time to train a challenger on newer data. " + " ".join(self.reasons)
        if not self.checks:
            return "Nothing to judge the model by yet: check a list against who left, or drift."
        return "The model in use still holds. " + " ".join(self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"retrain": self.retrain, "reasons": self.reasons, "checks": self.checks}


def advise_retrain(
    card: dict[str, Any],
    *,
    drift: DriftReport | None = None,
    record: TrackRecord | None = None,
    drift_share: float = DRIFT_SHARE,
    lift_fall: float = LIFT_FALL,
) -> RetrainAdvice:
    """Say whether the model described by ``card`` has aged (see the module docstring)."""
    reasons: list[str] = []
    checks: list[str] = []
    if drift is not None:
        _judge_drift(drift, drift_share, reasons, checks)
    if record is not None:
        _judge_lift(card, record, lift_fall, reasons, checks)
        _judge_calibration(record, reasons, checks)
        _judge_ranking(card, record, reasons, checks)
    return RetrainAdvice(bool(reasons), reasons, checks)


def _judge_drift(
    drift: DriftReport, drift_share: float, reasons: list[str], checks: list[str]
) -> None:
    drifted = drift.drifted_columns
    share = drift.importance_share_drifted
    names = ""
    if drifted:
        names = join_words(drifted[:4]) + (
            f" and {len(drifted) - 4} more" if len(drifted) > 4 else ""
        )
    if share is not None:
        if share >= drift_share:
            reasons.append(
                f"The columns that drifted ({names}) carry {share:.0%} of what the model relies on."
            )
        else:
            checks.append(f"Drifted columns carry {share:.0%} of what the model relies on.")
    elif drift.share_drifted >= DATASET_DRIFT_SHARE:
        reasons.append(f"{drift.share_drifted:.0%} of the columns drifted ({names}).")
    else:
        checks.append(f"{drift.share_drifted:.0%} of the columns drifted.")


def _judge_lift(
    card: dict[str, Any],
    record: TrackRecord,
    lift_fall: float,
    reasons: list[str],
    checks: list[str],
) -> None:
    held_out = card["metrics"].get("precision", 0.0) / card["data"]["churn_rate"]
    lift = record.lift
    if lift is None or record.flagged < MIN_FLAGGED or not held_out:
        return
    if lift < (1 - lift_fall) * held_out:
        reasons.append(
            f"The list's flagged customers left {lift:.1f} times as often as average, against "
            f"{held_out:.1f} times for held-out customers at training."
        )
    else:
        checks.append(f"Lift {lift:.1f} against {held_out:.1f} at training.")


def _judge_calibration(record: TrackRecord, reasons: list[str], checks: list[str]) -> None:
    expected, actual = record.expected_churners, record.actual_churners
    if record.listed == 0 or expected <= 0:
        return
    if record.listed < MIN_CHECKED:
        checks.append(
            f"Only {record.listed:,} listed customers have a known outcome: too few to judge "
            f"whether the probabilities still match (at least {MIN_CHECKED:,} are needed)."
        )
        return
    sd = float(np.sqrt(np.sum(record.p * (1 - record.p))))
    gap = actual - expected
    if abs(gap) > CALIBRATION_SDS * sd and abs(gap) > CALIBRATION_GAP * expected:
        more = "more" if gap > 0 else "fewer"
        reasons.append(
            f"{actual:,} listed customers left where the model expected {expected:,.0f} "
            f"({abs(gap) / expected:.0%} {more}): its probabilities no longer match reality."
        )
    else:
        checks.append(f"{actual:,} listed customers left against {expected:,.0f} expected.")


def _judge_ranking(
    card: dict[str, Any], record: TrackRecord, reasons: list[str], checks: list[str]
) -> None:
    auc, held_out = record.roc_auc, card["metrics"].get("roc_auc")
    leavers = record.actual_churners
    if auc is None or held_out is None:
        return
    if min(leavers, record.listed - leavers) < MIN_PER_OUTCOME:
        return
    if auc <= held_out - AUC_FALL:
        reasons.append(
            f"It now ranks leavers above stayers less well (ROC-AUC {auc:.2f} against "
            f"{held_out:.2f} at training)."
        )
    else:
        checks.append(f"ROC-AUC {auc:.2f} against {held_out:.2f} at training.")
