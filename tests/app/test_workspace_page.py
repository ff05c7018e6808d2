"""The Workspace page and what the app opens on (AppTest, on each test's own SQLite workspace).

The page lists what is kept with dates and sizes, opens, deletes (after a confirmation) and
puts models in use; a new session opens on what was in use last and says so.
"""

from __future__ import annotations

from pathlib import Path

from churn_core.model import load_model
from churn_core.workspace import (
    get_last_in_use,
    list_at_risk_lists,
    list_datasets,
    list_models,
    register_model,
    remember_in_use,
)
from tests.app.workspace_seed import (
    DEFAULT_MODEL,
    SAMPLE,
    keep_file,
    new_app,
    page_text,
    seed_workspace,
    sidebar_text,
)

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/workspace.py"


def test_the_page_lists_datasets_models_and_lists_with_dates_sizes_and_storage_used() -> None:
    seeded = seed_workspace()
    at = new_app().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    datasets, models, lists = (frame.value for frame in at.dataframe)
    assert datasets["Dataset"].tolist() == ["kept_customers.csv"]
    assert datasets[["Rows", "Columns"]].iloc[0].tolist() == [5000, 15]
    assert datasets["Uploaded (UTC)"].iloc[0] == seeded.dataset.uploaded_at.replace(tzinfo=None)
    assert datasets["Size"].iloc[0] == "0.49 MB"  # the file as uploaded, 5,000 rows
    assert models["Model"].tolist() == [f"{seeded.model.id}: Logistic regression"]
    assert models["In use"].tolist() == ["yes"]
    assert "stayed 8 times in 10" in models["On customers it never saw"].iloc[0]  # AUC 0.80
    assert lists["Customers"].tolist() == [seeded.at_risk.rows] == [3750]
    assert lists["Flagged"].tolist() == [seeded.at_risk.flagged]
    progress = at.get("progress")[0]
    assert "Storage used:" in progress.proto.text and "of 950 MB" in progress.proto.text
    tabs = [t.label for t in at.tabs]
    assert tabs == ["Datasets (1)", "Models (1)", "At-risk lists (1)"]


def test_an_empty_workspace_opens_on_the_sample_and_says_so() -> None:
    at = new_app().run()
    assert not at.exception, at.exception
    home = "\n".join(i.value for i in at.info)
    assert "The workspace is empty, so you are looking at the **bundled sample**" in home
    assert "**sample_customers.csv** (bundled sample)" in sidebar_text(at)
    at.switch_page(PAGE).run()
    assert "No data kept yet" in page_text(at)
    assert "No model kept yet" in page_text(at)


def test_a_new_session_opens_on_what_was_in_use_last_and_names_data_and_model() -> None:
    seeded = seed_workspace()
    remember_in_use(seeded.workspace, dataset_id=seeded.dataset.id, model_id=seeded.model.id)
    at = new_app().run()  # a colleague's browser, or this one after a reload or a restart
    assert not at.exception, at.exception
    home = "\n".join(i.value for i in at.info)
    assert "Opened on the data in use last: **kept_customers.csv: 5,000 rows x 15 columns" in home
    assert f"Model in use: model {seeded.model.id} in the workspace" in home
    sidebar = sidebar_text(at)
    assert "**kept_customers.csv** (kept in the workspace)" in sidebar
    assert f"(model {seeded.model.id} in the workspace)" in sidebar


def test_opening_a_kept_dataset_makes_it_this_sessions_data_and_the_sidebar_says_so() -> None:
    seeded = seed_workspace()
    other = keep_file(seeded.workspace, SAMPLE.read_bytes()[:200_000].rsplit(b"\n", 1)[0], "b.csv")
    at = new_app().run()
    assert "sample_customers.csv" in sidebar_text(at)  # nothing was in use last: the sample
    at.switch_page(PAGE).run()
    at.selectbox(key="workspace_dataset").set_value(other.id).run()
    at.button(key="open_dataset").click().run()
    assert not at.exception, at.exception
    assert "**b.csv** (kept in the workspace)" in sidebar_text(at)  # in the same run
    assert "Opened b.csv on every page." in page_text(at)
    assert get_last_in_use(seeded.workspace).dataset.id == other.id  # type: ignore[union-attr]


def test_deleting_asks_first_then_the_dataset_is_gone_for_everyone() -> None:
    seeded = seed_workspace()
    remember_in_use(seeded.workspace, dataset_id=seeded.dataset.id, model_id=None)
    at = new_app().run()
    at.switch_page(PAGE).run()
    at.button(key="delete_dataset").click().run()
    assert "Delete **kept_customers.csv** for everyone?" in page_text(at)
    at.button(key=f"cancel_dataset_{seeded.dataset.id}").click().run()
    assert "for everyone?" not in page_text(at)
    assert len(list_datasets(seeded.workspace)) == 1

    at.button(key="delete_dataset").click().run()
    at.button(key=f"yes_dataset_{seeded.dataset.id}").click().run()
    assert not at.exception, at.exception
    assert list_datasets(seeded.workspace) == []
    assert "Deleted kept_customers.csv." in page_text(at)
    assert "**sample_customers.csv** (bundled sample)" in sidebar_text(at)  # it was open here
    assert len(list_models(seeded.workspace)) == 1  # what was made from it is kept
    assert len(list_at_risk_lists(seeded.workspace)) == 1


def test_a_model_is_put_in_use_after_a_confirmation_and_the_sidebar_follows() -> None:
    seeded = seed_workspace()
    second = register_model(seeded.workspace, load_model(DEFAULT_MODEL), seeded.dataset.id)
    assert not second.in_use  # the first of its kind stays in use
    remember_in_use(seeded.workspace, dataset_id=seeded.dataset.id, model_id=seeded.model.id)
    at = new_app().run()
    assert f"(model {seeded.model.id} in the workspace)" in sidebar_text(at)
    at.switch_page(PAGE).run()
    at.selectbox(key="workspace_model").set_value(second.id).run()
    at.button(key="use_model").click().run()
    assert f"Put **model {second.id}**" in page_text(at)
    at.button(key=f"yes_model_{second.id}").click().run()
    assert not at.exception, at.exception
    assert f"(model {second.id} in the workspace)" in sidebar_text(at)  # in the same run
    in_use = [m.id for m in list_models(seeded.workspace) if m.in_use]
    assert in_use == [second.id]


def test_a_list_is_deleted_after_a_confirmation() -> None:
    seeded = seed_workspace()
    at = new_app().run()
    at.switch_page(PAGE).run()
    assert f"Download list {seeded.at_risk.id} as CSV" in [
        b.proto.label for b in at.get("download_button")
    ]
    at.button(key="delete_list").click().run()
    at.button(key=f"yes_list_{seeded.at_risk.id}").click().run()
    assert not at.exception, at.exception
    assert list_at_risk_lists(seeded.workspace) == []
    assert "At-risk lists (0)" in [t.label for t in at.tabs]
