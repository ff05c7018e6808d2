"""The model registry: every model kept and signed, one in use per kind of data, and nothing
unpickled that this server did not sign (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from dataclasses import replace
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import update

from churn_core.errors import ChurnDataError
from churn_core.model import ChurnModel, dump_model, fit_churn_model
from churn_core.schema import profile_table
from churn_core.workspace import (
    Workspace,
    delete_model,
    find_model_in_use,
    get_model_in_use,
    list_models,
    load_registered_model,
    open_workspace,
    read_dataset,
    register_model,
    save_dataset,
    use_model,
)
from churn_core.workspace.tables import Model

OTHER_SEED = 7


@pytest.fixture(scope="module")
def other_model(frame: pd.DataFrame) -> ChurnModel:
    """A second model of the same kind (another seed), to be the challenger."""
    return fit_churn_model(frame, profile_table(frame), seed=OTHER_SEED)


@pytest.fixture
def dataset_id(workspace: Workspace, sample_bytes: bytes) -> int:
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, record.id)
    return record.id


def set_row(workspace: Workspace, model_id: int, **values: object) -> None:
    with workspace.writing() as session:
        session.execute(update(Model).where(Model.id == model_id).values(**values))


def refused(workspace: Workspace, model_id: int) -> str:
    with pytest.raises(ChurnDataError) as caught:
        load_registered_model(workspace, model_id)
    (problem,) = caught.value.problems
    assert problem.code == "bad_signature"
    return str(problem)


class Plant:
    """Unpickling this creates a file: what a hostile bundle row could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.path), "w"))


def test_the_first_model_of_a_kind_is_put_in_use_and_keeps_its_held_out_figures(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    record = register_model(workspace, model, dataset_id)
    assert record.in_use
    assert (record.name, record.dataset_id, record.dataset_name) == (
        model.name,
        dataset_id,
        "customers.csv",
    )
    assert record.metrics["roc_auc"] == pytest.approx(model.card["metrics"]["roc_auc"])
    assert record.metrics["test_rows"] == 1000
    assert record.describe().startswith(f"{model.name} on customers.csv, trained ")
    assert get_model_in_use(workspace, record.kind) == record


def test_a_kept_model_loads_back_with_identical_probabilities_and_its_evaluation(
    workspace: Workspace, dataset_id: int, model: ChurnModel, frame: pd.DataFrame
) -> None:
    record = register_model(workspace, model, dataset_id)
    loaded = load_registered_model(workspace, record.id)
    np.testing.assert_array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    np.testing.assert_array_equal(loaded.evaluation.p_test, model.evaluation.p_test)
    assert loaded.card["metrics"] == json.loads(json.dumps(model.card["metrics"]))


def test_a_new_model_is_kept_beside_the_one_in_use_until_it_is_chosen(
    workspace: Workspace, dataset_id: int, model: ChurnModel, other_model: ChurnModel
) -> None:
    champion = register_model(workspace, model, dataset_id)
    challenger = register_model(workspace, other_model, dataset_id)
    assert not challenger.in_use
    assert [(m.id, m.in_use) for m in list_models(workspace)] == [
        (challenger.id, False),
        (champion.id, True),
    ]
    assert use_model(workspace, challenger.id).in_use
    assert [(m.id, m.in_use) for m in list_models(workspace)] == [
        (challenger.id, True),
        (champion.id, False),
    ]
    forced = register_model(workspace, model, dataset_id, use=True)
    assert [m.id for m in list_models(workspace) if m.in_use] == [forced.id]


def test_the_model_in_use_is_found_for_a_file_to_score_without_the_label(
    workspace: Workspace, dataset_id: int, model: ChurnModel, frame: pd.DataFrame
) -> None:
    record = register_model(workspace, model, dataset_id)
    to_score = frame.drop(columns=["Churned"]).columns
    assert find_model_in_use(workspace, to_score) == record
    assert find_model_in_use(workspace, frame.columns) == record
    assert find_model_in_use(workspace, to_score.drop("Region")) is None


def test_deleting_the_model_in_use_leaves_its_kind_with_none(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    record = register_model(workspace, model, dataset_id)
    delete_model(workspace, record.id)
    assert list_models(workspace) == []
    assert get_model_in_use(workspace, record.kind) is None


def test_a_hostile_bundle_row_is_refused_and_never_unpickled(
    workspace: Workspace, dataset_id: int, model: ChurnModel, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    joblib.dump({"pipeline": Plant(tmp_path / "control")}, buffer, compress=3)
    payload = buffer.getvalue()
    joblib.load(io.BytesIO(payload))  # the payload is live: unpickled, it writes a file
    assert (tmp_path / "control").exists()

    target = tmp_path / "planted"
    buffer = io.BytesIO()
    joblib.dump({"pipeline": Plant(target)}, buffer, compress=3)
    payload = buffer.getvalue()
    record = register_model(workspace, model, dataset_id)
    _, card = dump_model(model)
    card["sha256"] = hashlib.sha256(payload).hexdigest()  # the card vouches for the payload
    set_row(workspace, record.id, bundle=payload, card=json.dumps(card))
    assert refused(workspace, record.id) == (
        f"Workspace model {record.id} is not signed by this server's key: it was changed, "
        "damaged, or saved by a server with another SECRET_KEY, so it is not loaded. Train the "
        "model again, or give every server using this database the same SECRET_KEY."
    )
    assert not target.exists()


def test_a_changed_card_or_a_damaged_bundle_is_refused(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    record = register_model(workspace, model, dataset_id)
    bundle, card = dump_model(model)
    flattering = {**card, "metrics": {**card["metrics"], "roc_auc": 0.99}}
    set_row(workspace, record.id, card=json.dumps(flattering))
    refused(workspace, record.id)
    set_row(workspace, record.id, card=json.dumps(card), bundle=bundle[:-10])
    refused(workspace, record.id)


def test_a_model_signed_by_a_server_with_another_key_is_refused(
    workspace: Workspace, database_url: str, dataset_id: int, model: ChurnModel, tmp_path: Path
) -> None:
    record = register_model(workspace, model, dataset_id)
    other = open_workspace(database_url, folder=tmp_path, secret_key=b"another-servers-key")
    try:
        refused(other, record.id)
    finally:
        other.close()


def test_a_model_over_the_limit_is_refused_before_anything_is_written(
    workspace: Workspace, dataset_id: int, model: ChurnModel
) -> None:
    workspace.limits = replace(workspace.limits, model_mb=0.001)
    with pytest.raises(ChurnDataError, match=r"the workspace keeps up to 0\.00 MB each"):
        register_model(workspace, model, dataset_id)
    assert list_models(workspace) == []


def test_a_model_of_data_not_yet_read_is_refused(
    workspace: Workspace, sample_bytes: bytes, model: ChurnModel
) -> None:
    record = save_dataset(workspace, sample_bytes, "customers.csv")
    with pytest.raises(ChurnDataError) as caught:
        register_model(workspace, model, record.id)
    assert caught.value.problems[0].code == "dataset_not_read"


def test_two_first_models_of_a_kind_kept_at_once_are_both_kept_and_one_is_in_use(
    workspace: Workspace, dataset_id: int, model: ChurnModel, other_model: ChurnModel
) -> None:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def keep(trained: ChurnModel) -> None:
        barrier.wait()
        try:
            register_model(workspace, trained, dataset_id)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=keep, args=(m,)) for m in (model, other_model)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    models = list_models(workspace)
    assert len(models) == 2
    assert sum(m.in_use for m in models) == 1
