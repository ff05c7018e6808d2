"""Movers on a hand-made pair of months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.model import ChurnModel
from churn_core.monitoring import MOVEMENTS, get_movers
from churn_core.risk import get_at_risk_list

PREVIOUS = pd.DataFrame(
    {
        "CustomerID": [1, 2, 3, 4, 5, 6],
        "churn_probability": [0.30, 0.60, 0.50, 0.20, 0.10, 0.70],
        "risk_band": ["Medium", "High", "High", "Medium", "Low", "High"],
    }
)
CURRENT = pd.DataFrame(
    {
        "CustomerID": ["1", "2", "3", "4", "5", "7"],
        "churn_probability": [0.55, 0.62, 0.30, 0.28, 0.02, 0.45],
        "risk_band": ["High", "High", "Medium", "Medium", "Low", "High"],
    }
)


def test_each_mover_has_one_row_with_its_movement_and_reason_in_words() -> None:
    movers = get_movers(PREVIOUS, CURRENT)
    frame = movers.frame
    assert list(frame.columns) == ["CustomerID", *col.MOVER_COLUMNS]
    assert frame["CustomerID"].astype(str).tolist() == ["1", "4", "7", "3", "5", "6"]
    assert frame[col.MOVEMENT].tolist() == [
        "newly at risk",
        "risk up",
        "new in the file",
        "no longer at risk",
        "risk down",
        "gone from the file",
    ]
    assert frame[col.REASON].tolist() == [
        "Now High risk (was Medium): 55% up from 30% (+25 pts).",
        "Risk 28% up from 20% (+8 pts); still Medium.",
        "New in this month's file: risk 45% (High).",
        "No longer High risk (now Medium): 30% down from 50% (-20 pts).",
        "Risk 2% down from 10% (-8 pts); still Low.",
        "Not in this month's file (was 70%, High): left, or missing from the export.",
    ]
    assert frame[col.CHANGE_POINTS].iloc[:2].tolist() == pytest.approx([25.0, 8.0])


def test_counts_cover_every_movement_and_the_unchanged() -> None:
    movers = get_movers(PREVIOUS, CURRENT)
    assert movers.counts == dict.fromkeys(MOVEMENTS, 1)
    assert movers.unchanged == 1  # customer 2: 60% -> 62%, High both times
    assert movers.summary() == (
        "Since the previous list: 1 newly at risk; 1 risk up; 1 new in the file; 1 no longer at "
        "risk; 1 risk down; 1 gone from the file; 1 customer moved 5 points or less."
    )


def test_a_larger_threshold_keeps_only_the_big_moves_and_band_changes() -> None:
    movers = get_movers(PREVIOUS, CURRENT, points=10)
    assert movers.counts["risk up"] == 0 and movers.counts["risk down"] == 0
    assert movers.counts["newly at risk"] == 1 and movers.unchanged == 3


def test_lists_without_bands_give_moves_by_points_only() -> None:
    movers = get_movers(PREVIOUS.drop(columns="risk_band"), CURRENT.drop(columns="risk_band"))
    assert movers.counts["newly at risk"] == 0 and movers.counts["no longer at risk"] == 0
    assert movers.counts["risk up"] == 2 and movers.counts["risk down"] == 2
    assert movers.frame[col.REASON].iloc[0] == "Risk 55% up from 30% (+25 pts)."


def test_the_same_list_twice_has_no_movers() -> None:
    movers = get_movers(CURRENT, CURRENT)
    assert movers.frame.empty and movers.unchanged == len(CURRENT)
    assert movers.summary().startswith("Since the previous list: nobody moved;")


def test_a_list_naming_a_customer_twice_is_refused() -> None:
    twice = pd.concat([CURRENT, CURRENT.iloc[:1]])
    with pytest.raises(ChurnDataError) as caught:
        get_movers(PREVIOUS, twice)
    assert caught.value.problems[0].code == "duplicate_list_ids"
    assert str(caught.value).startswith(
        "CustomerID in this month's list should name each customer once"
    )


def test_a_negative_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="points must be 0 or more"):
        get_movers(PREVIOUS, CURRENT, points=-1)


def test_movers_between_two_scored_months_of_the_sample_add_up(
    sample_model: ChurnModel, frame: pd.DataFrame
) -> None:
    before = get_at_risk_list(sample_model, frame.iloc[:3000], include_left=True).frame
    later = frame.iloc[500:].copy()
    later["MonthlyCharges"] = later["MonthlyCharges"] * 1.3
    now = get_at_risk_list(sample_model, later, include_left=True).frame
    movers = get_movers(before, now)
    assert movers.counts["gone from the file"] == 500
    assert movers.counts["new in the file"] == 2000
    in_both = 2500
    moved = sum(movers.counts[m] for m in MOVEMENTS) - 2500
    assert moved + movers.unchanged == in_both
    up = movers.frame[movers.frame[col.MOVEMENT] == "risk up"]
    assert (up[col.CHANGE_POINTS] > 5).all() and np.isfinite(up[col.CHANGE_POINTS]).all()
