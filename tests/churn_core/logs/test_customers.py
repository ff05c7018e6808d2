"""A log's customers as of a day, and its activity over time: what the pages get from a log."""

from __future__ import annotations

from datetime import date

import pandas as pd

from churn_core import columns as col
from churn_core.logs import Activity, count_active, get_activity_over_time, get_customer_table
from churn_core.schema import Role
from churn_core.segments import get_segment_columns


def test_the_customer_table_has_one_row_per_customer_and_profiles_for_the_pages(
    cdnow: tuple[pd.DataFrame, object, Activity],
) -> None:
    table = get_customer_table(cdnow[2])
    frame = table.frame
    assert len(frame) == 2357 and table.window_days == 180
    lapsed = frame[col.DAYS_SINCE_LAST_ACTIVITY] > 180
    assert (table.lapsed == lapsed.to_numpy()).all()
    first, since = frame[col.DAYS_SINCE_FIRST_ACTIVITY], frame[col.DAYS_SINCE_LAST_ACTIVITY]
    assert (frame.loc[lapsed, col.LIFETIME_DAYS] == (first - since)[lapsed]).all()
    assert (frame.loc[~lapsed, col.LIFETIME_DAYS] == first[~lapsed]).all()
    assert table.profile.id_column == "Column A"
    assert table.profile.label_column is None and table.profile.problems == []
    assert table.profile.roles[col.SPEND_TOTAL] is Role.NUMERIC
    retention = table.retention_profile
    assert retention.label_column == col.LAPSED_LABEL
    assert retention.roles[col.LIFETIME_DAYS] is Role.TENURE
    assert table.segment_columns == [
        col.DAYS_SINCE_LAST_ACTIVITY, col.ACTIVE_DAYS, col.SPEND_TOTAL,
        col.DAYS_SINCE_FIRST_ACTIVITY,
    ]  # fmt: skip
    assert frame[table.segment_columns].notna().all().all()


def test_activity_over_time_counts_customers_rows_and_spend_per_month(
    cdnow: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = cdnow
    months = get_activity_over_time(activity, "month")
    assert len(months) == 18  # January 1997 to June 1998
    january = frame[frame["Column C"] < "1997-02-01"]
    first = months.iloc[0]
    assert first[col.PERIOD] == pd.Timestamp("1997-01-01")
    assert first[col.ACTIVE_CUSTOMERS] == january["Column A"].nunique()
    assert first[col.ROWS] == len(january)
    assert first[col.SPEND] == round(january["Column E"].sum(), 2)
    assert months[col.NEW_CUSTOMERS].sum() == 2357
    assert months[col.ROWS].sum() == len(frame)
    weeks = get_activity_over_time(activity, "week")
    assert weeks[col.ROWS].sum() == len(frame) and len(weeks) > 70


def test_active_customers_are_those_with_activity_in_the_last_days(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = events
    recent = frame[frame["Timestamp"] >= pd.Timestamp("2026-06-01")]
    assert count_active(activity, date(2026, 6, 30), 30) == recent["CustomerID"].nunique()


def test_segments_of_a_log_are_built_from_recency_frequency_money_and_tenure_only(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    table = get_customer_table(events[2])
    profile = table.get_segment_profile()
    numbers, categories = get_segment_columns(profile, table.frame)
    assert sorted(numbers) == sorted([*table.segment_columns, col.AVERAGE_MONTHLY_SPEND])
    assert sorted(table.segment_columns) == sorted([
        col.DAYS_SINCE_LAST_ACTIVITY, col.ACTIVE_DAYS, col.SPEND_TOTAL,
        col.DAYS_SINCE_FIRST_ACTIVITY,
    ])  # fmt: skip
    assert profile.column_for(Role.REVENUE) == col.AVERAGE_MONTHLY_SPEND
    assert categories == ["Latest Plan"]
    assert profile.id_column == "CustomerID" and profile.problems == []
    assert profile.roles[col.SESSIONS] is Role.IGNORED
    assert profile.label_column == col.LAPSED_LABEL  # churn rate per segment = share lapsed
    assert profile.label_mapping is not None and profile.label_mapping.churned_value == "Yes"
    assert not any(w.code.startswith("leak") for w in profile.warnings)  # lapsed is recency
