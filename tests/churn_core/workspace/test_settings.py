"""Saved choices and what was in use last (SQLite and PostgreSQL)."""

from __future__ import annotations

import math
import threading

from churn_core.model import ChurnModel
from churn_core.survival import ClvAssumptions
from churn_core.workspace import (
    ACTION_PLAN,
    CLV_ASSUMPTIONS,
    Workspace,
    delete_dataset,
    delete_setting,
    get_last_in_use,
    list_settings,
    load_setting,
    read_dataset,
    register_model,
    remember_in_use,
    save_dataset,
    save_setting,
    scope_for_kind,
)


def test_a_setting_is_kept_replaced_listed_and_forgotten(workspace: Workspace) -> None:
    assumptions = ClvAssumptions().to_dict()
    assert load_setting(workspace, CLV_ASSUMPTIONS, default="none yet") == "none yet"
    save_setting(workspace, CLV_ASSUMPTIONS, assumptions)
    assert load_setting(workspace, CLV_ASSUMPTIONS) == assumptions
    save_setting(workspace, CLV_ASSUMPTIONS, {**assumptions, "margin": 0.5})
    assert load_setting(workspace, CLV_ASSUMPTIONS)["margin"] == 0.5
    assert [(s.name, s.scope) for s in list_settings(workspace)] == [(CLV_ASSUMPTIONS, "workspace")]
    delete_setting(workspace, CLV_ASSUMPTIONS)
    assert load_setting(workspace, CLV_ASSUMPTIONS) is None
    delete_setting(workspace, CLV_ASSUMPTIONS)  # forgetting twice is harmless


def test_a_setting_for_one_kind_of_data_does_not_touch_the_workspace_default(
    workspace: Workspace,
) -> None:
    plan = [{"column": "Contract", "value": "Month-to-month", "action": "Offer a 1-year plan"}]
    save_setting(workspace, ACTION_PLAN, plan, scope=scope_for_kind("abc"))
    save_setting(workspace, ACTION_PLAN, [])
    assert load_setting(workspace, ACTION_PLAN, scope=scope_for_kind("abc")) == plan
    assert load_setting(workspace, ACTION_PLAN) == []
    assert [s.scope for s in list_settings(workspace, scope="kind:abc")] == ["kind:abc"]


def test_values_come_back_exactly_including_text_in_any_script_and_nan(
    workspace: Workspace,
) -> None:
    value = {"name": "Fidélité – 忠誠", "weights": [0.1, 1e-12, 12345678.9], "blank": float("nan")}
    save_setting(workspace, "odd", value)
    back = load_setting(workspace, "odd")
    assert back["name"] == value["name"] and back["weights"] == value["weights"]
    assert math.isnan(back["blank"])


def test_two_people_saving_the_same_setting_at_once_both_succeed(workspace: Workspace) -> None:
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def save(i: int) -> None:
        barrier.wait()
        try:
            save_setting(workspace, "plays", {"by": i})
            save_setting(workspace, f"own-{i}", i)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert load_setting(workspace, "plays")["by"] in range(8)
    assert [load_setting(workspace, f"own-{i}") for i in range(8)] == list(range(8))


def test_the_workspace_remembers_what_was_in_use_last(
    workspace: Workspace, sample_bytes: bytes, model: ChurnModel
) -> None:
    assert get_last_in_use(workspace).describe() == "Nothing from the workspace is in use yet."
    dataset = save_dataset(workspace, sample_bytes, "customers.csv")
    read_dataset(workspace, dataset.id)
    kept = register_model(workspace, model, dataset.id)
    remember_in_use(workspace, dataset_id=dataset.id, model_id=kept.id)
    last = get_last_in_use(workspace)
    assert (last.dataset.id, last.model.id) == (dataset.id, kept.id)  # type: ignore[union-attr]
    assert last.describe().startswith("In use: data customers.csv: 5,000 rows x 15 columns")
    delete_dataset(workspace, dataset.id)
    last = get_last_in_use(workspace)
    assert last.dataset is None and last.model is not None
    assert "no saved data; model " in last.describe()
