"""Which value of a two-valued column means "this customer left", in every spelling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.schema.labels import (
    LabelMapping,
    churn_indicator,
    display_value,
    infer_label_mapping,
    name_words,
    value_key,
    word_vote,
)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (1, "1"),
        (1.0, "1"),
        (0.0, "0"),
        (np.int64(0), "0"),
        (np.float64(1.0), "1"),
        (2.5, "2.5"),
        (True, "true"),
        (np.bool_(False), "false"),
        (" Yes ", "yes"),
        ("Attrited Customer", "attrited customer"),
    ],
)
def test_value_key_normalises_spelling_case_and_number_type(value: object, key: str) -> None:
    assert value_key(value) == key


@pytest.mark.parametrize(
    ("value", "shown"), [(1.0, "1"), (True, "True"), (" Yes ", "Yes"), (2.5, "2.5")]
)
def test_display_value_writes_a_value_as_the_user_would(value: object, shown: str) -> None:
    assert display_value(value) == shown


@pytest.mark.parametrize(
    ("values", "column", "churned", "stayed"),
    [
        ([1, 0, 0, 0], "Exited", "1", "0"),
        ([1.0, 0.0, 0.0], "Churn", "1", "0"),
        ([True, False, False], "Churned", "True", "False"),
        (["Y", "N", "N"], "Churn", "Y", "N"),
        (["Yes", "No", "No"], "Status", "Yes", "No"),
        (["Churned", "Active", "Active"], "Status", "Churned", "Active"),
        (["Closed", "Open", "Open"], "AccountState", "Closed", "Open"),
        (
            ["Attrited Customer", "Existing Customer"] * 2,
            "Attrition_Flag",
            "Attrited Customer",
            "Existing Customer",
        ),
        (["Not churned", "Churned", "Not churned"], "Outcome", "Churned", "Not churned"),
        (["Cancelled", "Renewed", "Renewed"], "Subscription", "Cancelled", "Renewed"),
        # Named for staying: the yes/no flips.
        (["Yes", "No", "Yes"], "IsActive", "No", "Yes"),
        ([1, 0, 1, 1], "Retained", "0", "1"),
        ([True, False, True], "is_current_customer", "False", "True"),
        # Named for staying, but the values speak for themselves.
        (["Churned", "Stayed", "Stayed"], "ActiveStatus", "Churned", "Stayed"),
    ],
)
def test_the_churn_value_is_found_in_every_spelling(
    values: list[object], column: str, churned: str, stayed: str
) -> None:
    mapping = infer_label_mapping(pd.Series(values), column)
    assert mapping == LabelMapping(churned, stayed, guessed=False)


def test_the_more_common_value_does_not_decide_which_means_churn() -> None:
    mostly_left = pd.Series(["Yes"] * 9 + ["No"])
    assert infer_label_mapping(mostly_left, "Churn") == LabelMapping("Yes", "No")


def test_without_words_the_rarer_value_is_a_guess_for_churn() -> None:
    mapping = infer_label_mapping(pd.Series(["Gold", "Gold", "Silver"]), "Tier")
    assert mapping == LabelMapping(churned_value="Silver", stayed_value="Gold", guessed=True)


def test_missing_values_are_not_a_third_value() -> None:
    mapping = infer_label_mapping(pd.Series(["Yes", None, "No", np.nan]), "Churn")
    assert mapping == LabelMapping("Yes", "No")


@pytest.mark.parametrize("values", [["Yes"], ["Yes", "No", "Maybe"], []])
def test_anything_but_exactly_two_values_has_no_mapping(values: list[object]) -> None:
    assert infer_label_mapping(pd.Series(values, dtype=object), "Churn") is None


def test_describe_says_which_value_means_the_customer_left() -> None:
    assert LabelMapping("1", "0").describe("Exited") == 'Exited = "1" means the customer left'


@pytest.mark.parametrize(
    ("key", "vote"),
    [
        ("yes", 1),
        ("no", -1),
        ("attrited customer", 1),
        ("existing customer", -1),
        ("not churned", -1),
        ("non active", 1),
        ("gold", 0),
    ],
)
def test_word_vote_reads_churn_stay_and_negation(key: str, vote: int) -> None:
    assert word_vote(key) == vote


def test_churn_indicator_is_true_false_and_na_for_blank_or_other_values() -> None:
    series = pd.Series(["Yes", "No", None, "Maybe", " yes", np.nan])
    flags = churn_indicator(series, LabelMapping("Yes", "No"))
    assert str(flags.dtype) == "boolean"
    assert flags.tolist() == [True, False, pd.NA, pd.NA, True, pd.NA]


def test_churn_indicator_matches_numbers_whatever_their_type() -> None:
    series = pd.Series([1.0, 0.0, np.nan, 1.0])
    flags = churn_indicator(series, LabelMapping("1", "0"))
    assert flags.tolist() == [True, False, pd.NA, True]


def test_churn_indicator_keeps_the_index() -> None:
    series = pd.Series(["No", "Yes"], index=[10, 20])
    assert churn_indicator(series, LabelMapping("Yes", "No")).index.tolist() == [10, 20]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("CustomerId", ["customer", "id"]),
        ("customer_id", ["customer", "id"]),
        ("CustomerID", ["customer", "id"]),
        ("SupportTickets90d", ["support", "tickets", "90", "d"]),
        ("LoginsLast30Days", ["logins", "last", "30", "days"]),
        ("IsActiveMember", ["is", "active", "member"]),
        ("Attrition_Flag", ["attrition", "flag"]),
        ("Monthly Charges ($)", ["monthly", "charges"]),
        ("MRRValue", ["mrr", "value"]),
        ("", []),
    ],
)
def test_name_words_splits_column_names_into_lowercase_words(name: str, words: list[str]) -> None:
    assert name_words(name) == words
