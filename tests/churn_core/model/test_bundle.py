"""Model bundles: a faithful round trip, and nothing loaded that this app did not write."""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.io.reading import read_table
from churn_core.model import bundle
from churn_core.model.bundle import (
    CARD_FILE,
    MODEL_FILE,
    check_columns,
    load_model,
    read_card,
    save_model,
)
from churn_core.model.churn_model import ChurnModel
from churn_core.schema import profile_table

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"


@pytest.fixture(scope="module")
def saved(model: ChurnModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_model(model, tmp_path_factory.mktemp("models") / "sample")


@pytest.fixture
def copy(saved: Path, tmp_path: Path) -> Path:
    """A bundle of one's own to damage."""
    return Path(shutil.copytree(saved, tmp_path / "bundle"))


@pytest.fixture
def no_unpickling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("joblib.load ran on a bundle that should have been refused")

    monkeypatch.setattr(bundle.joblib, "load", refuse)


def edit_card(folder: Path, **changes: object) -> None:
    card = json.loads((folder / CARD_FILE).read_text())
    card.update(changes)
    (folder / CARD_FILE).write_text(json.dumps(card))


def refused(folder: Path) -> ChurnDataError:
    with pytest.raises(ChurnDataError) as caught:
        load_model(folder)
    (problem,) = caught.value.problems
    return problem


def test_a_bundle_is_the_joblib_file_and_its_card(saved: Path, model: ChurnModel) -> None:
    assert sorted(p.name for p in saved.iterdir()) == [MODEL_FILE, CARD_FILE]
    card = read_card(saved)
    assert card["sha256"] == hashlib.sha256((saved / MODEL_FILE).read_bytes()).hexdigest()
    assert {k: v for k, v in card.items() if k != "sha256"} == json.loads(json.dumps(model.card))


def test_a_saved_and_loaded_model_gives_identical_probabilities(
    saved: Path, model: ChurnModel, frame: pd.DataFrame
) -> None:
    loaded = load_model(saved)
    np.testing.assert_array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    assert loaded.schema == model.schema
    assert (loaded.name, loaded.threshold, loaded.id_column) == (
        model.name,
        model.threshold,
        "CustomerID",
    )


def test_the_loaded_model_keeps_its_held_out_evaluation(saved: Path, model: ChurnModel) -> None:
    loaded = load_model(saved)
    np.testing.assert_array_equal(loaded.evaluation.p_test, model.evaluation.p_test)
    np.testing.assert_array_equal(loaded.evaluation.y_test, model.evaluation.y_test)


def test_a_changed_model_file_is_refused_before_it_is_unpickled(
    copy: Path, no_unpickling: None
) -> None:
    with (copy / MODEL_FILE).open("ab") as file:
        file.write(b"\0")
    problem = refused(copy)
    assert problem.code == "bad_model"
    assert str(problem) == (
        f'The model file in "{copy}" does not match its card: it was changed or not written by '
        "this app, so it is not loaded. Train the model again with this app."
    )


def test_a_missing_model_file_is_refused(copy: Path, no_unpickling: None) -> None:
    (copy / MODEL_FILE).unlink()
    assert refused(copy).code == "bad_model"


def test_a_card_of_another_format_is_refused(copy: Path, no_unpickling: None) -> None:
    edit_card(copy, format="someone-elses-model")
    problem = refused(copy)
    assert problem.code == "bad_model"
    assert str(problem) == (
        f'"{copy}" was not written by this version of Churn Workbench. Train the model again '
        "with this app."
    )


def test_a_card_of_another_format_version_is_refused(copy: Path, no_unpickling: None) -> None:
    edit_card(copy, format_version=99)
    assert refused(copy).code == "bad_model"


def test_a_damaged_card_is_refused(copy: Path, no_unpickling: None) -> None:
    (copy / CARD_FILE).write_text('{"format": ')
    problem = refused(copy)
    assert problem.code == "bad_model"
    assert str(problem).startswith(f'The model card in "{copy}" is damaged (')
    assert str(problem).endswith("Train the model again.")


def test_a_model_trained_with_another_scikit_learn_is_refused(
    copy: Path, no_unpickling: None
) -> None:
    card = read_card(copy)
    edit_card(copy, versions={**card["versions"], "scikit-learn": "0.24.2"})
    problem = refused(copy)
    assert problem.code == "model_version"
    assert str(problem) == (
        f"This model was trained with scikit-learn 0.24.2; this app runs {version('scikit-learn')}"
        ". Train the model again."
    )


def test_a_folder_without_a_model_says_to_train_first(tmp_path: Path) -> None:
    problem = refused(tmp_path / "nothing-here")
    assert problem.code == "no_model"
    assert str(problem) == (
        f'No model card (model.json) in "{tmp_path / "nothing-here"}". Train a model first, or '
        "point to a folder written by this app."
    )


def test_a_file_with_the_models_columns_passes_the_column_check(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    check_columns(model, frame[list(model.schema.columns)])


def test_the_shipped_default_model_is_what_training_on_the_sample_gives_today(
    sample_model: ChurnModel,
) -> None:
    """models/default is reproducible: `python -m churn_core train data/sample_customers.csv`.

    It was trained on another machine: floating-point sums may differ in the last bits from one
    CPU to another (1.5e-14 seen), so the same model means the same scores within 1e-9.
    """
    shipped = load_model(ROOT / "models" / "default")
    frame = read_table(ROOT / "data" / "sample_customers.csv").frame
    assert shipped.name == sample_model.name
    np.testing.assert_allclose(
        shipped.predict_proba(frame), sample_model.predict_proba(frame), rtol=0, atol=1e-9
    )
    assert shipped.card["metrics"] == pytest.approx(sample_model.card["metrics"], abs=1e-9)


def test_a_month_file_without_the_models_label_is_no_label_change(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    """This month's customers have no outcome yet: whatever the profile guesses as a label
    (here a yes/no column named like "active"), it cannot contradict what the model learned."""
    month = frame.drop(columns=["Churned", "ChurnDate"]).assign(
        IsActive=np.where(np.arange(len(frame)) % 3 == 0, "No", "Yes")
    )
    profile = profile_table(month)
    assert profile.label_column == "IsActive"
    assert bundle.get_mismatches(model, month, profile) == []
    assert bundle.get_mismatches(model, month.assign(Churned=None), profile) == []


def test_a_label_changed_since_training_still_stops_scoring(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    changed = frame.assign(IsActive=np.where(frame["Churned"] == "Yes", "No", "Yes"))
    profile = profile_table(changed, roles={"IsActive": "label", "Churned": "ignored"})
    (problem,) = bundle.get_mismatches(model, changed, profile)
    assert problem.code == "label_changed"


def test_a_bundle_dumped_to_bytes_loads_back_with_identical_probabilities(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    data, card = bundle.dump_model(model)
    assert card["sha256"] == hashlib.sha256(data).hexdigest()
    loaded = bundle.load_model_bytes(data, card)
    np.testing.assert_array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    np.testing.assert_array_equal(loaded.evaluation.p_test, model.evaluation.p_test)


def test_bytes_that_do_not_match_their_card_are_refused_before_unpickling(
    model: ChurnModel, no_unpickling: None
) -> None:
    data, card = bundle.dump_model(model)
    with pytest.raises(ChurnDataError) as caught:
        bundle.load_model_bytes(data + b"\0", card, where="workspace model 7")
    assert str(caught.value) == (
        "The model file in workspace model 7 does not match its card: it was changed or not "
        "written by this app, so it is not loaded. Train the model again with this app."
    )
    with pytest.raises(ChurnDataError, match=r"^Workspace model 7 was not written by this"):
        bundle.load_model_bytes(data, {**card, "format": "x"}, where="workspace model 7")
