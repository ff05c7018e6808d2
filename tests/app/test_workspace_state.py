"""The app on its workspace (AppTest): an upload still being read, the database away at start
or mid-session, a file too large for the plan, trainings through the queue with champion and
challenger, and choices saved for a kind of data."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.data_store
import ui.model_state
import ui.state
import ui.workspace_state
from churn_core.datasets.customers import generate_customers
from churn_core.workspace import list_datasets, list_models, open_workspace
from tests.app.workspace_seed import new_app, page_text, sidebar_text
from tests.browser.conftest import free_port
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_customers.csv"
SECRET = "a-secret-for-these-tests"


def _upload(at: AppTest, name: str, raw: bytes) -> AppTest:
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value((name, raw, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _small_customers(rows: int = 600, seed: int = 7) -> bytes:
    return generate_customers(rows=rows, seed=seed).to_csv(index=False).encode()


@pytest.fixture
def slow_reading(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reading a kept upload waits until the test sets the event (as a busy server would)."""
    gate = threading.Event()
    read = ui.data_store.read_dataset

    def held_up(*args: object, **kwargs: object) -> object:
        gate.wait(60)
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ui.data_store, "read_dataset", held_up)
    monkeypatch.setattr(ui.state, "UPLOAD_WAIT_SECONDS", 0.5)
    yield gate
    gate.set()


def test_the_page_a_user_lands_on_says_the_upload_is_still_being_read(
    slow_reading: threading.Event,
) -> None:
    at = _upload(new_app().run(), "busy.csv", _small_customers())
    assert "**busy.csv** is still being read" in page_text(at)
    assert "**busy.csv** (still being read)" in sidebar_text(at)
    assert len(list_datasets(open_workspace())) == 1  # kept the moment it arrived

    at.switch_page("pages/churn_risk.py").run()  # the user moves on meanwhile
    assert not at.exception, at.exception
    assert "**busy.csv** is still being read" in page_text(at)
    assert [t.value for t in at.title] == ["Churn risk"]
    assert not [b for b in at.button if b.label == "Train on this data"]  # nothing on the sample

    slow_reading.set()  # the reading finishes, whoever watches
    deadline = time.monotonic() + 30
    while "still being read" in page_text(at) and time.monotonic() < deadline:
        time.sleep(0.2)
        at.run()
    assert "**busy.csv** (kept in the workspace)" in sidebar_text(at)
    assert "600 customers" in sidebar_text(at)
    assert "Train on this data" in [b.label for b in at.button]


def test_a_database_that_cannot_be_reached_at_start_leaves_the_app_up_on_the_sample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://churn@127.0.0.1:{free_port()}/workspace")
    monkeypatch.setenv("SECRET_KEY", SECRET)
    at = new_app().run()
    assert not at.exception, at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "Your work cannot be saved or reopened right now." in errors
    assert "cannot be reached or is busy" in errors
    assert "check DATABASE_URL and that the database is running" in errors
    assert "churn@" not in errors  # never the URL's user or password
    assert {m.label: m.value for m in at.metric}["Customers"] == "5,000"
    assert "The workspace cannot be reached, so this opens on the **bundled sample**" in page_text(
        at
    )

    _upload(at, "mine.csv", _small_customers())  # the session's own data still works
    assert "Not kept: the workspace was away" in page_text(at)
    assert "**mine.csv** (your upload, not kept)" in sidebar_text(at)
    at.switch_page("pages/churn_risk.py").run()
    assert not at.exception, at.exception
    assert next(b for b in at.button if b.label == "Train on this data").disabled
    at.switch_page("pages/workspace.py").run()
    assert "The workspace cannot be reached right now" in page_text(at)


def test_the_database_going_away_mid_session_and_coming_back_loses_nothing(
    monkeypatch: pytest.MonkeyPatch, postgres: PostgresServer
) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres.empty_database())
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setattr(ui.workspace_state, "RETRY_SECONDS", 0.0)
    at = _upload(new_app().run(), "kept.csv", _small_customers())
    assert "**kept.csv** (kept in the workspace)" in sidebar_text(at)
    postgres.stop()
    try:
        ui.model_state._in_use.clear()  # the model in use is asked again, of a stopped database
        at.switch_page("pages/home.py").run()
        assert not at.exception, at.exception
        assert "Your work cannot be saved or reopened right now." in "\n".join(
            e.value for e in at.error
        )
        assert "**kept.csv** (kept in the workspace)" in sidebar_text(at)  # held by this server
        assert {m.label: m.value for m in at.metric}["Customers"] == "600"
        at.switch_page("pages/workspace.py").run()
        assert "The workspace cannot be reached right now" in page_text(at)
    finally:
        postgres.start()
    at.run()
    assert not at.exception, at.exception
    assert not [e for e in at.error if "cannot be saved" in e.value]
    assert at.tabs[0].label == "Datasets (1)"  # the work is there
    assert at.dataframe[0].value["Dataset"].tolist() == ["kept.csv"]


def test_a_file_too_large_for_the_plan_is_refused_before_anything_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WORKSPACE_MAX_DATASET_MB", "0.1")
    at = _upload(new_app().run(), "large.csv", SAMPLE.read_bytes())
    errors = "\n".join(e.value for e in at.error)
    assert '"large.csv" is 0.49 MB; the workspace keeps up to 0.10 MB each' in errors
    assert "so it was not saved" in errors
    assert "Still using **sample_customers.csv**" in page_text(at)
    assert list_datasets(open_workspace()) == []


def _wait_for(at: AppTest, text: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while text not in page_text(at):
        assert time.monotonic() < deadline, f"{text!r} never showed:\n{page_text(at)}"
        assert not at.exception, at.exception
        time.sleep(1)
        at.run()


@pytest.mark.slow
def test_trainings_go_through_the_queue_and_a_new_model_is_put_in_use_only_when_chosen() -> None:
    at = _upload(new_app().run(), "queued.csv", _small_customers())
    at.switch_page("pages/churn_risk.py").run()
    at.button[0].click().run()  # Train on this data
    assert at.button[0].disabled  # while it waits or runs
    _wait_for(at, "Trained: ")
    assert "It is the model in use for this kind of data." in page_text(at)
    (first,) = list_models(open_workspace())
    assert f"(model {first.id} in the workspace)" in sidebar_text(at)

    at.button[0].click().run()  # again: a challenger for the same kind of data
    _wait_for(at, "A new model is ready")
    assert "On the same 120 held-out customers" in page_text(at)
    models = at.dataframe[0].value["Model"].tolist()
    assert [m.split(":")[0] for m in models] == ["In use", "New"]
    assert f"(model {first.id} in the workspace)" in sidebar_text(at)  # not until chosen

    reloaded = new_app().run()  # the result is there after a reload too
    reloaded.switch_page("pages/churn_risk.py").run()
    assert "A new model is ready" in page_text(reloaded)

    next(b for b in at.button if b.label == "Put the new model in use").click().run()
    assert not at.exception, at.exception
    second = max(m.id for m in list_models(open_workspace()))
    assert f"(model {second} in the workspace)" in sidebar_text(at)  # in the same run
    assert "A new model is ready" not in page_text(at)


def test_clv_assumptions_stay_in_the_session_until_saved_then_open_for_everyone() -> None:
    at = new_app().run()
    at.switch_page("pages/retention_clv.py").run()
    at.number_input[0].set_value(40).run()  # Margin %
    assert at.number_input[0].value == 40
    fresh = new_app().run()
    fresh.switch_page("pages/retention_clv.py").run()
    assert fresh.number_input[0].value != 40  # only tried in the first session

    next(b for b in at.button if b.label == "Save these assumptions").click().run()
    assert not at.exception, at.exception
    assert "Saved: everyone who opens data like sample_customers.csv" in page_text(at)
    colleague = new_app().run()
    colleague.switch_page("pages/retention_clv.py").run()
    assert colleague.number_input[0].value == 40
