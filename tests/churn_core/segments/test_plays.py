"""Plays: the first rule that fits a segment wins; edited rules are read forgivingly."""

from __future__ import annotations

import numpy as np
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


def test_a_card_issuers_segments_get_plays_from_what_sets_them_apart() -> None:
    from churn_core.schema import profile_table
    from churn_core.segments import fit_segments
    from tests.churn_core.card_issuer import make_card_issuer_customers

    frame = make_card_issuer_customers()
    found = fit_segments(frame, profile_table(frame), k=5)
    plays = dict(zip(found.summary_["segment"], found.summary_["play"], strict=True))
    assert not any("contract" in play.lower() for play in plays.values())
    checked = [n for n in plays if n.startswith(("Few total trans", "Low customer age, new"))]
    assert len(checked) == 2, plays
    for name, play in plays.items():
        if name.startswith("Few total trans"):
            assert play.startswith("Re-engagement campaign (few total trans)")
        if name.startswith("Low customer age, new"):
            assert play.startswith("Onboarding journey (new)")
    assert found.get_plays() == list(plays.values())
    assert found.get_plays(get_default_plays()) != found.get_plays()  # the user's rules win


def test_trait_plays_name_the_trait_and_protect_segments_that_stay() -> None:
    from churn_core.segments.inputs import AMOUNT, LEVEL, TENURE, Feature
    from churn_core.segments.plays import get_trait_plays

    features = [
        Feature("Contract", LEVEL, "Month-to-month"),
        Feature("TenureMonths", TENURE),
        Feature("LoginsLast30d", AMOUNT),
    ]
    zscores = np.array([[1.2, -0.4, 0.0], [0.0, 0.9, 0.2], [0.0, 0.1, -0.8]])
    summary = pd.DataFrame({"churn_rate": [0.5, 0.1, 0.4]})
    plays = get_trait_plays(zscores, features, summary, pd.Series({"churn_rate": 0.3}))
    assert plays[0] == (
        "Commitment offer (mostly Month-to-month Contract): a discount to move to a longer "
        "Contract."
    )
    assert plays[1].startswith("Thank loyal customers (long tenure)")
    assert plays[2].startswith("Re-engagement campaign (low logins last 30d)")
