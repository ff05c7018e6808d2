"""Levers: each column's kind and allowed moves, guessed from names and values, editable."""

from __future__ import annotations

import pandas as pd
import pytest

from churn_core.explain.levers import LEVER_COLUMNS, guess_levers, read_levers
from churn_core.io import read_table
from churn_core.schema import FeatureSchema, get_feature_schema, profile_table
from churn_core.schema.levers import allows, commitment, guess_lever
from tests.churn_core.card_issuer import make_card_issuer_customers
from tests.churn_core.public_like import telecom_path


def levers_of(frame: pd.DataFrame) -> pd.DataFrame:
    profile = profile_table(frame)
    return guess_levers(get_feature_schema(frame, profile)).set_index("column")


def test_the_telecom_files_levers_have_the_moves_a_business_can_make() -> None:
    levers = levers_of(read_table(telecom_path()).frame)
    assert list(levers.reset_index().columns) == list(LEVER_COLUMNS)
    assert levers.loc["Contract", ["kind", "direction"]].tolist() == ["plan or contract", "longer"]
    for service in ("OnlineSecurity", "StreamingTV", "PhoneService", "InternetService"):
        assert levers.loc[service, "direction"] == "add", service
    assert levers.loc["PaymentMethod", ["kind", "direction"]].tolist() == [
        "payment and billing",
        "switch",
    ]
    assert levers.loc["tenure", ["kind", "direction"]].tolist() == ["tenure stage", "none"]
    for fixed in ("gender", "SeniorCitizen", "Partner", "Dependents"):
        assert not levers.loc[fixed, "actionable"] and levers.loc[fixed, "direction"] == "none"
    assert "TotalCharges" not in levers.index  # derived: not even a model input


def test_the_card_issuers_engagement_and_products_are_levers() -> None:
    levers = levers_of(make_card_issuer_customers(3000))
    assert levers.loc["Total_Trans_Ct", ["kind", "direction"]].tolist() == [
        "engagement and usage",
        "up",
    ]
    assert levers.loc["Months_Inactive_12_mon", "direction"] == "down"
    assert levers.loc["Total_Relationship_Count", ["kind", "direction"]].tolist() == [
        "product holding",
        "up",
    ]
    assert levers.loc["Contacts_Count_12_mon", ["kind", "direction"]].tolist() == [
        "service and support",
        "down",
    ]
    for fixed in ("Customer_Age", "Gender", "Income_Category", "Marital_Status"):
        assert not levers.loc[fixed, "actionable"]


def test_a_derived_column_kept_in_the_model_is_never_a_lever() -> None:
    schema = FeatureSchema(
        ("tenure", "MonthlyCharges", "TotalCharges"),
        (),
        derived={"TotalCharges": "TotalCharges is a running total: about tenure x MonthlyCharges"},
        tenure="tenure",
    )
    levers = guess_levers(schema).set_index("column")
    assert levers.loc["TotalCharges", "direction"] == "none"
    assert "running total" in levers.loc["TotalCharges", "why"]
    table = guess_levers(schema).assign(actionable=True, direction="down")
    assert set(read_levers(table, schema)) == {"tenure", "MonthlyCharges"}


def test_an_edited_lever_table_wins_and_unknown_cells_fall_back_to_the_guess() -> None:
    schema = FeatureSchema(("MonthlyCharges", "Logins"), ("Plan",), {"Plan": ["Basic", "Pro"]})
    table = guess_levers(schema)
    table.loc[table["column"] == "MonthlyCharges", "direction"] = "up"  # the user's choice
    table.loc[table["column"] == "Logins", "direction"] = "sideways"  # not a direction
    table.loc[table["column"] == "Plan", "actionable"] = False
    levers = read_levers(table, schema)
    assert levers["MonthlyCharges"].direction == "up"
    assert levers["Logins"].direction == "up"  # the guess
    assert "Plan" not in levers


@pytest.mark.parametrize(
    ("direction", "before", "after", "allowed"),
    [
        ("down", 70.35, 102.6, False),  # the telecom file's 46 % price rise
        ("down", 70.35, 50.0, True),
        ("up", 3, 2, False),
        ("longer", "Month-to-month", "One year", True),
        ("longer", "One year", "Month-to-month", False),
        ("add", "No", "Yes", True),
        ("add", "Yes", "No", False),
        ("add", "No internet service", "Yes", False),
        ("switch", "Electronic check", "Credit card (automatic)", True),
        ("none", 3, 4, False),
    ],
)
def test_a_direction_allows_only_its_moves(
    direction: str, before: object, after: object, allowed: bool
) -> None:
    assert allows(direction, before, after) is allowed


def test_contract_values_are_ordered_by_their_commitment() -> None:
    assert [commitment(v) for v in ("Month-to-month", "One year", "Two year")] == [1, 12, 24]
    assert guess_lever("Term", ["Monthly", "Annual"]).direction == "longer"
