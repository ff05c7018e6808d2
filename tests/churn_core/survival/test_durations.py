"""Durations and churn flags from a tenure column or from dates, and every bad input's message."""

from __future__ import annotations

import inspect
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role
from churn_core.survival.durations import (
    DAYS_PER_MONTH,
    DurationSource,
    get_survival_data,
    get_tenure_months,
)

AS_OF = date(2024, 12, 31)


def _data(frame: pd.DataFrame, roles: dict[str, Role], as_of: date | None = AS_OF):  # type: ignore[no-untyped-def]
    return get_survival_data(frame, profile_table(frame, roles=roles), as_of=as_of)


def test_tenure_months_and_churn_flags_come_from_the_tenure_and_label_columns() -> None:
    frame = pd.DataFrame({"Tenure": [1, 5, 30], "Churn": ["Yes", "No", "No"], "Plan": list("abc")})
    data = _data(frame, {"Tenure": Role.TENURE, "Churn": Role.LABEL})
    assert data.source == DurationSource(
        tenure_column="Tenure", tenure_unit="months", unit_reason="its name does not say"
    )
    assert data.months.tolist() == [1.0, 5.0, 30.0]
    assert data.churned.tolist() == [True, False, False]
    assert data.customers == 3 and data.churners == 1 and not data.warnings


def test_a_tenure_of_small_whole_numbers_with_no_unit_in_its_name_counts_years(
    shared_data: Path,
) -> None:
    bank = pd.read_csv(  # a bank's customers: years with it, 0 to 10
        shared_data / "bank_churn" / "Churn_Modelling.csv", usecols=["Tenure", "Exited"]
    )
    profile = profile_table(bank, roles={"Tenure": Role.TENURE, "Exited": Role.LABEL})
    data = get_survival_data(bank, profile)
    assert data.source.describe() == (
        "Tenure (read as years: whole numbers from 0 to 10, so most likely years)"
    )
    assert data.months.max() == 120.0
    fractions = pd.DataFrame({"Tenure": [0.5, 3.25, 9.0], "Churn": ["Yes", "No", "No"]})
    profile = profile_table(fractions, roles={"Tenure": Role.TENURE, "Churn": Role.LABEL})
    assert get_survival_data(fractions, profile).source.tenure_unit == "months"


def test_a_tenure_in_days_is_converted_to_months() -> None:
    frame = pd.DataFrame({"TenureDays": [0, 365], "Churn": ["Yes", "No"], "Plan": ["a", "b"]})
    data = _data(frame, {"TenureDays": Role.TENURE, "Churn": Role.LABEL})
    assert data.source.tenure_unit == "days"
    assert data.months.tolist() == pytest.approx([0.0, 365 / DAYS_PER_MONTH])


def test_dates_end_at_the_churn_date_for_leavers_and_the_analysis_date_for_the_rest() -> None:
    frame = pd.DataFrame(
        {
            "SignupDate": pd.to_datetime(["2024-01-01", "2024-06-30"]),
            "ChurnDate": pd.to_datetime(["2024-03-01", None]),
            "Churn": ["Yes", "No"],
            "Plan": ["a", "b"],
        }
    )
    roles = {"SignupDate": Role.SIGNUP_DATE, "ChurnDate": Role.END_DATE, "Churn": Role.LABEL}
    data = _data(frame, roles)
    assert data.source.signup_column == "SignupDate" and data.source.tenure_column is None
    # 60 days (Jan 1 -> Mar 1, 2024 a leap year) and 184 days (Jun 30 -> Dec 31).
    assert data.months.tolist() == pytest.approx([60 / DAYS_PER_MONTH, 184 / DAYS_PER_MONTH])
    assert data.as_of == AS_OF


def test_the_analysis_date_is_today_when_the_function_runs_never_frozen_at_import() -> None:
    assert inspect.signature(get_survival_data).parameters["as_of"].default is None
    assert inspect.signature(get_tenure_months).parameters["as_of"].default is None
    frame = pd.DataFrame(
        {"SignupDate": pd.to_datetime(["2020-01-01", "2020-02-01"]), "Churn": ["Yes", "No"]}
    )
    data = _data(frame, {"SignupDate": Role.SIGNUP_DATE, "Churn": Role.LABEL}, as_of=None)
    assert data.as_of in {date.today(), date.today() - timedelta(days=1)}  # run at midnight


def test_without_a_label_a_filled_end_date_means_the_customer_left() -> None:
    frame = pd.DataFrame(
        {
            "Start": pd.to_datetime(["2024-01-01", "2024-01-01"]),
            "End": pd.to_datetime(["2024-02-01", None]),
            "Plan": ["a", "b"],
        }
    )
    data = _data(frame, {"Start": Role.SIGNUP_DATE, "End": Role.END_DATE})
    assert data.churned.tolist() == [True, False]


def test_negative_and_missing_tenures_are_counted_excluded_and_reported_with_rows() -> None:
    frame = pd.DataFrame(
        {"Tenure": [3, -2, None, 7, -1], "Churn": ["Yes", "No", "No", "No", "Yes"]}
    )
    data = _data(frame, {"Tenure": Role.TENURE, "Churn": Role.LABEL})
    assert data.usable.tolist() == [True, False, False, True, False]
    assert data.customers == 2
    by_code = {w.code: w for w in data.warnings}
    assert by_code["tenure_negative"].message.startswith("Tenure is negative for 2 customers")
    assert by_code["tenure_negative"].rows == (3, 6)
    assert "left out of retention curves and CLV" in by_code["tenure_negative"].message
    assert by_code["tenure_missing"].rows == (4,)
    assert by_code["tenure_missing"].fix == "Fill in Tenure for those customers."


def test_no_duration_information_says_what_is_needed_and_which_columns_could_serve() -> None:
    frame = pd.DataFrame(
        {
            "Churn": ["Yes", "No", "No"],
            "Plan": ["a", "b", "c"],
            "Start": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
        }
    )
    with pytest.raises(ChurnDataError) as caught:
        _data(frame, {"Churn": Role.LABEL, "Start": Role.IGNORED})
    problem = caught.value.problems[0]
    assert problem.code == "no_durations"
    assert "a tenure column (time as a customer, e.g. months) or a signup date" in problem.message
    assert "Columns that could serve: Start (date)." in problem.message
    assert '"Tenure (time as a customer)" or "Signup date"' in problem.fix


def test_a_signup_column_with_no_readable_date_is_a_problem_naming_an_example_row() -> None:
    frame = pd.DataFrame({"Joined": ["soon", "later", "never"], "Churn": ["Yes", "No", "No"]})
    with pytest.raises(ChurnDataError) as caught:
        _data(frame, {"Joined": Role.SIGNUP_DATE, "Churn": Role.LABEL})
    problem = caught.value.problems[0]
    assert problem.code == "unreadable_dates"
    assert problem.message == (
        'Joined must hold dates, but none of its values could be read as a date such as "soon" '
        "(row 2)."
    )
    assert problem.rows == (2, 3, 4)
    assert "year-month-day" in problem.fix


def test_unreadable_and_future_signup_dates_are_counted_and_left_out() -> None:
    frame = pd.DataFrame(
        {"Joined": ["2024-01-05", "not a date", "2025-06-01"], "Churn": ["No", "No", "No"]}
    )
    data = _data(frame, {"Joined": Role.SIGNUP_DATE, "Churn": Role.LABEL})
    assert data.usable.tolist() == [True, False, False]
    by_code = {w.code: w for w in data.warnings}
    assert by_code["signup_missing"].rows == (3,)
    assert by_code["dates_backwards"].message.startswith(
        "Joined is after the analysis date 2024-12-31 for 1 customer (e.g. row 4)"
    )


def test_nothing_usable_is_one_problem_that_keeps_the_warnings() -> None:
    frame = pd.DataFrame({"Tenure": [-1, -2], "Churn": ["Yes", "No"]})
    with pytest.raises(ChurnDataError) as caught:
        _data(frame, {"Tenure": Role.TENURE, "Churn": Role.LABEL})
    assert caught.value.problems[0].code == "no_usable_durations"
    assert [w.code for w in caught.value.warnings] == ["tenure_negative"]


def test_no_label_and_no_end_date_says_it_needs_to_know_who_left() -> None:
    frame = pd.DataFrame({"Tenure": [1, 2], "Plan": ["a", "b"]})
    with pytest.raises(ChurnDataError) as caught:
        _data(frame, {"Tenure": Role.TENURE})
    assert caught.value.problems[0].code == "no_events"


def test_current_tenure_of_a_scored_file_reads_the_stored_source() -> None:
    frame = pd.DataFrame({"TenureYears": [1, -1, None], "Signup": ["2024-10-31", "x", None]})
    months = get_tenure_months(frame, DurationSource("TenureYears", "years"))
    assert months[0] == 12.0 and np.isnan(months[1:]).all()
    by_date = get_tenure_months(frame, DurationSource(signup_column="Signup"), as_of=AS_OF)
    assert by_date[0] == pytest.approx(61 / DAYS_PER_MONTH) and np.isnan(by_date[1:]).all()
    assert np.isnan(get_tenure_months(frame, DurationSource("Missing"))).all()


def test_the_user_can_say_what_a_tenure_column_counts() -> None:
    frame = pd.DataFrame({"Tenure": [1, 20], "Churn": ["Yes", "No"], "Plan": ["a", "b"]})
    profile = profile_table(frame, roles={"Tenure": Role.TENURE, "Churn": Role.LABEL})
    assert get_survival_data(frame, profile).source.tenure_unit == "months"  # 20: not years
    data = get_survival_data(frame, profile, tenure_unit="years")
    assert data.months.tolist() == [12.0, 240.0]
    assert data.source.describe() == "Tenure (read as years)"
    with pytest.raises(ValueError, match="tenure_unit must be one of days, weeks, months, years"):
        get_survival_data(frame, profile, tenure_unit="decades")


def test_retention_refuses_a_table_whose_customer_id_repeats() -> None:
    frame = pd.DataFrame(
        {
            "CustomerID": ["A", "A", "B", "C"],
            "Tenure": [3, 3, 10, 7],
            "Churn": ["Yes", "Yes", "No", "No"],
        }
    )
    with pytest.raises(ChurnDataError) as caught:
        get_survival_data(frame, profile_table(frame), as_of=AS_OF)
    assert caught.value.problems[0].code == "repeated_ids"
    assert str(caught.value).startswith(
        "Retention curves and CLV need one row per customer, but CustomerID repeats"
    )
