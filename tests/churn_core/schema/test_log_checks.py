"""Bad logs: each problem in plain words with its rows and one fix, all found at once."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.io.reading import read_table
from churn_core.schema.log_checks import find_cancellations
from churn_core.schema.log_roles import LogRoles
from churn_core.schema.profile import profile_table

TODAY = date(2024, 6, 30)


def orders(n: int = 40) -> pd.DataFrame:
    """A clean purchase log: 10 customers, 4 orders each, in the first half of 2024."""
    return pd.DataFrame(
        {
            "CustomerID": [f"C{i % 10:04d}" for i in range(n)],
            "OrderDate": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) * 4, unit="D"),
            "OrderNo": [f"{5000 + i}" for i in range(n)],
            "Amount": np.round(10 + np.arange(n) * 1.5, 2),
        }
    )


def profile(frame: pd.DataFrame, **kwargs: object):  # type: ignore[no-untyped-def]
    return profile_table(frame, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_a_clean_log_has_no_problem_and_no_warning() -> None:
    found = profile(orders())
    assert found.shape == "transactions"
    assert found.problems == [] and found.warnings == []


def test_dates_that_cannot_be_read_are_a_problem_naming_the_rows() -> None:
    frame = orders()
    frame["OrderDate"] = frame["OrderDate"].dt.strftime("%Y-%m-%d").astype(object)
    frame.loc[[3, 7, 8, 9, 12, 20, 30], "OrderDate"] = "someday"
    found = profile(frame)
    assert [p.code for p in found.problems] == ["log_dates_unreadable"]
    assert str(found.problems[0]) == (
        "OrderDate should hold the date of each row, but 7 values cannot be read as dates (row 5: "
        '"someday", row 9: "someday", row 10: "someday", row 11: "someday", row 14: "someday"). '
        "Write dates one way, as year-month-day (such as 2024-01-31), or choose another date "
        "column, then upload again."
    )
    assert found.problems[0].rows == (5, 9, 10, 11, 14)


def test_rows_dated_after_today_are_a_problem() -> None:
    frame = orders()
    frame.loc[[5, 6], "OrderDate"] = pd.Timestamp("2031-01-04")
    found = profile(frame)
    assert [p.code for p in found.problems] == ["future_events"]
    assert str(found.problems[0]) == (
        "2 rows of OrderDate are dated after today (30 June 2024), up to 4 January 2031 (rows 7 "
        "and 8); a log records what already happened. Correct those dates (a wrong year or "
        "day/month swapped?) or remove those rows, then upload again."
    )


def test_an_id_that_changes_format_is_a_warning_with_both_ways() -> None:
    frame = orders()
    frame.loc[[11, 21], "CustomerID"] = ["1", "c-1"]
    found = profile(frame)
    warning = next(w for w in found.warnings if w.code == "id_format_changes")
    assert str(warning) == (
        'CustomerID writes ids in more than one way: 10 ids like "C0000" and 2 ids like "1" '
        "(rows 13 and 23); the same customer written two ways counts as two customers. Write "
        "every id the same way in the export (same letters, zeros and case)."
    )


def test_amounts_with_currency_signs_are_read_as_money() -> None:
    frame = orders()
    frame["Amount"] = [f"${v:,.2f}" for v in frame["Amount"]]
    csv = frame.to_csv(index=False).encode()
    table = read_table(csv, name="orders.csv")
    found = profile_table(table.frame, warnings=table.warnings, today=TODAY)
    assert found.problems == []
    assert table.frame["Amount"].iloc[:2].tolist() == [10.0, 11.5]
    assert [w.code for w in found.warnings] == ["numbers_as_text"]


def test_amounts_written_as_words_are_a_problem() -> None:
    frame = orders()
    frame["Amount"] = [f"{v:.2f} dollars" for v in frame["Amount"]]
    found = profile(frame)
    assert [p.code for p in found.problems] == ["log_not_numbers"]
    assert str(found.problems[0]).startswith(
        'Amount should hold the amount (money) as numbers, but holds text such as "10.00 '
        'dollars" (rows 2, 3, 4, 5 and 6).'
    )


def test_cancellations_of_orders_the_log_does_not_hold_are_a_warning() -> None:
    frame = orders()
    frame.loc[len(frame)] = ["C0003", pd.Timestamp("2024-01-02"), "C9001", -12.0]  # before any
    frame.loc[len(frame)] = ["C0003", pd.Timestamp("2024-05-02"), "C9002", -5.0]  # after one
    found = profile(frame)
    assert found.log is not None
    assert find_cancellations(frame, found.log.roles).sum() == 2
    warning = next(w for w in found.warnings if w.code == "unmatched_cancellations")
    assert warning.rows == (42,)
    assert str(warning).startswith(
        "1 cancellation (row 42) has no earlier order by the same customer in the log, "
        "probably ordered before it starts"
    )


def test_rows_without_customer_or_date_are_counted_and_left_out() -> None:
    frame = orders()
    frame.loc[[2, 4], "CustomerID"] = None
    frame.loc[[6], "OrderDate"] = pd.NaT
    found = profile(frame)
    codes = [w.code for w in found.warnings]
    assert codes == ["log_rows_without_customer", "log_rows_without_date"]
    assert str(found.warnings[1]).startswith(
        "1 row has no date in OrderDate (row 8); it cannot be placed in time and is left out "
        "of the roll-up."
    )


def test_every_problem_of_a_log_is_reported_at_once() -> None:
    frame = orders()
    frame["Amount"] = [f"{v:.2f} dollars" for v in frame["Amount"]]
    frame.loc[[5], "OrderDate"] = pd.Timestamp("2030-01-01")
    found = profile(frame)
    assert sorted(p.code for p in found.problems) == ["future_events", "log_not_numbers"]
    with pytest.raises(ChurnDataError) as caught:
        found.raise_for_problems()
    assert str(caught.value).startswith("2 problems were found:")


def test_a_log_forced_without_a_date_column_says_which_role_is_missing() -> None:
    frame = orders().drop(columns="OrderDate")
    found = profile(frame, shape="transactions")
    assert [p.code for p in found.problems] == ["log_role_missing"]
    assert str(found.problems[0]) == (
        "No column is set as the date / time: a log needs the customer and the date on every "
        'row. On the Data page, set the role of that column to "Date / time".'
    )


def test_negative_quantities_and_c_invoices_are_cancellations() -> None:
    frame = pd.DataFrame(
        {"InvoiceNo": ["536365", "C536379", "536380"], "Quantity": [2, -1, -3], "Price": [1, 2, 3]}
    )
    roles = LogRoles.from_dict({"InvoiceNo": "order_id", "Quantity": "quantity", "Price": "price"})
    assert find_cancellations(frame, roles).tolist() == [False, True, True]
