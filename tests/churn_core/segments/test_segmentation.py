"""Segments: planted groups are found, named for what sets them apart, stable under shuffling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from churn_core.errors import ChurnDataError
from churn_core.schema.profile import profile_table
from churn_core.segments.inputs import get_left_out_columns, get_segment_columns
from churn_core.segments.k_choice import MAX_K, SCAN_ROWS
from churn_core.segments.segmentation import (
    CHURN_RATE,
    CLV,
    CUSTOMERS,
    MONTHLY_REVENUE,
    PLAY,
    PREDICTED_RISK,
    SEGMENT,
    choose_k,
    fit_segments,
)
from tests.churn_core.conftest import run_cli

#: Four planted groups: (tenure, charges, tickets, logins, churn share, customers).
GROUPS = {
    "loyal big spenders": (60, 95, 0.3, 22, 0.05, 400),
    "new and unhappy": (3, 45, 6.0, 4, 0.60, 300),
    "quiet savers": (30, 22, 0.5, 12, 0.15, 250),
    "heavy users": (20, 60, 1.0, 45, 0.20, 200),
}


def planted_customers(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Customers from four well-separated groups, and each customer's true group."""
    rng = np.random.default_rng(seed)
    parts, truth = [], []
    for number, (tenure, charges, tickets, logins, churn, size) in enumerate(GROUPS.values()):
        parts.append(
            pd.DataFrame(
                {
                    "TenureMonths": np.clip(rng.normal(tenure, 3, size), 0, None).round(),
                    "MonthlyCharges": rng.normal(charges, 4, size).round(2),
                    "SupportTickets90d": rng.poisson(tickets, size),
                    "LoginsLast30d": np.clip(rng.normal(logins, 2.5, size), 0, None).round(),
                    "Churn": np.where(rng.random(size) < churn, "Yes", "No"),
                }
            )
        )
        truth += [number] * size
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "CustomerID", [f"K{i:05d}" for i in range(len(frame))])
    return frame, np.array(truth)


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, np.ndarray]:
    return planted_customers()


def test_planted_groups_are_recovered_with_the_recommended_number(planted) -> None:  # type: ignore[no-untyped-def]
    frame, truth = planted
    found = fit_segments(frame, profile_table(frame))
    assert found.k_ == 4
    assert found.k_choice_ is not None and found.k_choice_.clear
    assert found.k_choice_.reason.startswith("4 segments, because the customers split")
    assert adjusted_rand_score(truth, found.labels_) >= 0.9


def test_shuffling_the_rows_changes_no_customers_segment(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    shuffled = frame.sample(frac=1, random_state=3).reset_index(drop=True)
    first = fit_segments(frame, profile_table(frame), k=5)
    second = fit_segments(shuffled, profile_table(shuffled), k=5)
    by_id = dict(zip(frame["CustomerID"], first.segments_, strict=True))
    assert [by_id[c] for c in shuffled["CustomerID"]] == second.segments_.tolist()
    assert first.names_ == second.names_  # same names in the same (size) order, too


def test_the_same_file_gives_the_same_segments(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    a = fit_segments(frame, profile_table(frame), k=3)
    b = fit_segments(frame.copy(), profile_table(frame), k=3)
    assert np.array_equal(a.labels_, b.labels_) and a.names_ == b.names_


def test_names_describe_the_planted_centres(planted) -> None:  # type: ignore[no-untyped-def]
    frame, truth = planted
    found = fit_segments(frame, profile_table(frame), k=4)
    name_of = {g: pd.Series(found.segments_[truth == g]).mode()[0] for g in range(4)}
    loyal, new, savers, heavy = (name_of[g] for g in range(4))
    assert "long tenure" in loyal.lower() and "high monthly charges" in loyal.lower()
    assert new.startswith("Many support tickets 90d") and "new" in new.lower()
    assert "low monthly charges" in savers.lower()
    assert heavy.startswith("Many logins last 30d")
    assert len(set(found.names_)) == 4


def test_segment_zero_is_the_largest_and_sizes_add_up(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    found = fit_segments(frame, profile_table(frame), k=4)
    sizes = found.summary_[CUSTOMERS].tolist()
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == len(frame)
    assert np.bincount(found.labels_).tolist() == sizes


def test_summary_has_churn_revenue_tenure_and_the_callers_risk_and_clv(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    risk = np.linspace(0, 1, len(frame))
    found = fit_segments(
        frame, profile_table(frame), k=4, risk=risk, clv=np.full(len(frame), 100.0)
    )
    summary = found.summary_.set_index(SEGMENT)
    for number, name in enumerate(found.names_):
        members = found.labels_ == number
        assert summary.at[name, CHURN_RATE] == pytest.approx(
            (frame["Churn"][members] == "Yes").mean()
        )
        assert summary.at[name, MONTHLY_REVENUE] == pytest.approx(
            frame["MonthlyCharges"][members].mean()
        )
        assert summary.at[name, PREDICTED_RISK] == pytest.approx(risk[members].mean())
    assert (summary[CLV] == 100.0).all()
    assert summary[PLAY].str.len().gt(10).all()
    assert found.overall_[CHURN_RATE] == pytest.approx((frame["Churn"] == "Yes").mean())


def test_assign_places_the_fitted_customers_where_fit_put_them(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    found = fit_segments(frame, profile_table(frame), k=4)
    assert found.assign(frame).equals(found.segments_)
    part = frame.iloc[[5, 700, 1000]]
    assert found.assign(part).tolist() == found.segments_.iloc[[5, 700, 1000]].tolist()
    assert found.assign(part).index.tolist() == part.index.tolist()


def test_assign_names_a_missing_column(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    found = fit_segments(frame, profile_table(frame), k=3)
    with pytest.raises(ChurnDataError) as error:
        found.assign(frame.drop(columns=["LoginsLast30d"]))
    assert "LoginsLast30d" in str(error.value)


def test_ids_labels_dates_and_personal_data_are_never_offered(frame: pd.DataFrame) -> None:
    numbers, categories = get_segment_columns(profile_table(frame))
    assert numbers == [
        "TenureMonths",
        "MonthlyCharges",
        "UsageTrendPct",
        "LoginsLast30d",
        "SupportTickets90d",
        "PaymentFailures12m",
    ]
    assert categories == ["Plan", "Contract", "PaymentMethod", "Region"]


def test_categories_can_be_added_and_name_segments(frame: pd.DataFrame) -> None:
    found = fit_segments(frame, profile_table(frame), k=5, categorical=["Contract"])
    assert "Contract: Month-to-month" in found.zscores_.columns
    assert found.averages_.loc["All customers", "Contract"].startswith("Month-to-month (")


def test_missing_values_are_filled_counted_and_every_customer_kept(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    gappy = frame.copy()
    gappy.loc[[3, 10, 11], "MonthlyCharges"] = np.nan
    found = fit_segments(gappy, profile_table(gappy), k=4)
    assert len(found.labels_) == len(gappy)
    (warning,) = found.warnings_
    assert warning.code == "segment_blanks_filled" and warning.column == "MonthlyCharges"
    assert warning.rows == (5, 12, 13)
    assert warning.message.startswith("MonthlyCharges is blank for 3 customers (rows 5, 12 and 13)")


def _problem(call) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ChurnDataError) as error:
        call()
    (problem,) = error.value.problems
    assert problem.fix
    return problem.code, problem.message


def test_fewer_customers_than_segments_says_how_many_at_most(planted) -> None:  # type: ignore[no-untyped-def]
    small = planted[0].head(4)
    code, message = _problem(lambda: fit_segments(small, profile_table(small), k=6))
    assert code == "fewer_customers_than_segments"
    assert message == (
        "6 segments were asked for, but there are only 4 customers: each segment needs at least "
        "one."
    )


def test_all_constant_columns_are_a_problem() -> None:
    frame = pd.DataFrame({"Visits": [3] * 20, "Spend": [9.5] * 20, "Plan": list("ab") * 10})
    profile = profile_table(frame, roles={"Visits": "numeric", "Spend": "numeric"})
    code, message = _problem(lambda: fit_segments(frame, profile, numeric=["Visits", "Spend"], k=2))
    assert code == "segment_columns_constant"
    assert "(Visits = 3, Spend = 9.5)" in message


def test_no_number_column_chosen_is_a_problem(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    code, message = _problem(lambda: fit_segments(frame, profile_table(frame), numeric=[]))
    assert code == "no_segment_numbers"
    assert message.startswith("No number columns were chosen")


def test_the_id_or_label_cannot_be_a_segment_column(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    profile = profile_table(frame)
    code, message = _problem(lambda: fit_segments(frame, profile, numeric=["CustomerID"]))
    assert code == "segment_column_not_allowed"
    assert message.startswith("CustomerID is the customer id;")


def test_a_file_without_number_features_says_so() -> None:
    frame = pd.DataFrame({"CustomerID": list("abcdef"), "Plan": list("xyxyxy"), "Flat": [1] * 6})
    code, message = _problem(lambda: fit_segments(frame, profile_table(frame)))
    assert code == "no_segment_numbers"
    assert message.startswith("This data has no number columns that describe customers")


def test_a_number_of_segments_out_of_range_is_a_problem(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    code, _ = _problem(lambda: fit_segments(frame, profile_table(frame), k=MAX_K + 1))
    assert code == "segment_count_out_of_range"


def test_identical_customers_cannot_fill_more_segments_than_they_have_values() -> None:
    frame = pd.DataFrame(
        {"Visits": [1, 1, 2, 2, 3, 3] * 3, "Spend": [5.0, 5.0, 6.0, 6.0, 7, 7] * 3}
    )
    code, message = _problem(lambda: fit_segments(frame, profile_table(frame), k=4))
    assert code == "too_few_distinct_customers"
    assert "only 3 different combinations" in message


def test_choosing_k_on_a_large_table_uses_a_sample(planted) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    big = pd.concat([frame] * 10, ignore_index=True)
    choice = choose_k(big, profile_table(big.drop(columns="CustomerID")))
    assert choice.rows_used == SCAN_ROWS and choice.k == 4
    assert choice.scores["k"].tolist() == list(range(2, MAX_K + 1))


def test_cli_writes_one_row_per_customer(planted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frame, _ = planted
    path = tmp_path / "customers.csv"
    frame.to_csv(path, index=False)
    result = run_cli("segments", path, "--k", "4", "--out", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")
    assert list(out.columns) == ["CustomerID", "segment"]
    assert out["CustomerID"].tolist() == frame["CustomerID"].tolist()
    assert out["segment"].nunique() == 4
    assert result.stderr.startswith("4 segments: ")


def test_cli_auto_without_an_id_numbers_rows_as_a_spreadsheet_does(tmp_path: Path) -> None:
    frame, _ = planted_customers(1)
    path = tmp_path / "no_ids.csv"
    frame.drop(columns="CustomerID").head(300).to_csv(path, index=False)
    result = run_cli("segments", path)
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(pd.io.common.StringIO(result.stdout.lstrip("\ufeff")))
    assert out["row"].tolist() == list(range(2, 302))
    assert "why: " in result.stderr and "segments, because" in result.stderr


def test_cli_bad_input_exits_2_with_the_message(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text("CustomerID,Spend,Visits\nA,1,2\nB,3,4\nC,5,7\n")
    result = run_cli("segments", path, "--k", "5")
    assert result.returncode == 2
    assert result.stderr.startswith("error: 5 segments were asked for, but there are only 3")
    assert "Traceback" not in result.stderr and result.stdout == ""


def _customers_with_ids_codes_and_dates(rows: int = 600) -> pd.DataFrame:
    """One row per customer, with number columns that only look like measurements."""
    rng = np.random.default_rng(11)
    return pd.DataFrame(
        {
            "CustomerNo": rng.permutation(np.arange(10_000, 10_000 + rows)),
            "FirstPurchase": 19970101 + rng.integers(0, 3, rows) * 100 + rng.integers(0, 28, rows),
            "StoreCode": rng.integers(1, 30, rows),
            "Account": 15_600_000 + rng.permutation(rows),
            "Orders": rng.poisson(4, rows),
            "Spend": np.round(rng.gamma(2.0, 40.0, rows), 2),
            "DaysSinceLastOrder": rng.integers(0, 365, rows),
        }
    )


def test_ids_codes_and_dates_written_as_numbers_are_never_clustered_on() -> None:
    customers = _customers_with_ids_codes_and_dates()
    profile = profile_table(customers)
    numbers, _ = get_segment_columns(profile, customers)
    assert numbers == ["Orders", "Spend", "DaysSinceLastOrder"]
    left_out = get_left_out_columns(profile, customers)
    assert set(left_out) >= {"FirstPurchase", "StoreCode", "Account"} - {profile.id_column}
    assert left_out["FirstPurchase"].startswith("a date written as a number (YYYYMMDD")
    found = fit_segments(customers, profile, k=3)
    assert list(found.inputs_.numeric) == ["Orders", "Spend", "DaysSinceLastOrder"]
    names = " ".join(found.names_).lower()
    assert not any(word in names for word in ("purchase", "store", "account", "customer"))
    # by names alone (what a page without the table passes): the code, not the date
    assert "StoreCode" not in get_segment_columns(profile)[0]


def test_choosing_a_date_written_as_a_number_is_refused_with_the_reason() -> None:
    customers = _customers_with_ids_codes_and_dates()
    with pytest.raises(ChurnDataError) as caught:
        fit_segments(customers, profile_table(customers), numeric=["Spend", "FirstPurchase"], k=3)
    problem = caught.value.problems[0]
    assert problem.code == "segment_column_not_allowed" and problem.column == "FirstPurchase"
    assert problem.message.startswith("FirstPurchase is a date written as a number (YYYYMMDD")
    assert "never by ids, codes or dates" in problem.message


def test_invoice_lines_are_refused_as_a_log_not_clustered(shared_data: Path) -> None:
    lines = pd.read_csv(shared_data / "online_retail_france" / "france.csv")
    with pytest.raises(ChurnDataError) as caught:
        fit_segments(lines, profile_table(lines))
    assert caught.value.problems[0].code == "repeated_ids"
    assert "looks like a log of purchases or events" in str(caught.value)
    with pytest.raises(ChurnDataError):
        choose_k(lines, profile_table(lines))
