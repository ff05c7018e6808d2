"""How a kept list turned out, kept beside it and read back (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.model import ChurnModel, Policy
from churn_core.monitoring import Outcomes, TrackRecord, get_track_record, read_outcomes
from churn_core.risk import get_at_risk_list
from churn_core.workspace import (
    Workspace,
    delete_at_risk_list,
    list_list_checks,
    load_at_risk_list,
    load_list_check,
    save_at_risk_list,
    save_list_check,
)
from churn_core.workspace.limits import Limits
from churn_core.workspace.usage import count_stored_bytes, summarize_storage


@pytest.fixture
def kept_list(workspace: Workspace, model: ChurnModel, frame: pd.DataFrame) -> int:
    """The top 200 of the sample's list (its label dropped: this month's file), kept."""
    month = frame.drop(columns=["Churned"])
    at_risk = get_at_risk_list(model, month)
    record = save_at_risk_list(
        workspace, at_risk, policy=Policy(), model_id=None, rows=at_risk.frame.head(200)
    )
    return record.id


def _checked(
    workspace: Workspace, list_id: int, frame: pd.DataFrame
) -> tuple[pd.DataFrame, Outcomes, TrackRecord]:
    """The kept list's rows, their outcomes in the sample's own label, and the track record."""
    _, rows = load_at_risk_list(workspace, list_id)
    outcomes = read_outcomes(rows, frame[["CustomerID", "Churned"]])
    return rows, outcomes, get_track_record(rows, outcomes)


def test_a_check_is_kept_and_rebuilds_the_same_track_record(
    workspace: Workspace, kept_list: int, frame: pd.DataFrame
) -> None:
    _, rows = load_at_risk_list(workspace, kept_list)
    later = frame[["CustomerID", "Churned"]].iloc[:4000]  # some listed customers not in it
    outcomes = read_outcomes(rows, later)
    record = get_track_record(rows, outcomes)
    check = save_list_check(workspace, kept_list, outcomes, record, later_name="may.csv")

    assert (check.list_id, check.later_name) == (kept_list, "may.csv")
    assert check.label_column == "Churned"
    assert (check.listed, check.unknown) == (record.listed, record.unknown)
    assert check.listed + check.unknown == 200 and check.unknown > 0
    assert check.actual_churners == record.actual_churners
    assert check.precision == pytest.approx(record.precision)
    assert check.lift == pytest.approx(record.lift)
    assert list_list_checks(workspace) == [check]

    found = load_list_check(workspace, kept_list)
    assert found is not None
    again, read_back = found
    assert again == check
    pd.testing.assert_series_equal(read_back.left, outcomes.left)
    rebuilt = get_track_record(rows, read_back)
    assert rebuilt.to_dict() == record.to_dict()


def test_checking_a_list_again_replaces_its_check_and_deleting_the_list_deletes_it(
    workspace: Workspace, kept_list: int, frame: pd.DataFrame
) -> None:
    _, rows = load_at_risk_list(workspace, kept_list)
    first = read_outcomes(rows, frame[["CustomerID", "Churned"]])
    save_list_check(workspace, kept_list, first, get_track_record(rows, first), later_name="a")
    nobody = frame[["CustomerID"]].assign(Churned="No")
    second = read_outcomes(rows, nobody, label="Churned")
    save_list_check(workspace, kept_list, second, get_track_record(rows, second), later_name="b")
    (only,) = list_list_checks(workspace)
    assert (only.later_name, only.actual_churners) == ("b", 0)
    delete_at_risk_list(workspace, kept_list)
    assert list_list_checks(workspace) == []
    assert load_list_check(workspace, kept_list) is None


def test_a_list_that_is_not_kept_cannot_be_checked(
    workspace: Workspace, kept_list: int, frame: pd.DataFrame
) -> None:
    _, outcomes, record = _checked(workspace, kept_list, frame)
    with pytest.raises(ChurnDataError):
        save_list_check(workspace, kept_list + 1, outcomes, record, later_name="x")
    assert list_list_checks(workspace) == []


def test_checks_count_in_the_storage_and_one_over_the_quota_is_refused_before_writing(
    workspace: Workspace, kept_list: int, frame: pd.DataFrame
) -> None:
    _, outcomes, record = _checked(workspace, kept_list, frame)
    with workspace.reading() as session:
        before = count_stored_bytes(session)
    save_list_check(workspace, kept_list, outcomes, record, later_name="may.csv")
    with workspace.reading() as session:
        size = count_stored_bytes(session) - before
        storage = summarize_storage(session).set_index("What")
    answers = [None if pd.isna(v) else bool(v) for v in outcomes.left]  # as JSON: 4-5 bytes
    assert size == len(json.dumps(answers)) > 200 * 4
    assert storage.loc["List checks (who left)", "Kept"] == 1
    assert storage.loc["List checks (who left)", "Bytes"] == size

    # Checking the same list again replaces its check: only the difference must fit.
    workspace.limits = Limits(quota_mb=(before + size + 10) / 1024 / 1024)
    save_list_check(workspace, kept_list, outcomes, record, later_name="june.csv")
    workspace.limits = Limits(quota_mb=(before + size // 2) / 1024 / 1024)
    with pytest.raises(ChurnDataError, match="The workspace holds"):
        save_list_check(workspace, kept_list, outcomes, record, later_name="july.csv")
    (kept,) = list_list_checks(workspace)
    assert kept.later_name == "june.csv"  # the refused one wrote nothing
