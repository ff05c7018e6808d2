"""Is it a log, which kind, and which column is which: real logs, the bundled log, and customer
tables that must stay customer tables."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.io.reading import read_table
from churn_core.schema.log_roles import LogRole
from churn_core.schema.profile import profile_table

ROOT = Path(__file__).resolve().parents[3]
BAD = ROOT / "tests" / "data" / "bad"
ACTIVITY_LOG = ROOT / "data" / "sample_activity_log.csv"


def profile_file(path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    table = read_table(path, max_mb=None)
    return profile_table(table.frame, warnings=table.warnings, **kwargs)  # type: ignore[arg-type]


def test_cdnow_without_header_is_a_transaction_log_with_its_roles(shared_data: Path) -> None:
    profile = profile_file(shared_data / "cdnow_sample" / "CDNOW_sample.txt")
    assert profile.shape == "transactions" and profile.is_log
    assert profile.log is not None
    assert profile.log.roles.to_dict() == {
        "Column A": "customer",
        "Column B": "ignored",
        "Column C": "timestamp",
        "Column D": "quantity",
        "Column E": "amount",
    }
    assert profile.log.customers == 2357 and profile.log.span_days == 546
    assert profile.id_column == "Column A"
    assert profile.problems == []
    assert profile.log.reason == (
        "2.9 rows per customer (Column A) on average, each dated by Column C, with Column E "
        "(amount (money)), Column D (quantity): a transaction log"
    )


def test_the_french_invoice_lines_are_a_transaction_log_with_price_and_product(
    shared_data: Path,
) -> None:
    profile = profile_file(shared_data / "online_retail_france" / "france.csv")
    assert profile.shape == "transactions"
    assert profile.log is not None
    roles = profile.log.roles
    assert {r: roles.column_for(r) for r in LogRole if roles.column_for(r)} == {
        LogRole.CUSTOMER: "CustomerID",
        LogRole.TIMESTAMP: "InvoiceDate",
        LogRole.QUANTITY: "Quantity",
        LogRole.PRICE: "UnitPrice",
        LogRole.ORDER: "InvoiceNo",
        LogRole.PRODUCT: "StockCode",
        LogRole.IGNORED: "Description",
    }
    assert profile.problems == []
    codes = [w.code for w in profile.warnings]
    assert codes == ["log_rows_without_customer", "unmatched_cancellations"]


def test_the_bundled_activity_log_is_an_event_log() -> None:
    profile = profile_file(ACTIVITY_LOG)
    assert profile.shape == "events"
    assert profile.log is not None
    assert profile.log.roles.to_dict() == {
        "CustomerID": "customer",
        "Timestamp": "timestamp",
        "Event": "event_type",
        "Plan": "plan",
        "Amount": "amount",
        "SessionID": "session",
    }
    assert profile.problems == [] and profile.warnings == []


def test_a_log_has_no_repeated_ids_problem_and_says_it_will_be_rolled_up(
    shared_data: Path,
) -> None:
    profile = profile_file(shared_data / "online_retail_france" / "france.csv")
    assert "duplicate_ids" not in {p.code for p in profile.problems}
    assert "no_label" not in {p.code for p in profile.problems}
    assert profile.log is not None
    assert profile.log.describe() == (
        "A transaction log: 8,557 rows for 87 customers from 1 December 2010 to 9 December "
        "2011. It is rolled up to one row per customer (recency, frequency, spend, trends) "
        "before modelling, and churn is defined by inactivity."
    )


def test_the_profile_json_says_the_shape_and_the_log_roles(shared_data: Path) -> None:
    payload = json.loads(json.dumps(profile_file(ACTIVITY_LOG).to_dict(), default=str))
    assert payload["shape"] == "events"
    assert payload["roles"]["Event"] == "event_type"
    assert payload["log"]["customers"] == 993
    assert payload["log"]["reasons"]["Event"] == "what happened on each row (6 kinds)"
    customers = profile_file(ROOT / "data" / "sample_customers.csv").to_dict()
    assert customers["shape"] == "customers" and "log" not in customers


def test_the_data_page_table_shows_each_columns_log_role_and_why() -> None:
    frame = profile_file(ACTIVITY_LOG).to_frame()
    row = frame.set_index("Column").loc["Timestamp"]
    assert (row["Role"], row["Why"]) == ("Date / time", "a date: when each row happened")


def test_the_user_can_say_a_file_is_a_customer_table_or_a_log() -> None:
    table = read_table(ACTIVITY_LOG)
    assert profile_table(table.frame, shape="customers").shape == "customers"
    forced = profile_table(table.frame, shape="transactions")
    assert forced.shape == "transactions"
    assert forced.log is not None and forced.log.reason == "you said it is a transaction log"
    with pytest.raises(ValueError, match="shape must be one of"):
        profile_table(table.frame, shape="panel")


@pytest.mark.parametrize("rows", [60, 300, 1500, 5000])
def test_the_bundled_customer_table_is_never_a_log(rows: int) -> None:
    frame = read_table(ROOT / "data" / "sample_customers.csv").frame.head(rows)
    profile = profile_table(frame)
    assert profile.shape == "customers" and profile.log is None


def test_the_bank_customer_table_is_not_a_log(shared_data: Path) -> None:
    profile = profile_file(shared_data / "bank_churn" / "Churn_Modelling.csv")
    assert profile.shape == "customers"


def test_a_customer_table_with_a_few_repeated_ids_keeps_its_duplicate_ids_problem() -> None:
    profile = profile_file(BAD / "duplicate_ids.csv")
    assert profile.shape == "customers"
    assert [p.code for p in profile.problems] == ["duplicate_ids"]


def test_a_dated_customer_table_with_a_few_repeats_is_not_a_log() -> None:
    n = 100
    frame = pd.DataFrame(
        {
            "CustomerID": [f"C{i % 95:03d}" for i in range(n)],  # 5 repeats
            "SignupDate": pd.date_range("2024-01-01", periods=n, freq="D"),
            "Plan": np.where(np.arange(n) % 3 == 0, "Basic", "Pro"),
            "Churn": np.where(np.arange(n) % 4 == 0, "Yes", "No"),
        }
    )
    profile = profile_table(frame)
    assert profile.shape == "customers"
    assert "duplicate_ids" in {p.code for p in profile.problems}
