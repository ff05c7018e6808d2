"""At-risk lists kept as delivered, and read back as they were (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import asdict, replace

import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.model import CAPACITY, ChurnModel, Policy
from churn_core.risk import get_at_risk_list
from churn_core.workspace import (
    Workspace,
    delete_at_risk_list,
    delete_dataset,
    delete_model,
    list_at_risk_lists,
    list_models,
    load_at_risk_list,
    read_dataset,
    register_model,
    save_at_risk_list,
    save_dataset,
)


@pytest.fixture
def kept(workspace: Workspace, sample_bytes: bytes, model: ChurnModel) -> tuple[int, int]:
    """A kept dataset (read) and a kept model: (dataset id, model id)."""
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, record.id)
    return record.id, register_model(workspace, model, record.id).id


def test_a_list_is_kept_as_delivered_and_reads_back_identical(
    workspace: Workspace, kept: tuple[int, int], model: ChurnModel, frame: pd.DataFrame
) -> None:
    policy = Policy(kind=CAPACITY, capacity=500)
    at_risk = get_at_risk_list(model, frame, policy=policy)
    record = save_at_risk_list(
        workspace, at_risk, policy=policy, dataset_id=kept[0], model_id=kept[1]
    )
    assert (record.data_name, record.model_name, record.rows, record.flagged) == (
        "customers.csv",
        model.name,
        len(at_risk.frame),
        500,
    )
    assert record.policy == asdict(policy) and record.get_policy() == policy
    assert record.kind is not None and record.kind == list_models(workspace)[0].kind
    assert record.expected_churners == pytest.approx(at_risk.flagging.expected_churners)
    assert record.id_column == "CustomerID"
    assert record.stored_bytes < len(at_risk.frame.to_csv(index=False)) / 2
    again, rows = load_at_risk_list(workspace, record.id)
    assert again == record
    pd.testing.assert_frame_equal(rows, at_risk.frame.reset_index(drop=True))


def test_only_the_rows_delivered_are_kept_with_ids_that_stay_text(
    workspace: Workspace, kept: tuple[int, int], model: ChurnModel, frame: pd.DataFrame
) -> None:
    padded = frame.assign(CustomerID=[f"{i:06d}" for i in range(len(frame))])
    at_risk = get_at_risk_list(model, padded)
    top = at_risk.frame.head(100)
    record = save_at_risk_list(workspace, at_risk, policy=Policy(), model_id=kept[1], rows=top)
    _, rows = load_at_risk_list(workspace, record.id)
    assert record.rows == 100
    assert record.data_name == "a file"
    assert rows["CustomerID"].tolist() == top["CustomerID"].tolist()
    assert rows["CustomerID"].str.startswith("0").any()
    pd.testing.assert_frame_equal(rows, top.reset_index(drop=True))


def test_a_list_outlives_the_data_and_model_it_came_from(
    workspace: Workspace, kept: tuple[int, int], model: ChurnModel, frame: pd.DataFrame
) -> None:
    at_risk = get_at_risk_list(model, frame)
    record = save_at_risk_list(
        workspace, at_risk, policy=Policy(), dataset_id=kept[0], model_id=kept[1]
    )
    delete_model(workspace, kept[1])
    delete_dataset(workspace, kept[0])
    (still,) = list_at_risk_lists(workspace)
    assert (still.dataset_id, still.model_id) == (None, None)
    assert (still.data_name, still.model_name) == (record.data_name, record.model_name)
    assert record.kind is not None and still.kind == record.kind  # serves its kind still
    delete_at_risk_list(workspace, record.id)
    assert list_at_risk_lists(workspace) == []


def test_a_list_over_the_limit_is_refused_before_anything_is_written(
    workspace: Workspace, kept: tuple[int, int], model: ChurnModel, frame: pd.DataFrame
) -> None:
    workspace.limits = replace(workspace.limits, list_mb=0.01)
    with pytest.raises(ChurnDataError) as caught:
        save_at_risk_list(
            workspace, get_at_risk_list(model, frame), policy=Policy(), model_id=kept[1]
        )
    assert caught.value.problems[0].code == "too_large_for_workspace"
    assert list_at_risk_lists(workspace) == []
