"""Profiling: every column's role with its reason, the user's overrides, every problem at once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError, DataWarning
from churn_core.io.reading import read_table
from churn_core.schema.labels import LabelMapping
from churn_core.schema.profile import Profile, profile_table
from churn_core.schema.roles import Role
from tests.churn_core.card_issuer import make_card_issuer_customers

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
BAD = ROOT / "tests" / "data" / "bad"


def profile_file(path: Path, **kwargs: object) -> Profile:
    table = read_table(path)
    return profile_table(table.frame, warnings=table.warnings, **kwargs)  # type: ignore[arg-type]


def shuffled(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def customers(n: int = 80, **extra: object) -> pd.DataFrame:
    """A plain frame of ``n`` customers, 30 % churned, with extra columns on request."""
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {
            "CustomerID": [f"C{i:04d}" for i in range(n)],
            "Plan": rng.choice(["Basic", "Standard", "Premium"], n),
            "MonthlyCharges": rng.uniform(15, 120, n).round(2),
            "Churn": np.where(np.arange(n) % 10 < 3, "Yes", "No"),
        }
    )
    for name, values in extra.items():
        frame.insert(len(frame.columns) - 1, name, values)
    return frame


# --- The bank file (real data, shared folder). ---


@pytest.fixture(scope="module")
def bank(shared_data: Path) -> pd.DataFrame:
    return read_table(shared_data / "bank_churn" / "Churn_Modelling.csv").frame


def test_bank_file_label_is_exited_with_1_meaning_left(bank: pd.DataFrame) -> None:
    profile = profile_table(bank)
    assert profile.label_column == "Exited"
    assert profile.label_mapping == LabelMapping("1", "0", guessed=False)
    assert profile.problems == [] and profile.warnings == []


def test_bank_file_id_is_customer_id_and_row_number_and_surname_are_ignored(
    bank: pd.DataFrame,
) -> None:
    profile = profile_table(bank)
    assert profile.id_column == "CustomerId"
    assert profile.roles["RowNumber"] is Role.IGNORED
    assert "row number" in profile.column("RowNumber").reason
    assert profile.roles["Surname"] is Role.IGNORED
    assert "personal data" in profile.column("Surname").reason
    assert profile.roles["Tenure"] is Role.TENURE
    assert profile.rows == 10_000


def test_shuffling_the_bank_file_changes_no_role(bank: pd.DataFrame) -> None:
    assert profile_table(shuffled(bank)).roles == profile_table(bank).roles


def test_row_number_is_recognised_even_when_the_rows_are_sorted_otherwise(
    bank: pd.DataFrame,
) -> None:
    assert "row number" in profile_table(shuffled(bank)).column("RowNumber").reason


# --- The bundled sample. ---


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_table(SAMPLE).frame


def test_sample_roles_are_all_detected(sample: pd.DataFrame) -> None:
    profile = profile_table(sample)
    roles = profile.roles
    assert profile.label_column == "Churned"
    assert profile.label_mapping == LabelMapping("Yes", "No", guessed=False)
    assert profile.id_column == "CustomerID"
    assert roles["SignupDate"] is Role.SIGNUP_DATE
    assert roles["ChurnDate"] is Role.END_DATE
    assert roles["TenureMonths"] is Role.TENURE
    assert roles["MonthlyCharges"] is Role.REVENUE
    assert roles["Email"] is Role.IGNORED
    assert profile.column("Email").reason == (
        "personal data (an email address): never used by the model"
    )


def test_sample_has_no_problems_and_no_warnings(sample: pd.DataFrame) -> None:
    profile = profile_table(sample)
    assert profile.problems == [] and profile.warnings == []
    assert profile.ok


def test_shuffling_the_sample_changes_no_role_and_no_label(sample: pd.DataFrame) -> None:
    before, after = profile_table(sample), profile_table(shuffled(sample, seed=9))
    assert after.roles == before.roles
    assert after.label_mapping == before.label_mapping


def test_the_users_roles_win_over_detection(sample: pd.DataFrame) -> None:
    profile = profile_table(sample, roles={"MonthlyCharges": "numeric"})
    column = profile.column("MonthlyCharges")
    assert (column.role, column.reason, column.set_by_user) == (Role.NUMERIC, "set by you", True)
    assert profile.columns_with(Role.REVENUE) == []
    assert profile.column("Plan").set_by_user is False


def test_roles_for_columns_that_do_not_exist_are_ignored(sample: pd.DataFrame) -> None:
    assert profile_table(sample, roles={"Nope": "label"}).roles == profile_table(sample).roles


def test_choosing_another_label_demotes_the_detected_one_to_a_feature() -> None:
    frame = customers(Left=np.where(np.arange(80) % 7 < 2, "Yes", "No"))
    profile = profile_table(frame, roles={"Left": "label"})
    assert profile.label_column == "Left"
    assert profile.roles["Churn"] is Role.CATEGORICAL


def test_churned_value_chosen_by_the_user_wins(sample: pd.DataFrame) -> None:
    profile = profile_table(sample, churned_value="No")
    assert profile.label_mapping == LabelMapping("No", "Yes", guessed=False)


def test_a_churned_value_the_label_does_not_have_is_a_problem(sample: pd.DataFrame) -> None:
    profile = profile_table(sample, churned_value="Maybe")
    assert [p.column for p in profile.problems] == ["Churned"]


def test_profile_to_dict_is_json_and_names_every_column(sample: pd.DataFrame) -> None:
    profile = profile_table(sample)
    payload = profile.to_dict()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["rows"] == 5000 and payload["columns"] == 15
    assert payload["roles"]["Churned"] == "label"
    assert payload["label"] == {
        "column": "Churned",
        "churned_value": "Yes",
        "stayed_value": "No",
        "guessed": False,
    }
    assert [c["name"] for c in payload["column_details"]] == list(sample.columns)
    assert payload["column_details"][1]["examples"][0] == "2020-06-30"


def test_an_unknown_column_is_a_key_error_naming_it(sample: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="No column named 'Nope'"):
        profile_table(sample).column("Nope")


# --- Files from the bad-file corpus, role by role. ---


def test_a_cancellation_reason_filled_only_for_churners_is_left_out_as_a_leak() -> None:
    profile = profile_file(BAD / "leak_cancellation_reason.csv")
    assert profile.roles["CancellationReason"] is Role.IGNORED
    assert "CancellationReason" not in profile.feature_columns
    assert profile.column("CancellationReason").reason.endswith("(a leak)")


def test_days_since_cancel_is_left_out_as_a_leak() -> None:
    profile = profile_file(BAD / "leak_days_since_cancel.csv")
    assert profile.roles["DaysSinceCancel"] is Role.IGNORED
    assert profile.column("DaysSinceCancel").reason.endswith("(a leak)")


def test_an_email_column_is_ignored_as_personal_data() -> None:
    profile = profile_file(BAD / "email_column.csv")
    assert profile.roles["Email"] is Role.IGNORED
    assert "personal data" in profile.column("Email").reason


def test_emails_are_recognised_by_their_values_whatever_the_column_is_called() -> None:
    frame = customers(Contact=[f"person{i}@mail.example.org" for i in range(80)])
    reason = profile_table(frame).column("Contact").reason
    assert reason == "personal data (an email address): never used by the model"


def test_attrited_and_existing_customer_is_a_churn_label() -> None:
    profile = profile_file(BAD / "attrited_customer.csv")
    assert profile.label_column == "Attrition_Flag"
    assert profile.label_mapping == LabelMapping("Attrited Customer", "Existing Customer")


def test_clientnum_is_the_customer_id() -> None:
    assert profile_file(BAD / "attrited_customer.csv").id_column == "CLIENTNUM"


def test_is_active_yes_no_is_a_label_where_no_means_left() -> None:
    profile = profile_file(BAD / "is_active_yes_no.csv")
    assert profile.label_column == "IsActive"
    assert profile.label_mapping == LabelMapping("No", "Yes", guessed=False)


def test_a_duplicated_id_is_reported_as_duplicated_not_as_a_leak() -> None:
    profile = profile_file(BAD / "duplicate_ids.csv")
    assert [p.code for p in profile.problems] == ["duplicate_ids"]
    assert [w.code for w in profile.warnings if w.column == "CustomerID"] == []


def test_a_column_with_a_very_long_text_cell_is_ignored_as_the_warning_says() -> None:
    notes = ["Happy", "Asked about upgrade", "Moved house", ""] * 20
    notes[5] = "Called about the bill again. " * 25
    table = read_table(customers(Notes=notes).to_csv(index=False).encode(), name="notes.csv")
    profile = profile_table(table.frame, warnings=table.warnings)
    assert [w.code for w in profile.warnings] == ["long_text"]
    assert profile.roles["Notes"] is Role.IGNORED


def test_a_label_spelled_in_mixed_case_is_still_two_values() -> None:
    churn = np.where(np.arange(80) % 10 < 3, "Yes", "No").astype(object)
    churn[[5, 17]] = "yes"
    profile = profile_table(customers().assign(Churn=churn))
    assert profile.problems == []
    assert profile.label_mapping is not None and profile.label_mapping.churned_value == "Yes"


# --- Problems and warnings, word for word. ---


def test_every_problem_is_reported_at_once() -> None:
    frame = pd.DataFrame({"CustomerID": [f"C{i}" for i in range(30)], "Email": ["a@b.co"] * 30})
    profile = profile_table(frame)
    assert [p.code for p in profile.problems] == ["no_label", "no_features"]
    with pytest.raises(ChurnDataError) as caught:
        profile.raise_for_problems()
    text = str(caught.value)
    assert text.startswith("2 problems were found:\n1. No churn label found:")
    assert "\n2. None of the columns can be used to predict churn:" in text


def test_a_clean_profile_does_not_raise() -> None:
    profile_table(customers()).raise_for_problems()


def test_no_features_says_which_kinds_of_column_were_left_out() -> None:
    frame = customers()[["CustomerID", "Churn"]]
    (problem,) = profile_table(frame).problems
    assert str(problem) == (
        "None of the columns can be used to predict churn: each is an id, the label, a date, "
        "personal data, constant or free text. Add columns that describe customers (plan, usage, "
        "charges, tenure...) or set a column's role to a feature on the Data page."
    )


def test_a_guessed_label_asks_the_user_to_confirm() -> None:
    churn = np.where(np.arange(80) % 10 < 3, "Gold", "Silver")
    profile = profile_table(customers().drop(columns="Churn").assign(Status=churn))
    assert profile.label_mapping == LabelMapping("Gold", "Silver", guessed=True)
    (warning,) = profile.warnings
    assert str(warning) == (
        'Status has the values "Gold" and "Silver"; "Gold", the rarer, is assumed to mean the '
        "customer left. Confirm or change which value means 'left' on the Data page."
    )


def test_blank_labels_are_counted_and_listed() -> None:
    churn = np.where(np.arange(80) % 10 < 3, "Yes", "No").astype(object)
    churn[[4, 9]] = None
    (warning,) = profile_table(customers().assign(Churn=churn)).warnings
    assert warning.code == "label_blank" and warning.rows == (6, 11)
    assert str(warning) == (
        "Churn is blank in 2 rows; those customers are left out of churn rates and model "
        "training. Fill in whether those customers left, if known."
    )


def test_too_few_churners_is_a_warning_not_a_problem() -> None:
    churn = np.where(np.arange(80) < 3, "Yes", "No")
    profile = profile_table(customers().assign(Churn=churn))
    assert profile.problems == []
    (warning,) = profile.warnings
    assert str(warning) == (
        "Only 3 customers left; at least 10 of each kind are needed to learn what drives churn, "
        "and a few hundred to learn it well. Use a longer period or more customers."
    )


def test_a_mostly_blank_feature_is_used_with_a_warning() -> None:
    usage = np.where(np.arange(80) % 5 == 0, np.arange(80) / 4, np.nan)
    profile = profile_table(customers(Usage=usage))
    assert profile.roles["Usage"] is Role.NUMERIC
    (warning,) = profile.warnings
    assert str(warning) == (
        "Usage is blank for 80% of customers; it is used, but tells little. "
        "Fill it in the source system if you can."
    )


def test_a_role_the_values_cannot_have_is_a_problem() -> None:
    profile = profile_table(customers(), roles={"Plan": "tenure"})
    (problem,) = profile.problems
    assert problem.code == "role_kind" and problem.column == "Plan"
    assert str(problem).startswith("Plan must be a number (a duration) to be the tenure")


def test_reading_warnings_come_first_and_are_kept() -> None:
    earlier = DataWarning("read note", code="not_utf8")
    churn = np.where(np.arange(80) < 3, "Yes", "No")
    profile = profile_table(customers().assign(Churn=churn), warnings=[earlier])
    assert [w.code for w in profile.warnings] == ["not_utf8", "few_churners"]


def test_a_constant_column_is_ignored_with_its_value_in_the_reason() -> None:
    profile = profile_table(customers(Country=["France"] * 80))
    assert profile.column("Country").reason == (
        'the same value ("France") in every row: tells no customers apart'
    )


def test_exactly_repeated_rows_are_counted_and_listed() -> None:
    frame = customers()
    frame = pd.concat([frame, frame.iloc[[3, 8]]], ignore_index=True)
    profile = profile_table(frame)
    (warning,) = [w for w in profile.warnings if w.code == "duplicate_rows"]
    assert warning.rows == (82, 83)
    assert profile.duplicate_rows == 2
    assert str(warning) == (
        "2 rows exactly repeat an earlier row (e.g. row 82); each copy counts as a customer. "
        "Remove repeated rows in the export if they are the same customer."
    )


def test_one_repeated_row_is_reported_in_the_singular() -> None:
    frame = customers()
    frame = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    (warning,) = [w for w in profile_table(frame).warnings if w.code == "duplicate_rows"]
    assert warning.message.startswith("1 row exactly repeats an earlier row (e.g. row 82)")


def test_a_yes_no_flag_named_like_personal_data_is_a_feature_not_personal_data() -> None:
    frame = pd.DataFrame(
        {
            "CustomerID": [f"C{i}" for i in range(60)],
            "HasPhone": [True, False] * 30,
            "Churn": ["Yes", "No", "No"] * 20,
        }
    )
    profile = profile_table(frame)
    assert profile.roles["HasPhone"] is not Role.IGNORED


# --- A file to score, not to train on: this month's customers have no label yet.


def test_a_file_without_a_label_cannot_train_but_can_be_scored(sample: pd.DataFrame) -> None:
    profile = profile_table(sample.drop(columns=["Churned", "ChurnDate"]))
    assert [p.code for p in profile.problems] == ["no_label"]
    assert not profile.ok
    assert profile.scoring_problems == [] and profile.can_score
    assert profile.to_dict()["can_score"] is True


def test_an_empty_column_chosen_as_label_is_a_problem_for_training_only(
    sample: pd.DataFrame,
) -> None:
    month = sample.assign(Churned=None)
    profile = profile_table(month, roles={"Churned": Role.LABEL})
    (problem,) = profile.problems
    assert problem.code == "label_empty"
    assert str(problem) == (
        "Churned is empty in every row: it says for no customer whether they left. Fill it in "
        "(who left, who stayed), or choose another label column. A file of customers to score "
        "needs no label: the model in use scores it as it is."
    )
    assert profile.can_score


def test_a_label_with_one_value_is_a_problem_for_training_only(sample: pd.DataFrame) -> None:
    profile = profile_table(sample.assign(Churned="No"))
    assert [p.code for p in profile.problems] == ["label_one_class"]
    assert profile.can_score


def test_repeated_ids_stop_scoring_too(sample: pd.DataFrame) -> None:
    month = sample.drop(columns=["Churned", "ChurnDate"])
    month.loc[1, "CustomerID"] = month.loc[0, "CustomerID"]
    profile = profile_table(month)
    assert [p.code for p in profile.scoring_problems] == ["duplicate_ids"]
    assert not profile.can_score


@pytest.mark.parametrize(
    "name",
    ["Months_on_book", "Days_on_book", "months_active", "Subscription Length", "Account length"],
)
def test_tenure_is_found_under_a_banks_or_a_subscriptions_own_name(name: str) -> None:
    frame = pd.DataFrame(
        {name: [13, 20, 36, 41, 56, 30], "Churn": ["Yes", "No", "No", "No", "Yes", "No"]}
    )
    assert profile_table(frame).roles[name] is Role.TENURE


def test_the_card_issuers_months_on_book_is_its_tenure_and_never_a_leak_or_the_id() -> None:
    cards = make_card_issuer_customers(rows=2000, seed=2)
    profile = profile_table(cards)
    assert profile.column_for(Role.TENURE) == "Months_on_book"
    assert profile.roles["Months_Inactive_12_mon"] is Role.NUMERIC
    leaks = [c for c in cards.columns if c.startswith("Naive_Bayes")]
    assert all(profile.roles[c] is Role.IGNORED for c in leaks)


def test_a_bank_file_without_its_label_has_no_label_not_its_activity_flag(
    shared_data: Path,
) -> None:
    """This month's file comes without ``Exited``: ``IsActiveMember`` (engagement) must not be
    read as who left (it would show a 49 % churn rate on Home)."""
    frame = pd.read_csv(shared_data / "bank_churn" / "Churn_Modelling.csv").drop(columns="Exited")
    profile = profile_table(frame)
    assert profile.label_column is None
    assert profile.roles["IsActiveMember"] is Role.NUMERIC
