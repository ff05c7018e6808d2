"""The roll-up checked by hand on a small log, and nothing on or after the cutoff ever read."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.logs import Activity, choose_event_types, prepare_activity, roll_up
from churn_core.schema.log_roles import LogRoles

ROLES = LogRoles.from_dict(
    {
        "CustomerID": "customer",
        "OrderDate": "timestamp",
        "InvoiceNo": "order_id",
        "StockCode": "product",
        "Quantity": "quantity",
        "Amount": "amount",
    }
)
CUTOFF = date(2024, 3, 1)


def small_log() -> pd.DataFrame:
    rows = [
        ("A", "2024-01-01 09:00", "O1", "P1", 1, 10.0),
        ("A", "2024-01-01 09:00", "O1", "P2", 2, 20.0),  # same order, another line
        ("A", "2024-01-15 18:30", "O2", "P1", 3, 30.0),
        ("A", "2024-02-20 11:00", "C3", "P2", -2, -20.0),  # a return: counted apart
        ("A", "2024-03-05 10:00", "O4", "P3", 1, 40.0),  # after the cutoff
        ("B", "2024-02-10 12:00", "O5", "P1", 5, 50.0),
        ("B", "2024-02-29 23:59", "O6", "P1", 1, 5.0),
        ("C", "2024-03-10 08:00", "O7", "P1", 1, 9.0),  # only after the cutoff
    ]
    frame = pd.DataFrame(
        rows, columns=["CustomerID", "OrderDate", "InvoiceNo", "StockCode", "Quantity", "Amount"]
    )
    frame["OrderDate"] = pd.to_datetime(frame["OrderDate"])
    return frame


def rolled(frame: pd.DataFrame, cutoff: date = CUTOFF) -> pd.DataFrame:
    return roll_up(prepare_activity(frame, roles=ROLES), cutoff).set_index("CustomerID")


def test_the_roll_up_of_a_small_log_matches_the_sums_by_hand() -> None:
    table = rolled(small_log())
    assert list(table.index) == ["A", "B"]  # C has nothing before the cutoff
    a, b = table.loc["A"], table.loc["B"]
    assert a[col.FIRST_ACTIVITY] == pd.Timestamp("2024-01-01")
    assert a[col.LAST_ACTIVITY] == pd.Timestamp("2024-02-20")
    expected_a = {
        col.DAYS_SINCE_LAST_ACTIVITY: 10,  # 20 Feb to 1 Mar 2024 (a leap year)
        col.DAYS_SINCE_FIRST_ACTIVITY: 60,
        col.ACTIVE_DAYS: 3,
        col.ACTIVE_DAYS_LAST_30: 1,
        col.ACTIVE_DAYS_LAST_90: 3,
        col.ACTIVITY_CHANGE_30: -50.0,  # 1 day in 30 against 2 days in the 30 before
        col.AVERAGE_GAP_DAYS: 25.0,  # 50 days over 2 gaps
        col.LAST_GAP_DAYS: 36.0,
        col.ORDERS: 2,
        col.SPEND_TOTAL: 60.0,
        col.AVERAGE_ORDER_VALUE: 30.0,
        col.SPEND_LAST_90: 60.0,
        col.AVERAGE_MONTHLY_SPEND: round(60.0 / (60 / 30.4375), 2),
        col.ITEMS_BOUGHT: 6,
        col.DIFFERENT_PRODUCTS: 2,
        col.CANCELLATIONS: 1,
        col.CANCELLED_AMOUNT: 20.0,
    }
    assert {k: a[k] for k in expected_a} == pytest.approx(expected_a)
    assert np.isnan(a[col.ACTIVITY_CHANGE_90])  # not 90 days of history before the last 90
    expected_b = {
        col.DAYS_SINCE_LAST_ACTIVITY: 1,
        col.DAYS_SINCE_FIRST_ACTIVITY: 20,
        col.ACTIVE_DAYS: 2,
        col.AVERAGE_GAP_DAYS: 19.0,
        col.ORDERS: 2,
        col.SPEND_TOTAL: 55.0,
        col.AVERAGE_ORDER_VALUE: 27.5,
        col.AVERAGE_MONTHLY_SPEND: 55.0,  # less than a month known: a month's worth
        col.ITEMS_BOUGHT: 6,
        col.DIFFERENT_PRODUCTS: 1,
        col.CANCELLATIONS: 0,
        col.CANCELLED_AMOUNT: 0.0,
    }
    assert {k: b[k] for k in expected_b} == pytest.approx(expected_b)


def test_a_planted_event_on_or_after_the_cutoff_changes_nothing() -> None:
    before = rolled(small_log())
    planted = small_log()
    planted.loc[len(planted)] = ["A", pd.Timestamp("2024-03-01 00:00"), "O9", "P9", 9, 999.0]
    planted.loc[len(planted)] = ["B", pd.Timestamp("2025-06-01"), "C10", "P1", -5, -50.0]
    planted.loc[len(planted)] = ["D", pd.Timestamp("2024-03-02"), "O11", "P1", 1, 1.0]
    pd.testing.assert_frame_equal(rolled(planted), before)


def test_no_feature_of_the_bundled_log_sees_past_its_cutoff(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = events
    cutoff = date(2026, 1, 1)
    cut = roll_up(activity, cutoff)
    truncated = frame[frame["Timestamp"] < pd.Timestamp(cutoff)]
    only_before = prepare_activity(truncated, roles=activity.roles)
    pd.testing.assert_frame_equal(
        roll_up(only_before, cutoff, event_types=choose_event_types(activity)), cut
    )


def test_every_customer_with_activity_before_the_cutoff_has_one_row(
    cdnow: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = cdnow
    table = roll_up(activity, date(1997, 4, 1))
    seen = frame.loc[frame["Column C"] < "1997-04-01", "Column A"]
    assert sorted(table["Column A"]) == sorted(seen.unique())
    assert table["Column A"].is_unique
    assert (table[col.DAYS_SINCE_LAST_ACTIVITY] >= 1).all()
    assert table[col.SPEND_TOTAL].sum() == pytest.approx(
        frame.loc[frame["Column C"] < "1997-04-01", "Column E"].sum()
    )


def test_invoice_lines_roll_up_with_spend_from_quantity_times_price(
    france: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = france
    table = roll_up(activity, date(2011, 12, 10)).set_index("CustomerID")
    assert len(table) == 87
    lines = frame[frame["CustomerID"] == 12413]
    bought = lines[~lines["InvoiceNo"].astype(str).str.startswith("C")]
    assert table.loc[12413, col.SPEND_TOTAL] == pytest.approx(
        (bought["Quantity"] * bought["UnitPrice"]).sum()
    )
    assert table.loc[12413, col.ORDERS] == bought["InvoiceNo"].nunique()
    returned = lines[lines["InvoiceNo"].astype(str).str.startswith("C")]
    assert table.loc[12413, col.CANCELLATIONS] == returned["InvoiceNo"].nunique()


def test_event_types_are_counted_and_the_latest_plan_kept(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = events
    cutoff = date(2026, 3, 1)
    table = roll_up(activity, cutoff).set_index("CustomerID")
    before = frame[frame["Timestamp"] < pd.Timestamp(cutoff)]
    customer = before["CustomerID"].iloc[-1]
    mine = before[before["CustomerID"] == customer]
    assert table.loc[customer, "Login events"] == (mine["Event"] == "Login").sum()
    assert (
        table.loc[customer, "Support complaint events"]
        == (mine["Event"] == "Support complaint").sum()
    )
    assert table.loc[customer, col.LATEST.format("Plan")] == mine["Plan"].iloc[-1]
    assert table.loc[customer, col.SESSIONS] == mine["SessionID"].nunique()
    assert table.loc[customer, col.EVENTS] == len(mine)
    types = choose_event_types(activity)
    assert types[:2] == ("Login", "Purchase")  # most common first
    assert set(types) == {
        "Login",
        "Purchase",
        "Support complaint",
        "Cancel",
        "Downgrade",
        "Upgrade",
    }
