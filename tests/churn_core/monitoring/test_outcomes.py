"""Who on a delivered list left: labels in any spelling, next month's file, and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.monitoring import read_outcome_label, read_outcomes
from churn_core.schema import LabelMapping


def small_list() -> pd.DataFrame:
    """Six customers as the app delivers them: id first, then the at-risk columns."""
    return pd.DataFrame(
        {
            "CustomerID": ["A", "B", "C", "D", "E", "F"],
            "rank": [1, 2, 3, 4, 5, 6],
            "churn_probability": [0.9, 0.7, 0.6, 0.3, 0.2, 0.1],
            "risk_band": ["High", "High", "High", "Medium", "Low", "Low"],
            "segment": ["Loyal", "Loyal", "New", "New", "Loyal", ""],
        }
    )


def refused(*args: object, **kwargs: object) -> ChurnDataError:
    with pytest.raises(ChurnDataError) as caught:
        read_outcomes(*args, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("left", "stayed"),
    [
        ("Yes", "No"),
        (1, 0),
        (True, False),
        ("Attrited Customer", "Existing Customer"),
        ("churned", "ACTIVE "),
    ],
)
def test_a_label_in_any_spelling_says_who_left(left: object, stayed: object) -> None:
    later = pd.DataFrame(
        {"CustomerID": ["A", "B", "C", "D"], "Status": [left, stayed, left, stayed]}
    )
    outcomes = read_outcomes(small_list(), later, label="Status")
    assert outcomes.left.tolist() == [True, False, True, False, pd.NA, pd.NA]
    assert outcomes.matched == 4 and outcomes.label_column == "Status"


def test_the_label_is_found_by_its_name_when_not_given() -> None:
    later = pd.DataFrame({"CustomerID": list("ABCDEF"), "Exited": [1, 0, 1, 1, 0, 0]})
    outcomes = read_outcomes(small_list(), later)
    assert outcomes.label_column == "Exited"
    assert outcomes.left.tolist() == [True, False, True, True, False, False]
    assert outcomes.base_rate == 0.5 and outcomes.population == 6


def test_ids_written_as_numbers_or_text_are_the_same_customers() -> None:
    listed = small_list().assign(CustomerID=[1001, 1002, 1003, 1004, 1005, 1006])
    later = pd.DataFrame(
        {"CustomerID": ["1001", " 1002 ", "1003.0", "1004", "1005", "1006"], "Churn": ["Y"] * 6}
    )
    later.loc[2, "CustomerID"] = 1003.0
    assert read_outcomes(listed, later).matched == 6


def test_next_months_file_counts_the_missing_as_left_only_when_confirmed() -> None:
    later = pd.DataFrame({"CustomerID": ["B", "D", "E", "F", "G"], "Plan": ["a"] * 5})
    outcomes = read_outcomes(small_list(), later, missing_means_left=True)
    assert outcomes.label_column is None
    assert outcomes.left.tolist() == [True, False, True, False, False, False]
    assert outcomes.describe_source("March") == "customers missing from March are counted as left"
    error = refused(small_list(), later)
    assert str(error) == (
        "The outcomes file has no churn label, so it reads as next month's customer file: 2 "
        "customers on the list are missing from it. A customer missing from it is counted as "
        "left only when you say so. If the customers missing from this file have left, confirm "
        "it; otherwise give a file with a churn label."
    )
    assert error.problems[0].code == "missing_not_confirmed"


def test_an_outcomes_file_can_also_count_the_missing_as_left() -> None:
    later = pd.DataFrame({"CustomerID": ["A", "B", "C"], "Churn": ["No", "No", "Yes"]})
    unknown = read_outcomes(small_list(), later)
    assert unknown.left.tolist() == [False, False, True, pd.NA, pd.NA, pd.NA]
    counted = read_outcomes(small_list(), later, missing_means_left=True)
    assert counted.left.tolist() == [False, False, True, True, True, True]
    assert counted.base_rate == pytest.approx(4 / 6)


def test_ids_that_match_none_of_the_list_are_refused_with_examples_of_both_sides() -> None:
    later = pd.DataFrame({"CustomerID": ["X1", "X2", "X3", "X4"], "Churn": ["Yes", "No"] * 2})
    error = refused(small_list(), later)
    assert str(error) == (
        "None of the 6 customers on the list is in the outcomes file (matched on CustomerID). "
        'Ids on the list look like "A", "B" and "C"; in the outcomes file like "X1", "X2" and '
        '"X3". Check that both files hold the same customers under the same id column.'
    )
    assert error.problems[0].code == "ids_match_none"


def test_ids_that_match_few_of_the_list_give_a_warning_with_counts_and_examples() -> None:
    later = pd.DataFrame({"CustomerID": ["A", "B", "Z9"], "Churn": ["Yes", "No", "No"]})
    outcomes = read_outcomes(small_list(), later)
    (warning,) = outcomes.warnings
    assert warning.code == "ids_match_few"
    assert warning.message == (
        "Only 2 of the 6 customers on the list (33%) are in the outcomes file; the track "
        'record covers those 2 only. Not found: "C", "D" and "E"; ids in the outcomes file not '
        'on the list: "Z9".'
    )


def test_a_yes_no_column_not_named_like_churn_is_not_read_as_who_left() -> None:
    later = pd.DataFrame({"CustomerID": list("ABCDEF"), "Flag": [1, 0, 1, 0, 1, 1]})
    outcomes = read_outcomes(small_list(), later)
    assert outcomes.label_column is None
    assert outcomes.left.tolist() == [False] * 6
    (warning,) = outcomes.warnings
    assert warning.code == "label_not_named"
    assert warning.message.startswith("Flag has two values but its name does not say")
    active = pd.DataFrame({"CustomerID": list("ABCDEF"), "IsActiveMember": [1, 0, 1, 0, 1, 1]})
    assert read_outcomes(small_list(), active).label_column is None  # engagement, not churn


def test_label_values_the_model_never_saw_are_unknown_and_reported() -> None:
    learned = LabelMapping("Yes", "No")
    series = pd.Series(["Yes", "No", "Pending", "No", "Pending"])
    indicator, (warning,) = read_outcome_label(series, "Churn", learned=learned)
    assert indicator.tolist() == [True, False, pd.NA, False, pd.NA]
    assert warning.message == (
        'Churn says neither left nor stayed for 2 customers (e.g. "Pending"); the model learned '
        '"Yes" for left and "No" for stayed; their outcome is unknown, so they are left out of '
        "the track record."
    )


def test_a_label_whose_values_say_nothing_is_refused_naming_what_the_model_learned() -> None:
    with pytest.raises(ChurnDataError) as caught:
        read_outcome_label(pd.Series(["A", "B", "A"]), "Flag", learned=LabelMapping("Yes", "No"))
    assert str(caught.value) == (
        'Flag has the values "A", "B": none says whether a customer left; the model learned '
        '"Yes" for left and "No" for stayed. Say which value means left, or write "Yes" and '
        '"No" in Flag.'
    )


def test_two_unreadable_values_are_read_by_the_churned_value_given() -> None:
    indicator, warnings = read_outcome_label(
        pd.Series(["A", "B", "A", None]), "Flag", churned_value="B"
    )
    assert indicator.tolist() == [False, True, False, pd.NA] and warnings == []


def test_without_words_or_a_model_the_rarer_value_is_taken_as_left_with_a_warning() -> None:
    indicator, (warning,) = read_outcome_label(pd.Series(["A", "A", "B"]), "Flag")
    assert indicator.tolist() == [False, False, True]
    assert warning.code == "label_guessed"


def test_a_file_where_everyone_left_reads_from_the_word_alone() -> None:
    indicator, warnings = read_outcome_label(pd.Series(["Churned", "Churned"]), "Status")
    assert indicator.tolist() == [True, True] and warnings == []


def test_an_empty_label_is_refused() -> None:
    with pytest.raises(ChurnDataError) as caught:
        read_outcome_label(pd.Series([None, None], dtype=object), "Churn")
    assert caught.value.problems[0].code == "outcome_label_empty"


def test_an_id_twice_in_the_outcomes_file_is_refused() -> None:
    later = pd.DataFrame({"CustomerID": ["A", "B", "A"], "Churn": ["Yes", "No", "No"]})
    error = refused(small_list(), later, later_name="March outcomes")
    assert str(error) == (
        "CustomerID in March outcomes should name each customer once, but 1 id appears more "
        'than once, e.g. "A" on rows 2 and 4. Keep one row per customer, or choose the column '
        "that identifies customers."
    )


def test_a_label_column_that_does_not_exist_is_refused() -> None:
    later = pd.DataFrame({"CustomerID": ["A"], "Churn": ["Yes"]})
    error = refused(small_list(), later, label="Exited")
    assert str(error).startswith('The outcomes file has no column "Exited"; its columns are: ')


def test_a_list_without_probabilities_is_refused_as_not_a_list() -> None:
    error = refused(small_list().drop(columns="churn_probability"), pd.DataFrame({"A": [1]}))
    assert error.problems[0].code == "not_a_list"
    assert str(error).startswith('The list has no column "churn_probability"')


def test_the_later_files_own_id_column_is_used_when_named_differently() -> None:
    later = pd.DataFrame({"customer_id": list("ABCDEF"), "Churn": ["Yes", "No"] * 3})
    assert read_outcomes(small_list(), later).matched == 6
