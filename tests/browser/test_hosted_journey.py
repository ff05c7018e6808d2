"""Journey J6: the app as Heroku runs it (Procfile, $PORT, APP_PASSWORD), driven in Chromium.

One server per test module (per xdist worker), started from the Procfile's ``web`` command.
Measurements (time to healthy, peak RSS) are printed and kept in
``tests/browser/screenshots/measurements.jsonl`` beside the screenshots.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.columns import (
    AT_RISK_COLUMNS,
    CUSTOMER_VALUE,
    RANK,
    RECOMMENDED_ACTION,
    RISK_BAND,
    RISK_BANDS,
    SEGMENT,
    TOP_REASON_1,
)
from churn_core.datasets.customers import generate_customers
from churn_core.io.export import FORMULA_PREFIXES
from churn_core.io.reading import MAX_UPLOAD_MB
from tests.browser.conftest import open_tab
from tests.browser.heroku import (
    DYNO_MEMORY_MB,
    HEROKU_BOOT_LIMIT_S,
    HostedApp,
    record,
    start_web_process,
)
from tests.browser.steps import SCREENSHOTS, assert_no_exception, go_to, menu, settle, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery staple"
FORMULA_IDS = ['=HYPERLINK("http://example.com/x","click")', "+1", "-2", "@SUM(A1:A9)"]


@pytest.fixture(scope="module")
def hosted() -> Iterator[HostedApp]:
    """The Procfile's web command with PORT and APP_PASSWORD set, as on a Heroku dyno."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    app = start_web_process({"APP_PASSWORD": PASSWORD}, SCREENSHOTS / f"server_{worker}.log")
    record("time to healthy", app.seconds_to_healthy, "s", HEROKU_BOOT_LIMIT_S)
    yield app
    app.stop()


@pytest.fixture
def tab(browser, hosted: HostedApp):  # type: ignore[no-untyped-def]
    """A fresh browser tab (no cookies, no session) on the hosted app's login screen."""
    with open_tab(browser, hosted.url) as page:
        page.get_by_label("Password", exact=True).wait_for()
        yield page


def log_in(page, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    settle(page)


def unseen_customers(path: Path, rows: int = 3000) -> Path:
    """Customers the bundled model never saw: another seed, renamed and extra columns."""
    frame = generate_customers(rows=rows, seed=23).rename(
        columns={
            "CustomerID": "AccountRef",
            "MonthlyCharges": "MonthlyFee",
            "Churned": "Cancelled",
            "Plan": "Tier",
        }
    )
    rng = np.random.default_rng(23)
    frame["SalesRep"] = rng.choice(["North team", "South team", "Online"], size=rows)
    frame["NpsScore"] = rng.integers(0, 11, size=rows)
    formula_rows = frame.index[: len(FORMULA_IDS)]
    frame.loc[formula_rows, "AccountRef"] = FORMULA_IDS
    frame.loc[formula_rows, ["Cancelled", "ChurnDate"]] = [
        "No",
        pd.NaT,
    ]  # customers still with us: they are in the at-risk list
    frame.to_csv(path, index=False)
    return path


def show_every_band(page) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_role("combobox", name="Show risk bands")
    for band in RISK_BANDS[1:]:
        box.click()
        page.get_by_role("option", name=band, exact=True).click()
        page.keyboard.press("Escape")
        settle(page)


def download(page, rows: int, kind: str, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    """Click "Download these <rows> as <kind>" once the list shows that many rows."""
    button = page.get_by_role("button", name=f"Download these {rows:,} as {kind}")
    button.wait_for()
    settle(page)
    with page.expect_download() as download:
        button.click()
    saved = folder / download.value.suggested_filename
    download.value.save_as(saved)
    return saved


def read_download(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def assert_no_live_formulas(table: pd.DataFrame) -> None:
    """No cell a spreadsheet would run: formula-like text starts with a quote."""
    for column in table.columns:
        text = table[column]
        numeric = pd.to_numeric(text, errors="coerce").notna() | (text == "")
        live = text[~numeric & text.str.startswith(FORMULA_PREFIXES)]
        assert live.empty, f"{column} has cells a spreadsheet would run: {live.tolist()[:3]}"


def test_the_procfile_web_command_is_healthy_within_herokus_boot_limit(
    hosted: HostedApp,
) -> None:
    assert hosted.seconds_to_healthy < HEROKU_BOOT_LIMIT_S
    assert hosted.process.poll() is None


def test_log_in_upload_train_visit_every_page_and_download_within_a_basic_dyno(  # type: ignore[no-untyped-def]
    tab, hosted: HostedApp, tmp_path: Path
) -> None:
    shoot(tab, "hosted_00_login")
    log_in(tab)
    tab.get_by_test_id("stSidebar").get_by_text("Dataset").wait_for()
    tab.get_by_role("button", name="Log out").wait_for()

    upload = unseen_customers(tmp_path / "unseen_customers.csv")
    go_to(tab, "Data")
    tab.locator("input[type=file]").set_input_files(str(upload))
    tab.get_by_text("unseen_customers.csv: 3,000 rows x 17 columns").wait_for()

    go_to(tab, "Churn risk")
    tab.get_by_text("No churn model has learned from unseen_customers.csv").wait_for()
    tab.get_by_role("button", name="Train on this data").click()
    tab.get_by_text("Trained: ").wait_for(timeout=180_000)
    settle(tab)
    assert_no_exception(tab)

    nav = menu(tab)
    titles = [text.splitlines()[-1].strip() for text in nav.all_inner_texts()]  # no icon name
    assert len(titles) == 9, titles  # Monitoring and Workspace included
    for number, title in enumerate(titles, start=1):
        nav.nth(number - 1).click()
        settle(tab)
        tab.locator("h1").first.wait_for()
        tab.get_by_test_id("stSkeleton").first.wait_for(state="detached")
        assert_no_exception(tab)
        assert "unseen_customers.csv" in tab.get_by_test_id("stSidebar").inner_text()
        shoot(tab, f"hosted_{number:02d}_{re.sub(r'[^a-z]+', '_', title.lower()).strip('_')}")

    # What each new page must show on the upload, beyond "no exception".
    go_to(tab, "Segments")
    tab.get_by_role("heading", name=re.compile(r"^The \d+ segments$")).wait_for()
    tab.get_by_text("Predicted risk").first.wait_for()  # the model trained above scores it
    go_to(tab, "Retention & CLV")
    tab.get_by_test_id("stMetric").filter(has_text="Revenue at risk").wait_for()
    assert_no_exception(tab)

    go_to(tab, "Score a customer")
    form = tab.get_by_test_id("stForm").nth(0)
    tenure = form.get_by_label("TenureMonths", exact=True)
    tenure.fill("3")
    tenure.press("Tab")
    form.get_by_role("button", name="Score this customer").click()
    settle(tab)
    tab.get_by_role("heading", name=re.compile(r"^(High|Medium|Low) risk: \d+%$")).wait_for()
    tab.get_by_text("What raises their risk").wait_for()
    tab.get_by_text("TenureMonths = 3").first.wait_for()  # the waterfall has the typed value
    assert_no_exception(tab)
    shoot(tab, "hosted_09_scored_customer")

    go_to(tab, "Churn risk")
    show_every_band(tab)
    uploaded = pd.read_csv(upload, dtype=str, keep_default_na=False)
    current = uploaded[uploaded["Cancelled"] == "No"]  # those who left are not in the list
    tab.get_by_text(f"{len(uploaded) - len(current):,} customers who already left").wait_for()
    at_risk = read_download(download(tab, len(current), "CSV", tmp_path))
    assert list(at_risk.columns) == ["AccountRef", *AT_RISK_COLUMNS]
    assert at_risk[RANK].astype(int).tolist() == list(range(1, len(current) + 1))
    assert set(at_risk[RISK_BAND]) <= set(RISK_BANDS)
    assert set(at_risk["AccountRef"]) == {
        "'" + i if i.startswith(FORMULA_PREFIXES) else i for i in current["AccountRef"]
    }
    assert_no_live_formulas(at_risk)
    flagged = at_risk[at_risk[RISK_BAND] == "High"]
    assert len(flagged) > 0
    assert (flagged[TOP_REASON_1] != "").all() and (flagged[RECOMMENDED_ACTION] != "").all()
    assert (at_risk[SEGMENT] != "").all()  # the Segments page's choice
    assert pd.to_numeric(at_risk[CUSTOMER_VALUE]).gt(0).all()  # CLV from MonthlyFee
    shoot(tab, "hosted_08_every_band")

    events = hosted.events()
    kinds = {e["event"] for e in events}
    assert {"login", "upload", "training", "scoring"} <= kinds, kinds
    log_text = hosted.log.read_text(errors="replace")
    for private in ("C000005", "AccountRef", "unseen_customers", PASSWORD):
        assert private not in "\n".join(line for line in log_text.splitlines() if "{" in line)

    peak = hosted.peak_rss_mb()
    record("server peak RSS over the journey", peak, "MB", DYNO_MEMORY_MB)
    assert peak < DYNO_MEMORY_MB


def test_a_wrong_password_shows_no_data_and_the_next_try_waits_longer(tab, hosted) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{hosted.url}/churn_risk")  # a deep link is gated too
    log_in(tab, "not the password")
    tab.get_by_text("That password is not right").wait_for()
    started = time.monotonic()
    log_in(tab, "still not the password")
    tab.get_by_text("checked after 2 s").wait_for()
    assert time.monotonic() - started >= 1.0  # the second try waited for the first's delay
    shoot(tab, "hosted_wrong_password")

    body = tab.locator("body").inner_text()
    for data in ("sample_customers", "5,000", "25.0%", "Dataset", "Model in use", "Churned"):
        assert data not in body
    assert not re.search(r"\d", body.replace("after 2 s", "")), body  # no numbers of the data
    for element in ("stSidebar", "stMetric", "stDataFrame", "stPlotlyChart"):
        assert tab.get_by_test_id(element).count() == 0, element
    assert menu(tab).count() == 0

    log_in(tab)  # the right password opens the deep link's page
    tab.get_by_role("heading", name="Churn risk", exact=True).wait_for()


def test_formula_ids_are_neutralised_in_the_csv_and_excel_downloads(  # type: ignore[no-untyped-def]
    tab, tmp_path: Path
) -> None:
    frame = generate_customers(
        rows=400, seed=31
    )  # the sample's columns: the default model scores it
    formula_rows = frame.index[: len(FORMULA_IDS)]
    frame.loc[formula_rows, "CustomerID"] = FORMULA_IDS
    frame.loc[formula_rows, ["Churned", "ChurnDate"]] = ["No", pd.NaT]  # still with us: in the list
    current = int((frame["Churned"] == "No").sum())
    upload = tmp_path / "formulas.csv"
    frame.to_csv(upload, index=False)
    log_in(tab)
    go_to(tab, "Data")
    tab.locator("input[type=file]").set_input_files(str(upload))
    tab.get_by_text("formulas.csv: 400 rows x 15 columns").wait_for()
    go_to(tab, "Churn risk")
    show_every_band(tab)
    at_risk = read_download(download(tab, current, "CSV", tmp_path))
    assert len(at_risk) == current
    ids = set(at_risk["CustomerID"])
    assert {"'" + i for i in FORMULA_IDS} <= ids
    assert not set(FORMULA_IDS) & ids
    assert_no_live_formulas(at_risk)

    excel = pd.read_excel(download(tab, current, "Excel", tmp_path), dtype=str)
    assert {"'" + i for i in FORMULA_IDS} <= set(excel["CustomerID"])
    shoot(tab, "hosted_formula_ids")

    tab.get_by_role("button", name="Log out").click()
    tab.get_by_label("Password", exact=True).wait_for()
    settle(tab)
    # The sidebar's frame may stay on screen, empty: no dataset, no model, no pages.
    tab.get_by_text("Dataset").wait_for(state="detached")
    shoot(tab, "hosted_logged_out")
    assert menu(tab).count() == 0
    assert "formulas.csv" not in tab.locator("body").inner_text()


def test_an_upload_over_the_limit_gets_the_message_and_the_data_stays(  # type: ignore[no-untyped-def]
    tab, tmp_path: Path
) -> None:
    big = tmp_path / "too_big.csv"
    row = b"C1,No," + b"x" * 1000 + b"\n"
    with big.open("wb") as out:  # a little over the app's limit, under the server's cap
        out.write(b"CustomerID,Churned,Notes\n")
        out.write(row * ((MAX_UPLOAD_MB + 1) * 1024 * 1024 // len(row)))
    log_in(tab)
    go_to(tab, "Data")
    tab.locator("input[type=file]").set_input_files(str(big))
    message = tab.get_by_test_id("stAlert").filter(has_text="too_big.csv is 11.0 MB")
    message.get_by_text(f"the app accepts files up to {MAX_UPLOAD_MB} MB").wait_for()
    assert "use the command line for large files" in message.inner_text()
    # the data open before stays: what was in use last on this server (an earlier test's upload)
    still = tab.get_by_text(re.compile(r"^Still using \S+\.csv\.$"))
    still.wait_for()
    settle(tab)
    shoot(tab, "hosted_over_the_limit")
    kept = still.inner_text().removeprefix("Still using ").removesuffix(".")
    assert kept in tab.get_by_test_id("stSidebar").inner_text()
    assert_no_exception(tab)
