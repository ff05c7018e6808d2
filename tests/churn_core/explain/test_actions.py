"""Actionable columns are guessed from names and values; actions follow the strongest reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.explain.actions import (
    HIGH,
    LOW,
    NO_LEVER,
    get_default_actions,
    get_risky_levels,
    guess_actionable,
    recommend_actions,
)
from churn_core.explain.contributions import Explanation
from churn_core.model.churn_model import ChurnModel
from churn_core.schema.features import BLANK, FeatureSchema

SCHEMA = FeatureSchema(
    numeric=("Age", "SupportTickets", "MonthlyCharges"),
    categorical=("Contract", "Region", "Badge"),
    levels={
        "Contract": ["Month-to-month", "One year", "Two year"],
        "Region": [BLANK, "North", "South"],
        "Badge": ["Gold", "Silver"],
    },
    ranges={
        "Age": {"median": 40.0},
        "SupportTickets": {"median": 1.0},
        "MonthlyCharges": {"median": 50.0},
    },
)


def _explanation(values: list[dict[str, object]], points: list[list[float]]) -> Explanation:
    points_array = np.array(points)
    return Explanation(
        SCHEMA.columns,
        pd.DataFrame(values, columns=list(SCHEMA.columns)).astype(
            {c: object for c in SCHEMA.categorical}
        ),
        0.0,
        points_array / 10,
        points_array,
        np.full(len(points), 0.5),
    )


def test_actionable_columns_are_guessed_from_names_and_values() -> None:
    guess = guess_actionable(SCHEMA).set_index("column")
    assert guess["actionable"].to_dict() == {
        "Age": False,
        "SupportTickets": True,
        "MonthlyCharges": True,
        "Contract": True,
        "Region": False,
        "Badge": True,  # "Gold"/"Silver" are commercial choices, though the name says nothing
    }
    assert guess.loc["Age", "why"] == '"age" is not something you can change'
    assert "Gold" in guess.loc["Badge", "why"]


def test_the_sample_and_the_bank_file_get_sensible_guesses(model: ChurnModel) -> None:
    sample = guess_actionable(model.schema).set_index("column")["actionable"]
    assert sample[["Contract", "PaymentMethod", "SupportTickets90d", "UsageTrendPct"]].all()
    assert not sample["Region"]
    levers = guess_actionable(model.schema).set_index("column")
    # tenure is acted on (a welcome call for the new) but never moved by a what-if
    assert levers.loc["TenureMonths", ["kind", "direction"]].tolist() == ["tenure stage", "none"]
    bank = FeatureSchema(
        ("CreditScore", "Age", "Tenure", "Balance", "NumOfProducts", "IsActiveMember"),
        ("Geography", "Gender"),
    )
    guessed = guess_actionable(bank).set_index("column")["actionable"]
    assert guessed[guessed].index.tolist() == ["Tenure", "NumOfProducts", "IsActiveMember"]


def test_the_action_table_has_a_row_per_value_and_per_direction() -> None:
    table = get_default_actions(SCHEMA, ["Contract", "SupportTickets"])
    assert table[["column", "when"]].values.tolist() == [
        ["Contract", "Month-to-month"],
        ["Contract", "One year"],
        ["Contract", "Two year"],
        ["SupportTickets", HIGH],
        ["SupportTickets", LOW],
    ]
    assert table["action"].iloc[0] == (
        "Offer a discount to move from Month-to-month to a longer Contract"
    )


def test_values_that_lower_risk_get_no_default_action() -> None:
    explanation = _explanation(
        [{"Contract": "Month-to-month"}, {"Contract": "Two year"}],
        [[0, 0, 0, 8, 0, 0], [0, 0, 0, -6, 0, 0]],
    )
    assert get_risky_levels(explanation)["Contract"] == {"Month-to-month"}
    table = get_default_actions(SCHEMA, ["Contract"], get_risky_levels(explanation))
    actions = dict(zip(table["when"], table["action"], strict=True))
    assert actions["Two year"] == "" and actions["Month-to-month"].startswith("Offer")


def test_the_action_follows_the_strongest_actionable_reason() -> None:
    values = [
        # Age raises risk most, but cannot be changed: the contract is the lever.
        {"Age": 70, "SupportTickets": 0, "MonthlyCharges": 50, "Contract": "Month-to-month"},
        # Many tickets (above the median of 1) raise risk most.
        {"Age": 30, "SupportTickets": 6, "MonthlyCharges": 50, "Contract": "One year"},
        # Nothing actionable raises risk.
        {"Age": 70, "SupportTickets": 0, "MonthlyCharges": 20, "Contract": "Two year"},
    ]
    points = [[9, 0, 0, 5, 0, 0], [0, 7, 1, 2, 0, 0], [9, -1, -2, -3, 0, 0]]
    table = pd.DataFrame(
        [
            ("Contract", "Month-to-month", "Offer an annual plan discount"),
            ("Contract", "One year", "Thank them"),
            ("SupportTickets", HIGH, "Call them about their tickets"),
        ],
        columns=["column", "when", "action"],
    )
    assert recommend_actions(_explanation(values, points), SCHEMA, table) == [
        "Offer an annual plan discount",
        "Call them about their tickets",
        NO_LEVER,
    ]


@pytest.mark.parametrize("emptied", [" ", "", None])  # a cleared editor cell is None
def test_an_action_the_user_emptied_is_skipped(emptied: str | None) -> None:
    values = [{"Age": 30, "SupportTickets": 6, "Contract": "Month-to-month"}]
    table = pd.DataFrame(
        [("SupportTickets", HIGH, emptied), ("Contract", "Month-to-month", "Offer a discount")],
        columns=["column", "when", "action"],
    )
    points = [[0, 7, 0, 2, 0, 0]]
    assert recommend_actions(_explanation(values, points), SCHEMA, table) == ["Offer a discount"]


def test_only_flagged_customers_without_a_lever_are_told_to_call() -> None:
    values = [{"Age": 70, "Contract": "Two year"}, {"Age": 70, "Contract": "Two year"}]
    points = [[9, 0, 0, -3, 0, 0], [9, 0, 0, -3, 0, 0]]
    table = get_default_actions(SCHEMA, ["Contract"])
    flagged = np.array([True, False])
    assert recommend_actions(_explanation(values, points), SCHEMA, table, flagged=flagged) == [
        NO_LEVER,
        "",
    ]


def test_an_edited_lever_table_words_the_actions_by_its_kinds() -> None:
    from churn_core.explain import get_action_plan, guess_levers

    levers = guess_levers(SCHEMA)
    levers.loc[levers["column"] == "Age", ["actionable", "kind", "direction"]] = [
        True,
        "engagement and usage",
        "up",
    ]
    _, guessed = get_action_plan(SCHEMA)
    table, actions = get_action_plan(SCHEMA, levers=levers)
    assert table is levers
    assert set(guessed.loc[guessed["column"] == "Age", "action"]) == {""}  # no kind, no action
    age = actions[actions["column"] == "Age"].set_index("when")["action"]
    assert age[LOW].startswith("Re-engage them: their Age is lower than most")
