"""Journey J9 in Chromium: a purchase log as published (CDNOW's whitespace file, no header,
dates as 19970101) uploaded, recognised, its churn window picked, trained on, its list
downloaded with one row per customer, every page visited, and the BTYD cards and holdout check
on Retention & CLV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from churn_core.columns import AT_RISK_COLUMNS, LAPSED, LAST_ACTIVE, RISK_BANDS
from tests.browser.steps import assert_no_exception, go_to, menu, settle, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CUSTOMERS = 2357  # in the CDNOW sample


def _metric(page, label: str) -> str:  # type: ignore[no-untyped-def]
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    return str(card.get_by_test_id("stMetricValue").inner_text())


def _go_home(page) -> None:  # type: ignore[no-untyped-def]
    menu(page).and_(page.get_by_role("link", name="Home", exact=True)).click()
    page.get_by_role("heading", name="Churn Workbench").wait_for()


def test_upload_a_purchase_log_pick_a_window_train_download_and_visit_every_page(  # type: ignore[no-untyped-def]
    page, shared_data: Path, tmp_path: Path
) -> None:
    log = shared_data / "cdnow_sample" / "CDNOW_sample.txt"
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(log))
    page.get_by_text("A log, not a customer table.").wait_for()
    page.get_by_text("A transaction log: 6,919 rows for 2,357 customers").wait_for()
    page.get_by_text("Suggested: 180 days.").wait_for()
    assert_no_exception(page)
    shoot(page, "j9_log_recognised")

    page.get_by_text("90 days", exact=True).click()  # the window picker
    settle(page)
    page.get_by_text("no activity in the 90 days after a cutoff").wait_for()
    shoot(page, "j9_log_window_90")

    go_to(page, "Churn risk")
    page.get_by_text("Press Train on this log").wait_for()
    page.get_by_role("button", name="Train on this log").click()
    page.get_by_text("Trained:").wait_for(timeout=180_000)
    settle(page)
    assert_no_exception(page)
    page.get_by_text("2,357 customers as of 30 June 1998").wait_for()
    page.get_by_text("Everyone", exact=True).click()
    bands = page.get_by_role("combobox", name="Risk bands")
    for band in RISK_BANDS[1:]:  # High is shown already: add Medium and Low
        settle(page)
        expect(bands).to_have_count(1, timeout=60_000)  # the rerun's stale copy is gone
        bands.click()
        page.get_by_role("option", name=band, exact=True).click()
    page.keyboard.press("Escape")  # close the bands' list
    settle(page)
    button = page.get_by_role("button", name=f"Download these {CUSTOMERS:,} as CSV")
    button.wait_for(timeout=120_000)  # every customer explained, the downloads built
    settle(page)
    shoot(page, "j9_log_list")
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    listed = pd.read_csv(saved, encoding="utf-8-sig", dtype={"Column A": str})
    assert len(listed) == CUSTOMERS and listed["Column A"].is_unique  # one row per customer
    assert list(listed.columns) == ["Column A", *AT_RISK_COLUMNS, LAPSED, LAST_ACTIVE]
    assert set(listed[LAPSED]) == {"Yes", "No"}
    assert (
        listed.loc[listed[LAPSED] == "No", "rank"].max()
        < listed.loc[listed[LAPSED] == "Yes", "rank"].min()
    )  # the lapsed are listed last, to win back

    page.get_by_role("tab", name="How good is the model").click()
    heading = page.get_by_role("heading", name="Against BG/NBD, which needs no training")
    heading.wait_for()
    heading.evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot(page, "j9_log_quality")

    for title in ("Explore", "Segments", "Score a customer", "Data"):
        go_to(page, title)
        settle(page)
        assert_no_exception(page)
        shoot(page, f"j9_log_{title.lower().replace(' ', '_')}")
    _go_home(page)
    settle(page)
    assert _metric(page, "Customers") == f"{CUSTOMERS:,}"
    assert_no_exception(page)
    shoot(page, "j9_log_home")

    go_to(page, "Retention & CLV")
    page.get_by_text("Customers likely still buying").wait_for()
    settle(page)
    assert _metric(page, "Customers likely still buying") == "1,926 of 2,357"
    page.get_by_text("customers seen on one day only").wait_for()
    assert _metric(page, "Revenue at risk") != "—"
    shoot(page, "j9_log_retention")
    trust = page.get_by_role("heading", name="Can these forecasts be trusted?")
    trust.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.get_by_text("Fitted on the log up to 30 September 1997 only").wait_for()
    page.get_by_text("Predicted and actual purchases over time").first.wait_for()
    page.get_by_text("Predicted and actual purchases, by past purchases").first.wait_for()
    assert_no_exception(page)
    shoot(page, "j9_log_retention_trust")
