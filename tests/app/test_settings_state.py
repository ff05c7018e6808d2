"""Saved choices laid over the app's first guess: only where they match, never more."""

from __future__ import annotations

import pandas as pd

from ui.settings_state import frame_records, overlay


def test_a_saved_plan_overrides_the_guess_only_where_columns_and_values_match() -> None:
    guess = pd.DataFrame(
        {
            "column": ["Contract", "Contract", "Plan"],
            "when": ["Month-to-month", "One year", "Basic"],
            "action": ["Offer a discount", "", "Suggest an upgrade"],
        }
    )
    saved = [
        {"column": "Contract", "when": "Month-to-month", "action": "Call them"},
        {"column": "Plan", "when": "Basic", "action": None},  # emptied: skip this reason
        {"column": "Region", "when": "North", "action": "Not in this data"},
    ]
    laid = overlay(guess, saved, ["column", "when"], ["action"])
    assert laid["action"].tolist() == ["Call them", "", ""]
    assert len(laid) == len(guess)  # a saved row the data does not have is not added
    assert guess["action"].tolist() == ["Offer a discount", "", "Suggest an upgrade"]  # a copy


def test_flags_round_trip_through_json_rows_and_anything_else_leaves_the_guess() -> None:
    guess = pd.DataFrame({"column": ["Tenure", "Plan"], "actionable": [False, True]})
    saved = frame_records(pd.DataFrame({"column": ["Tenure"], "actionable": [True]}))
    assert saved == [{"column": "Tenure", "actionable": True}]
    assert overlay(guess, saved, ["column"], ["actionable"])["actionable"].tolist() == [True, True]
    for other in (None, {"column": "Tenure"}, [["Tenure", True]], "text"):
        pd.testing.assert_frame_equal(overlay(guess, other, ["column"], ["actionable"]), guess)
