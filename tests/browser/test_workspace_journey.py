"""Journey J7 in Chromium: come back tomorrow, and many people training at once.

Both run the Procfile's web command with ``APP_PASSWORD`` set, as on a Heroku dyno. The first
keeps its workspace in a real PostgreSQL (as Heroku Postgres does) and restarts the server in
the middle; the second has four browsers train at once on a SQLite workspace and measures the
server's peak memory and how long the last training waited (printed, and kept in
``tests/browser/screenshots/measurements.jsonl``).
"""

from __future__ import annotations

import re
import time
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.datasets.customers import generate_customers
from churn_core.workspace import list_datasets, list_jobs, list_models, open_workspace
from tests.browser.conftest import open_tab
from tests.browser.heroku import DYNO_MEMORY_MB, HostedApp, record, start_web_process
from tests.browser.steps import SCREENSHOTS, assert_no_exception, go_to, settle, shoot
from tests.postgres import PostgresServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a shared team passphrase"
SECRET = "0123456789abcdef0123456789abcdef"
TRAINED = "Trained: "


def log_in(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    settle(page)
    page.get_by_test_id("stSidebar").get_by_text("Dataset").wait_for()


def upload(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(path))


def sidebar(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.get_by_test_id("stSidebar").inner_text())


def customers_file(folder: Path, name: str, seed: int, rows: int, *, drop=(), rename=None) -> Path:  # type: ignore[no-untyped-def]
    """Made-up customers with their own columns (dropped, renamed), as another CRM exports."""
    frame = generate_customers(rows=rows, seed=seed).drop(columns=list(drop))
    frame = frame.rename(columns=rename or {})
    path = folder / name
    frame.to_csv(path, index=False)
    return path


def test_after_a_restart_a_new_browser_finds_the_data_the_model_and_the_list(  # type: ignore[no-untyped-def]
    browser, postgres: PostgresServer, tmp_path: Path
) -> None:
    env = {
        "APP_PASSWORD": PASSWORD,
        "DATABASE_URL": postgres.empty_database().replace("postgresql+psycopg://", "postgres://"),
        "SECRET_KEY": SECRET,
    }
    data = customers_file(
        tmp_path, "acme_accounts.csv", seed=41, rows=2500,
        drop=["Region"], rename={"CustomerID": "AccountRef", "Churned": "Cancelled"},
    )  # fmt: skip
    log = SCREENSHOTS / "server_restart.log"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    app = start_web_process(env, log)
    try:
        with open_tab(browser, app.url) as tab:
            log_in(tab)
            upload(tab, data)
            tab.get_by_text("acme_accounts.csv: 2,500 rows x 14 columns").wait_for()
            go_to(tab, "Churn risk")
            tab.get_by_text("No churn model has learned from acme_accounts.csv").wait_for()
            tab.get_by_role("button", name="Train on this data").click()
            tab.get_by_text(TRAINED).wait_for(timeout=240_000)
            settle(tab)
            button = tab.get_by_role("button", name="Download these").first
            button.wait_for()
            with tab.expect_download() as download:
                button.click()
            delivered = tmp_path / "delivered.csv"
            download.value.save_as(delivered)
            tab.get_by_text("Kept in the workspace as list 1").wait_for()
            assert_no_exception(tab)
            shoot(tab, "j7_before_restart")
    finally:
        app.stop()

    app = start_web_process(env, log)  # a restart: a Heroku dyno's disk and memory are gone
    try:
        with open_tab(browser, app.url) as tab:  # a new browser: no cookies, no session
            log_in(tab)
            home = tab.get_by_test_id("stAlert").filter(has_text="Opened on the data in use last")
            home.get_by_text("acme_accounts.csv: 2,500 rows x 14 columns").wait_for()
            assert "Model in use: model 1 in the workspace" in home.inner_text()
            assert "acme_accounts.csv (kept in the workspace)" in sidebar(tab)
            assert "(model 1 in the workspace)" in sidebar(tab)
            shoot(tab, "j7_after_restart_home")

            go_to(tab, "Churn risk")  # the list is there without uploading or training
            tab.get_by_role("button", name="Download these").first.wait_for()
            assert tab.get_by_text("No churn model has learned from").count() == 0

            go_to(tab, "Workspace")
            tab.get_by_role("tab", name="At-risk lists (1)").click()
            settle(tab)
            shoot(tab, "j7_after_restart_workspace")
            with tab.expect_download() as download:
                tab.get_by_role("button", name="Download list 1 as CSV").click()
            again = tmp_path / "again.csv"
            download.value.save_as(again)
            assert again.read_bytes() == delivered.read_bytes()
            kept = pd.read_csv(again, encoding="utf-8-sig")
            assert kept.columns[0] == "AccountRef" and len(kept) > 0
            assert_no_exception(tab)
    finally:
        app.stop()


def test_four_browsers_train_at_once_each_gets_its_own_model_one_at_a_time(  # type: ignore[no-untyped-def]
    browser, shared_data: Path, tmp_path: Path
) -> None:
    files = [
        shared_data / "bank_churn" / "Churn_Modelling.csv",
        customers_file(tmp_path, "north.csv", seed=1, rows=5000, drop=["Region", "Email"]),
        customers_file(
            tmp_path, "south.csv", seed=2, rows=5000,
            rename={"MonthlyCharges": "MonthlyFee", "Plan": "Tier"},
        ),
        customers_file(
            tmp_path, "online.csv", seed=3, rows=5000,
            drop=["SignupDate"], rename={"Churned": "Left"},
        ),
    ]  # fmt: skip
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    workspace_dir = tmp_path / "workspace"
    app: HostedApp = start_web_process(
        {"APP_PASSWORD": PASSWORD, "WORKSPACE_DIR": str(workspace_dir)},
        SCREENSHOTS / "server_four.log",
    )
    try:
        with (
            open_tab(browser, app.url) as a,
            open_tab(browser, app.url) as b,
            open_tab(browser, app.url) as c,
            open_tab(browser, app.url) as d,
        ):
            tabs = [a, b, c, d]
            for tab in tabs:
                log_in(tab)
            for tab, path in zip(tabs, files, strict=True):  # all four arrive together
                upload(tab, path)
            for tab, path in zip(tabs, files, strict=True):
                # Read: "north.csv: 5,000 rows x 13 columns" (not the clock while it is read,
                # "Reading north.csv: 2 s", which a click must not race: see the closing note).
                read = rf"^{re.escape(path.name)}: [\d,]+ rows x \d+ columns$"
                tab.get_by_text(re.compile(read)).first.wait_for(timeout=120_000)
                go_to(tab, "Churn risk")
                tab.get_by_role("button", name="Train on this data").wait_for()
            pressed = []
            for tab in tabs:  # Train, in all four, one right after the other
                tab.get_by_role("button", name="Train on this data").click()
                pressed.append(time.monotonic())
            waited = []
            for tab, when in zip(tabs, pressed, strict=True):
                tab.get_by_text(TRAINED).wait_for(timeout=600_000)
                waited.append(time.monotonic() - when)
                settle(tab)
                assert_no_exception(tab)
            for number, (tab, path) in enumerate(zip(tabs, files, strict=True), start=1):
                tab.get_by_role("button", name="Download these").first.wait_for()
                assert f"{path.name} (kept in the workspace)" in sidebar(tab)
                assert_no_exception(tab)
                shoot(tab, f"j7_four_at_once_{number}")
    finally:
        peak = app.peak_rss_mb()
        app.stop()

    workspace = open_workspace(folder=workspace_dir)
    try:
        models, jobs = list_models(workspace), sorted(list_jobs(workspace), key=lambda j: j.id)
        kept = list_datasets(workspace)
    finally:
        workspace.close()
    assert sorted(d.name for d in kept) == sorted(p.name for p in files)  # four saved at once
    assert len(models) == 4 and all(m.in_use for m in models)  # each its own, each in use
    assert len({m.kind for m in models}) == 4
    assert [j.status for j in jobs] == ["done"] * 4
    for earlier, later in pairwise(jobs):  # one at a time, in order
        assert earlier.finished_at is not None and later.started_at is not None
        assert later.started_at >= earlier.finished_at
    last = jobs[-1]
    assert last.started_at is not None
    queued = (last.started_at - last.submitted_at).total_seconds()
    record("server peak RSS, four browsers training at once", peak, "MB", DYNO_MEMORY_MB)
    record("last training's wait in the queue", queued, "s", float("inf"))
    record("last browser: Train pressed to result shown", float(np.max(waited)), "s", float("inf"))
    # Four at once measured 458 to 468 MB in a freshly installed virtual environment (as CI's,
    # and as a dyno's freshly unpacked slug) and 420 to 429 MB in an older one on 2026-12-02:
    # the same imports map more of their files' pages while those are new in the page cache.
    # Before the app stopped importing shap (~95 MB: numba, llvmlite, matplotlib) it measured
    # 490 to 580 MB. The imports take 270 to 310 MB before anyone logs in; four uploads add
    # ~65 MB, and a training ~50 MB more while it runs. The bound is the dyno itself.
    assert peak < DYNO_MEMORY_MB
