"""The synthetic sample: reproducible bytes, a sound survival story, and drivers that drive."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from churn_core.datasets.customers import (
    COLUMNS,
    PLANTED_DRIVERS,
    SAMPLE_AS_OF,
    generate_customers,
    write_customers,
)

BUNDLED = Path(__file__).resolve().parents[3] / "data" / "sample_customers.csv"


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return generate_customers(rows=5000, seed=7)


@pytest.fixture(scope="module")
def churned(customers: pd.DataFrame) -> pd.Series:
    return customers["Churned"].eq("Yes")


def test_bundled_file_is_rebuilt_from_seed_7(tmp_path: Path) -> None:
    """The same customers, labels and dates; numbers within a cent (another CPU may round a
    value that sits exactly on a half cent the other way)."""
    fresh = pd.read_csv(write_customers(tmp_path / "sample.csv", rows=5000, seed=7))
    bundled = pd.read_csv(BUNDLED)
    assert list(fresh.columns) == list(bundled.columns) and len(fresh) == len(bundled)
    numbers = fresh.select_dtypes("number").columns
    pd.testing.assert_frame_equal(fresh.drop(columns=numbers), bundled.drop(columns=numbers))
    pd.testing.assert_frame_equal(
        fresh[numbers], bundled[numbers], check_dtype=False, check_exact=False, atol=0.0101, rtol=0
    )


def test_written_file_has_iso_dates_two_decimal_floats_and_blank_missing_cells(
    tmp_path: Path,
) -> None:
    text = write_customers(tmp_path / "s.csv", rows=60, seed=3).read_text(encoding="utf-8")
    assert "\r" not in text
    header, first = text.splitlines()[:2]
    assert header == ",".join(COLUMNS)
    cells = dict(zip(COLUMNS, first.split(","), strict=True))
    assert len(cells["SignupDate"]) == 10 and cells["SignupDate"][4] == "-"
    assert len(cells["MonthlyCharges"].split(".")[1]) == 2
    back = pd.read_csv(tmp_path / "s.csv", keep_default_na=False)
    assert (back["ChurnDate"].eq("") == back["Churned"].eq("No")).all()


def test_same_seed_gives_the_same_frame() -> None:
    pd.testing.assert_frame_equal(generate_customers(300, seed=11), generate_customers(300, 11))


def test_different_seeds_give_different_frames() -> None:
    assert not generate_customers(300, seed=1).equals(generate_customers(300, seed=2))


def test_columns_are_exactly_the_contract_in_order(customers: pd.DataFrame) -> None:
    assert list(customers.columns) == list(COLUMNS)
    assert COLUMNS[0] == "CustomerID" and COLUMNS[-1] == "ChurnDate"
    assert len(customers) == 5000


def test_customer_ids_are_unique_and_emails_follow_them(customers: pd.DataFrame) -> None:
    assert customers["CustomerID"].is_unique
    assert customers["CustomerID"].iloc[0] == "C000001"
    assert (customers["Email"] == customers["CustomerID"].str.lower() + "@example.com").all()


def test_categories_take_only_their_documented_values(customers: pd.DataFrame) -> None:
    assert set(customers["Plan"]) == {"Basic", "Standard", "Premium"}
    assert set(customers["Contract"]) == {"Month-to-month", "One year", "Two year"}
    assert set(customers["PaymentMethod"]) == {"Credit card", "Direct debit", "Invoice", "PayPal"}
    assert set(customers["Region"]) == {"North", "South", "East", "West"}
    assert set(customers["Churned"]) == {"Yes", "No"}


def test_churn_rate_is_between_20_and_30_percent(churned: pd.Series) -> None:
    assert 0.20 <= churned.mean() <= 0.30


def test_churn_date_is_blank_exactly_for_active_customers_and_inside_the_window(
    customers: pd.DataFrame, churned: pd.Series
) -> None:
    assert (customers["ChurnDate"].isna() == ~churned).all()
    leavers = customers[churned]
    as_of = pd.Timestamp(SAMPLE_AS_OF)
    assert (leavers["ChurnDate"] <= as_of).all()
    assert (leavers["ChurnDate"] >= leavers["SignupDate"]).all()
    assert (leavers["ChurnDate"] > as_of - pd.DateOffset(years=1)).all()
    assert (customers["SignupDate"] <= as_of).all()


def test_tenure_agrees_with_the_dates_within_a_month(customers: pd.DataFrame) -> None:
    end = customers["ChurnDate"].fillna(pd.Timestamp(SAMPLE_AS_OF))
    months = (end - customers["SignupDate"]).dt.days / 30.4375
    gap = months - customers["TenureMonths"]
    assert ((gap >= 0) & (gap < 1)).all()


def test_usage_trend_is_about_two_percent_missing_mostly_for_new_customers(
    customers: pd.DataFrame,
) -> None:
    missing = customers["UsageTrendPct"].isna()
    assert 0.01 <= missing.mean() <= 0.03
    assert (customers.loc[missing, "TenureMonths"] < 3).mean() > 0.5
    assert customers.drop(columns=["UsageTrendPct", "ChurnDate"]).notna().all().all()


def test_month_to_month_churns_more_than_twice_as_often_as_two_year(
    customers: pd.DataFrame, churned: pd.Series
) -> None:
    rate = churned.groupby(customers["Contract"]).mean()
    assert rate["Month-to-month"] > 2 * rate["Two year"]
    assert rate["Month-to-month"] > rate["One year"] > rate["Two year"]


def test_churners_fail_payments_more_and_use_the_product_less(
    customers: pd.DataFrame, churned: pd.Series
) -> None:
    means = customers.groupby(churned)[
        ["PaymentFailures12m", "SupportTickets90d", "UsageTrendPct", "LoginsLast30d"]
    ].mean()
    assert means.loc[True, "PaymentFailures12m"] > 1.5 * means.loc[False, "PaymentFailures12m"]
    assert means.loc[True, "SupportTickets90d"] > means.loc[False, "SupportTickets90d"]
    assert means.loc[True, "UsageTrendPct"] < means.loc[False, "UsageTrendPct"] - 3
    assert means.loc[True, "LoginsLast30d"] < means.loc[False, "LoginsLast30d"]


def test_region_is_not_a_driver(customers: pd.DataFrame, churned: pd.Series) -> None:
    rate = churned.groupby(customers["Region"]).mean()
    assert rate.max() - rate.min() < 0.04
    assert "Region" not in PLANTED_DRIVERS


def test_planted_drivers_name_real_columns() -> None:
    assert set(PLANTED_DRIVERS) <= set(COLUMNS)
    assert {"Contract", "PaymentFailures12m", "UsageTrendPct"} <= set(PLANTED_DRIVERS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": 3}, "rows must be at least 50; got 3 instead."),
        ({"seed": -1}, "seed must be 0 or more; got -1 instead."),
        ({"rows": 100.5}, "rows must be a whole number; got 100.5 instead."),
        ({"seed": True}, "seed must be a whole number; got True instead."),
    ],
)
def test_bad_arguments_are_refused_with_a_plain_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        generate_customers(**kwargs)
    assert str(excinfo.value) == message


def test_write_customers_refuses_bad_rows_before_touching_the_disk(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rows must be at least 50; got 10 instead"):
        write_customers(tmp_path / "x.csv", rows=10)
    assert not (tmp_path / "x.csv").exists()
