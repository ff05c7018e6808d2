"""The at-risk list (docs/architecture.md): its columns, its order, and its invariants."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.io.export import to_csv_bytes
from churn_core.io.reading import read_table
from churn_core.model.churn_model import ChurnModel
from churn_core.model.policies import CAPACITY, Policy
from churn_core.risk import (
    AtRiskList,
    get_at_risk_list,
    score_customers,
    score_file,
    value_customers,
)
from churn_core.survival.clv import ClvAssumptions, get_table_clv
from churn_core.survival.kaplan_meier import RetentionCurve

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
ID = "CustomerID"


@pytest.fixture(scope="module")
def scored(model: ChurnModel, frame: pd.DataFrame) -> AtRiskList:
    """Every customer of the sample, those who already left too (the invariants hold for all)."""
    return get_at_risk_list(model, frame, id_column=ID, include_left=True)


def by_id(at_risk: AtRiskList, column: str = col.CHURN_PROBABILITY) -> pd.Series:
    return at_risk.frame.set_index(at_risk.id_column)[column]


def test_the_list_starts_with_the_users_id_column_then_the_at_risk_columns_in_order(
    scored: AtRiskList,
) -> None:
    assert list(scored.frame.columns) == [ID, *col.AT_RISK_COLUMNS]
    assert scored.id_column == ID


def test_the_list_has_one_row_per_customer(scored: AtRiskList, frame: pd.DataFrame) -> None:
    assert len(scored.frame) == len(frame)
    assert sorted(scored.frame[ID]) == sorted(frame[ID])


def test_probabilities_are_between_0_and_1_and_ranks_run_from_1_to_n(scored: AtRiskList) -> None:
    p = scored.frame[col.CHURN_PROBABILITY]
    assert p.between(0, 1).all()
    assert scored.frame[col.RANK].tolist() == list(range(1, len(scored.frame) + 1))


def test_each_probability_is_the_models_own(
    scored: AtRiskList, model: ChurnModel, frame: pd.DataFrame
) -> None:
    expected = pd.Series(model.predict_proba(frame), index=frame[ID])
    pd.testing.assert_series_equal(
        by_id(scored).reindex(expected.index), expected, check_names=False, check_exact=True
    )


def test_the_list_is_ranked_by_expected_value_at_risk_then_probability(
    scored: AtRiskList,
) -> None:
    ranked = scored.frame.sort_values(
        [col.EXPECTED_VALUE_AT_RISK, col.CHURN_PROBABILITY], ascending=False, kind="mergesort"
    )
    assert ranked.index.tolist() == scored.frame.index.tolist()


def test_customer_value_is_the_clv_from_the_training_datas_retention_curve(
    scored: AtRiskList, frame: pd.DataFrame, model: ChurnModel
) -> None:
    value = model.card["value"]
    assert value["kind"] == "clv" and value["revenue_column"] == "MonthlyCharges"
    curve = RetentionCurve.from_dict(value["retention_curve"])
    clv = get_table_clv(frame, curve, "MonthlyCharges", ClvAssumptions())
    values = by_id(scored, col.CUSTOMER_VALUE)
    expected = pd.Series(clv, index=frame[ID]).reindex(values.index)
    pd.testing.assert_series_equal(values, expected, check_names=False, check_exact=True)
    at_risk = scored.frame[col.CHURN_PROBABILITY] * scored.frame[col.CUSTOMER_VALUE]
    np.testing.assert_array_equal(scored.frame[col.EXPECTED_VALUE_AT_RISK], at_risk)


def test_the_users_clv_assumptions_change_every_value(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    default = value_customers(model, frame)
    half = value_customers(model, frame, ClvAssumptions(margin=0.3))
    np.testing.assert_allclose(half, default / 2)  # CLV is proportional to the margin


def test_without_durations_value_is_twelve_months_of_revenue(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    card = {**model.card, "value": {"revenue_column": "MonthlyCharges", "months": 12}}
    values = value_customers(replace(model, card=card), frame)
    np.testing.assert_array_equal(values, 12 * frame["MonthlyCharges"].to_numpy(float))
    card = {**model.card, "value": {"revenue_column": None, "months": 12}}
    assert np.isnan(value_customers(replace(model, card=card), frame)).all()


def test_risk_bands_follow_the_threshold_and_the_average_churn_rate(
    scored: AtRiskList, model: ChurnModel
) -> None:
    p = scored.frame[col.CHURN_PROBABILITY]
    expected = np.where(
        p >= model.threshold, col.HIGH, np.where(p >= model.base_rate, col.MEDIUM, col.LOW)
    )
    assert scored.frame[col.RISK_BAND].tolist() == expected.tolist()
    assert scored.flagging.count == int((p >= model.threshold).sum())
    assert scored.flagging.expected_churners == pytest.approx(p[p >= model.threshold].sum())


def test_reasons_segment_and_action_are_empty_until_their_modules_land(
    scored: AtRiskList,
) -> None:
    assert (scored.frame[list(col.AT_RISK_COLUMNS[5:])] == "").all().all()


def test_shuffling_the_rows_changes_no_customers_score(
    scored: AtRiskList, model: ChurnModel, frame: pd.DataFrame
) -> None:
    shuffled_file = frame.sample(frac=1, random_state=7).reset_index(drop=True)
    shuffled = get_at_risk_list(model, shuffled_file, id_column=ID, include_left=True)
    original = by_id(scored)
    pd.testing.assert_series_equal(
        by_id(shuffled).reindex(original.index), original, check_exact=True
    )
    assert set(shuffled.frame[ID]) == set(scored.frame[ID])
    assert shuffled.frame[ID].tolist() == scored.frame[ID].tolist()  # no exact ties here


@pytest.fixture(scope="module")
def chunked(model: ChurnModel) -> AtRiskList:
    """The sample scored from its file 333 rows at a time, as the command line streams it."""
    return score_file(SAMPLE, model, chunk_rows=333, include_left=True)


def test_a_customers_score_does_not_depend_on_the_other_rows_in_the_file(
    scored: AtRiskList, chunked: AtRiskList, model: ChurnModel, frame: pd.DataFrame
) -> None:
    original = by_id(scored)
    first = frame.head(60)
    alone = pd.Series([model.predict_proba(first.iloc[[i]])[0] for i in range(60)], first[ID])
    assert (alone == original.reindex(alone.index)).all()
    assert (by_id(chunked).reindex(original.index) == original).all()


def test_scoring_a_file_in_small_chunks_gives_the_same_list(
    scored: AtRiskList, chunked: AtRiskList
) -> None:
    assert chunked.frame[ID].tolist() == scored.frame[ID].tolist()
    pd.testing.assert_frame_equal(chunked.frame, scored.frame, check_exact=False, rtol=1e-12)
    assert to_csv_bytes(chunked.frame) == to_csv_bytes(scored.frame)
    assert chunked.flagging.count == scored.flagging.count
    assert chunked.warnings == scored.warnings == []


def test_a_file_without_an_id_column_is_listed_by_spreadsheet_row_number(
    scored: AtRiskList, model: ChurnModel, frame: pd.DataFrame
) -> None:
    no_ids = get_at_risk_list(model, frame.drop(columns=[ID]), include_left=True)
    assert list(no_ids.frame.columns) == [col.ROW_NUMBER_ID, *col.AT_RISK_COLUMNS]
    # Row 2 of the file is the first customer, so row r holds frame position r - 2.
    customer = frame[ID].to_numpy()[no_ids.frame[col.ROW_NUMBER_ID].to_numpy() - 2]
    assert customer.tolist() == scored.frame[ID].tolist()


def test_the_user_can_name_another_id_column(model: ChurnModel, frame: pd.DataFrame) -> None:
    at_risk = get_at_risk_list(model, frame.head(20), id_column="Email", include_left=True)
    assert at_risk.frame.columns[0] == "Email"
    assert set(at_risk.frame["Email"]) == set(frame["Email"].head(20))


def test_customers_who_already_left_are_not_in_the_list_unless_asked_for(
    scored: AtRiskList, model: ChurnModel, frame: pd.DataFrame
) -> None:
    current = get_at_risk_list(model, frame, id_column=ID)
    left = frame.loc[frame["Churned"] == "Yes", ID]
    assert current.left_out == len(left) == 1_250
    assert set(current.frame[ID]) == set(frame[ID]) - set(left)
    assert current.describe_left_out() == (
        '1,250 customers who already left (Churned = "Yes") are not in the list.'
    )
    # The same order as the whole list with them taken out, and rows that point at each
    # customer's own row of the file.
    everyone = scored.frame[ID]
    assert current.frame[ID].tolist() == everyone[~everyone.isin(left)].tolist()
    assert (frame[ID].to_numpy()[current.positions] == current.frame[ID].to_numpy()).all()
    assert current.frame[col.RANK].tolist() == list(range(1, 3_751))
    assert scored.left_out == 0 and scored.describe_left_out() == ""


def test_the_label_is_read_as_the_model_learned_it_and_blanks_stay(model: ChurnModel) -> None:
    table = read_table(SAMPLE).frame.head(6).copy()
    table["Churned"] = [" yes", "YES", "No", None, "unknown", "no"]  # other spellings, blanks
    current = get_at_risk_list(model, table, id_column=ID)
    assert current.left_out == 2
    assert set(current.frame[ID]) == set(table[ID].iloc[2:])


@pytest.mark.parametrize(
    ("learned", "in_file"),
    [
        (("1", "0"), [1, 0, 1, 0, None, 0]),
        (("1", "0"), [1.0, 0.0, 1.0, 0.0, np.nan, 0.0]),
        (("1", "0"), ["1.0", "0", "1", "0.0", "", "0"]),
        (("1", "0"), [True, False, True, False, None, False]),
        (("True", "False"), [1, 0, 1, 0, None, 0]),
    ],
)
def test_numeric_and_true_false_labels_are_read_as_the_model_learned_them(
    model: ChurnModel, learned: tuple[str, str], in_file: list[object]
) -> None:
    card = {
        **model.card,
        "label": {"column": "Churned", "churned_value": learned[0], "stayed_value": learned[1]},
    }
    table = read_table(SAMPLE).frame.head(6).assign(Churned=in_file)
    current = get_at_risk_list(replace(model, card=card), table, id_column=ID)
    assert current.left_out == 2
    assert set(current.frame[ID]) == set(table[ID].iloc[[1, 3, 4, 5]])
    assert current.warnings == []


def test_label_values_the_model_never_learned_are_listed_and_reported(model: ChurnModel) -> None:
    table = (
        read_table(SAMPLE).frame.head(8).assign(Churned=["Y", "N", "Y", "No", "", None, "N", "Yes"])
    )
    current = get_at_risk_list(model, table, id_column=ID)
    assert current.left_out == 1 and len(current.frame) == 7
    (warning,) = current.warnings
    assert warning.code == "unknown_label" and warning.column == "Churned"
    assert str(warning).startswith(
        'Churned says neither left nor stayed for 4 customers (e.g. "Y"); the model learned '
        '"Yes" for left and "No" for stayed'
    )


def test_top_n_is_the_first_n_rows_of_the_list(scored: AtRiskList) -> None:
    pd.testing.assert_frame_equal(scored.top(10), scored.frame.iloc[:10])


def test_a_capacity_policy_flags_the_top_of_the_ranked_list(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    at_risk = get_at_risk_list(model, frame, policy=Policy(CAPACITY, capacity=100), id_column=ID)
    bands = at_risk.frame[col.RISK_BAND]
    assert (bands.iloc[:100] == col.HIGH).all() and (bands.iloc[100:] != col.HIGH).all()
    assert at_risk.flagging.count == 100
    assert at_risk.flagging.expected_churners == pytest.approx(
        at_risk.frame[col.CHURN_PROBABILITY].iloc[:100].sum()
    )


def new_plans(frame: pd.DataFrame) -> pd.DataFrame:
    """The first 40 customers, three of them on a plan the model never saw."""
    later = frame.head(40).copy()
    later.loc[[3, 17, 35], "Plan"] = "Platinum"
    return later


def test_unseen_category_levels_score_and_give_one_warning_with_the_count(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    at_risk = get_at_risk_list(model, new_plans(frame), id_column=ID)
    assert at_risk.frame[col.CHURN_PROBABILITY].between(0, 1).all()
    (warning,) = at_risk.warnings
    assert (warning.code, warning.column) == ("unseen_levels", "Plan")
    assert str(warning) == (
        'Plan has 3 customers with values the model never saw in training (e.g. "Platinum"); '
        "they were scored as if Plan were unknown. Retrain on recent data if such values are "
        "now common."
    )


def test_unseen_levels_spread_over_chunks_give_one_warning_with_the_total(
    model: ChurnModel, frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "later.csv"
    new_plans(frame).to_csv(path, index=False)
    at_risk = score_file(path, model, chunk_rows=10)
    (warning,) = at_risk.warnings
    assert warning.code == "unseen_levels"
    assert warning.message.startswith("Plan has 3 customers with values the model never saw")


def refused(model: ChurnModel, frame: pd.DataFrame) -> str:
    with pytest.raises(ChurnDataError) as caught:
        get_at_risk_list(model, frame, id_column=ID)
    (problem,) = caught.value.problems
    assert problem.code == "columns_differ"
    return str(problem)


def test_a_file_missing_columns_is_refused_naming_every_missing_column(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    message = refused(model, frame.drop(columns=["Plan", "Region"]))
    assert message.startswith(
        "This file's columns don't match the saved model. Missing: Plan and Region."
    )
    assert message.endswith(
        "The model needs every column it learned from, so it cannot score this file without "
        "them. Rename the columns as the training file named them, add the missing ones to the "
        "file, or retrain on a file that has them."
    )


def test_a_renamed_column_is_named_as_missing_and_its_new_name_as_new(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    message = refused(model, frame.rename(columns={"TenureMonths": "Tenure"}))
    missing, new = message.split(" New: ")
    assert missing.endswith("Missing: TenureMonths.")
    assert "Tenure" in new.split(".")[0].replace(" and ", ", ").split(", ")


def test_new_columns_are_only_those_the_model_never_saw(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    assert refused(model, frame.rename(columns={"TenureMonths": "Tenure"})) == (
        "This file's columns don't match the saved model. Missing: TenureMonths. New: Tenure. "
        "The model needs every column it learned from, so it cannot score this file without "
        "them. Rename the columns as the training file named them, add the missing ones to the "
        "file, or retrain on a file that has them."
    )


def test_a_column_spelled_differently_is_named_as_the_rename_to_make(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    renamed = frame.rename(columns={"MonthlyCharges": "monthly charges", "Plan": "Tier"})
    assert refused(model, renamed).endswith(
        "Rename monthly charges to MonthlyCharges (as in the training file), add the missing "
        "ones to the file, or retrain on a file that has them."
    )


def test_text_in_a_number_column_is_scored_as_unknown_and_reported(model: ChurnModel) -> None:
    frame = read_table(SAMPLE).frame
    frame["TenureMonths"] = frame["TenureMonths"].astype(object)
    frame.loc[3, "TenureMonths"] = "71 months"
    scored = get_at_risk_list(model, frame)
    assert [str(w) for w in scored.warnings] == [
        "TenureMonths must be a number for the model, but 1 customer has text there (e.g. "
        '"71 months"); they were scored as if TenureMonths were unknown. Remove units and words '
        "from those cells (a number only), then score again."
    ]


def test_scores_come_back_in_file_order_with_nothing_odd_on_the_sample(
    frame: pd.DataFrame, model: ChurnModel
) -> None:
    scores = score_customers(model, frame)
    np.testing.assert_allclose(scores.p, model.predict_proba(frame))
    assert scores.warnings == []


def test_a_file_whose_ids_repeat_is_refused_not_listed_twice(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    doubled = pd.concat([frame.head(50), frame.head(50)], ignore_index=True)
    with pytest.raises(ChurnDataError) as caught:
        get_at_risk_list(model, doubled, id_column=ID)
    problem = caught.value.problems[0]
    assert problem.code == "repeated_ids" and problem.column == ID
    assert problem.message.startswith(
        "The at-risk list needs one row per customer, but CustomerID repeats: 100 rows hold "
        "only 50 customers: this looks like a log"
    )
    listed = get_at_risk_list(model, doubled.drop(columns=[ID]))  # row numbers never repeat
    assert len(listed.frame) + listed.left_out == 100
