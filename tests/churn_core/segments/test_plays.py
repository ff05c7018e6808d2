"""Plays: the first rule that fits a segment wins; edited rules are read forgivingly."""

from __future__ import annotations

import pandas as pd

from churn_core.segments.plays import (
    ANY,
    HIGH,
    LOW,
    NO_PLAY,
    PLAY_COLUMN,
    get_default_plays,
    get_segment_plays,
)

OVERALL = pd.Series({"churn_rate": 0.25, "monthly_revenue": 50.0, "tenure": 24.0})


def _segments(**columns: list[float]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_default_rules_give_a_play_for_every_kind_of_segment() -> None:
    summary = _segments(
        churn_rate=[0.5, 0.5, 0.5, 0.1, 0.26, 0.26, 0.1],
        monthly_revenue=[80.0, 50.0, 52.0, 90.0, 50.0, 50.0, 30.0],
        tenure=[24.0, 5.0, 24.0, 24.0, 5.0, 48.0, 24.0],
    )
    plays = get_segment_plays(summary, OVERALL)
    assert [p.split(":")[0] for p in plays] == [
        "Personal call from an account manager",
        "Early-life save",
        "Save campaign",
        "Reward and protect",
        "Welcome journey",
        "Thank loyal customers",
        "Grow",
    ]


def test_edited_rules_win_in_order_and_blank_conditions_mean_any() -> None:
    rules = pd.DataFrame(
        {
            "Churn rate": [HIGH, None, ANY],
            "Monthly revenue": [LOW, "??", ANY],
            "Tenure": [ANY, LOW, ANY],
            PLAY_COLUMN: ["Cheap and leaving", "Newcomers", "Everyone else"],
        }
    )
    summary = _segments(churn_rate=[0.4, 0.1, 0.1], monthly_revenue=[20.0, 60.0, 60.0])
    summary["tenure"] = [30.0, 3.0, 30.0]
    assert get_segment_plays(summary, OVERALL, rules) == [
        "Cheap and leaving",
        "Newcomers",
        "Everyone else",
    ]


def test_without_a_label_predicted_risk_stands_in_for_churn_rate() -> None:
    summary = _segments(predicted_risk=[0.6], monthly_revenue=[90.0])
    overall = pd.Series({"predicted_risk": 0.3, "monthly_revenue": 50.0})
    assert get_segment_plays(summary, overall)[0].startswith("Personal call")


def test_a_missing_measure_never_counts_as_high_or_low() -> None:
    summary = _segments(monthly_revenue=[90.0])
    plays = get_segment_plays(summary, pd.Series({"monthly_revenue": 50.0}))
    assert plays[0].startswith("Keep in touch")


def test_rules_without_a_play_are_skipped_and_no_fit_says_so() -> None:
    rules = get_default_plays().head(1).assign(**{PLAY_COLUMN: "  "})
    assert get_segment_plays(_segments(churn_rate=[0.1]), OVERALL, rules) == [NO_PLAY]
    assert set(get_default_plays()["Churn rate"]) == {HIGH, LOW, ANY}
