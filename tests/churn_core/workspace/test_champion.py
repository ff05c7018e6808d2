"""Champion and challenger: the model in use and a new one, judged on the same customers."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from churn_core.model import ChurnModel, fit_churn_model, get_held_out_positions
from churn_core.schema import profile_table
from churn_core.workspace import (
    Workspace,
    compare_models,
    compare_with_model_in_use,
    delete_dataset,
    read_dataset,
    register_model,
    save_dataset,
)
from churn_core.workspace.champion import FIGURES, SHARE_FLAGGED

CHALLENGER_SEED = 7


@pytest.fixture(scope="module")
def challenger(frame: pd.DataFrame) -> ChurnModel:
    return fit_churn_model(frame, profile_table(frame), seed=CHALLENGER_SEED)


def test_both_models_are_scored_on_the_new_models_held_out_customers(
    challenger: ChurnModel, model: ChurnModel, frame: pd.DataFrame
) -> None:
    comparison = compare_models(challenger, model, frame)
    assert comparison.compared
    assert comparison.customers == challenger.card["data"]["test_rows"] == 1000
    assert comparison.frame["Model"].tolist() == [
        f"In use: {model.name}",
        f"New: {challenger.name}",
    ]
    new = comparison.frame.iloc[1]
    held_out = challenger.card["metrics"]
    for key, title in FIGURES.items():  # the card's own held-out figures, found again
        assert new[title] == pytest.approx(held_out[key], rel=1e-9)
    assert new[SHARE_FLAGGED] == pytest.approx(held_out["flagged"] / 1000)
    rows = frame.iloc[get_held_out_positions(frame, challenger.card)]
    reference = roc_auc_score(rows["Churned"] == "Yes", model.predict_proba(rows))
    assert comparison.frame.iloc[0]["ROC-AUC"] == pytest.approx(reference)
    assert comparison.summary.startswith("On the same 1,000 held-out customers, ")
    assert comparison.caveat.startswith("The model in use learned from other data")


def test_a_model_compared_with_itself_ties_and_needs_no_caveat(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    comparison = compare_models(model, model, frame)
    first, second = comparison.frame.drop(columns="Model").to_numpy()
    assert list(first) == list(second)
    assert "both models rank leavers about as well" in comparison.summary
    assert comparison.caveat == ""


def test_a_model_in_use_that_needs_other_columns_is_not_compared_and_says_why(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    smaller = frame.drop(columns=["Region"]).sample(1500, random_state=0)
    new = fit_churn_model(smaller, profile_table(smaller), seed=1)
    comparison = compare_models(new, model, smaller)
    assert not comparison.compared
    assert comparison.reason.startswith(
        "The model in use cannot score this data: This file's columns don't match the saved "
        "model. Missing: Region."
    )
    assert comparison.frame["Model"].tolist() == [f"New: {new.name}"]
    assert comparison.frame.iloc[0]["ROC-AUC"] == new.card["metrics"]["roc_auc"]


def test_models_that_predict_different_things_are_not_compared(
    challenger: ChurnModel, model: ChurnModel, frame: pd.DataFrame
) -> None:
    other = copy.copy(model)
    other.card = {**model.card, "label": {**model.card["label"], "churned_value": "No"}}
    comparison = compare_models(challenger, other, frame)
    assert comparison.reason == (
        'The model in use predicts Churned = "No"; the new one Churned = "Yes", so their '
        "figures do not measure the same thing."
    )


def test_the_workspace_compares_a_new_model_with_the_one_in_use_for_its_kind(
    workspace: Workspace, sample_bytes: bytes, model: ChurnModel, challenger: ChurnModel
) -> None:
    dataset = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, dataset.id)
    champion = register_model(workspace, model, dataset.id)
    new = register_model(workspace, challenger, dataset.id)
    comparison = compare_with_model_in_use(workspace, new.id)
    assert comparison.compared and comparison.customers == 1000
    assert compare_with_model_in_use(workspace, champion.id).reason == (
        "This model is the one in use."
    )
    delete_dataset(workspace, dataset.id)
    assert compare_with_model_in_use(workspace, new.id).reason.startswith(
        "The data this model learned from was deleted"
    )
