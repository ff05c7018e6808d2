"""Log roles: each column's part in a log, from its name or (without a header) its values; the
user's choices win."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from churn_core.io.reading import read_table
from churn_core.schema.log_roles import LOG_ROLE_TITLES, LogRole, LogRoles, detect_log_roles
from churn_core.schema.profile import profile_table

ACTIVITY_LOG = Path(__file__).resolve().parents[3] / "data" / "sample_activity_log.csv"


def test_the_users_log_roles_win_over_detection() -> None:
    table = read_table(ACTIVITY_LOG)
    profile = profile_table(table.frame, log_roles={"Plan": "ignored", "Amount": "attribute"})
    assert profile.log is not None
    assert profile.log.roles.columns["Plan"] is LogRole.IGNORED
    assert profile.log.roles.columns["Amount"] is LogRole.ATTRIBUTE
    assert profile.log.roles.set_by_user == frozenset({"Plan", "Amount"})
    assert profile.to_frame().set_index("Column").loc["Plan", "Why"] == "you chose this"


def test_values_alone_name_the_customer_only_when_the_column_name_says_nothing() -> None:
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame(
        {
            "Column A": rng.integers(1, 60, n),
            "Column B": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
            "Column C": rng.uniform(5, 50, n).round(2),
        }
    )
    assert detect_log_roles(frame).customer == "Column A"
    named = frame.rename(columns={"Column A": "TenureMonths"})
    assert detect_log_roles(named).customer is None


def test_log_roles_survive_json_and_read_back_from_the_data_page_titles() -> None:
    roles = detect_log_roles(read_table(ACTIVITY_LOG).frame)
    again = LogRoles.from_dict(roles.to_dict())
    assert again.columns == roles.columns
    assert all(LogRole.from_display_name(t) is r for r, t in LOG_ROLE_TITLES.items())
    shown = roles.to_frame().set_index("Column")
    assert shown.loc["SessionID", "Role"] == "Session"
    assert shown.loc["Plan", "Why"] == "named like a plan or level"


def test_a_detail_with_one_value_per_customer_is_kept_as_a_customer_detail() -> None:
    frame = pd.DataFrame(
        {
            "CustomerID": ["a", "a", "b", "b", "c", "c"],
            "When": pd.to_datetime(["2024-01-01", "2024-02-01"] * 3),
            "Country": ["FR", "FR", "DE", "DE", "FR", "FR"],
            "Note": ["x", "y", "x", "z", "y", "x"],
        }
    )
    roles = detect_log_roles(frame)
    assert roles.columns["Country"] is LogRole.ATTRIBUTE
    assert roles.columns["Note"] is LogRole.IGNORED
