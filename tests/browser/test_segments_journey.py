"""Journey J5 (segments) in Chromium: upload, open Segments, change k, download the assignments."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from churn_core.datasets.customers import write_customers
from tests.browser.steps import assert_no_exception, go_to, settle, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _cards(page):  # type: ignore[no-untyped-def]
    """The card titles, in order ("1. New", ...)."""
    return (
        page.get_by_test_id("stMarkdown").locator("strong").filter(has_text=re.compile(r"^\d+\. "))
    )


def test_segment_an_upload_change_k_and_download_the_assignments(  # type: ignore[no-untyped-def]
    page, tmp_path: Path
) -> None:
    upload = write_customers(tmp_path / "crm_export.csv", rows=3000, seed=11)
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("crm_export.csv: 3,000 rows x 15 columns").wait_for()

    go_to(page, "Segments")
    page.get_by_text("Recommended:").wait_for(timeout=60_000)
    settle(page)
    recommended = int(page.get_by_text("Recommended:").inner_text().split()[1])  # "5 segments"
    expect(_cards(page)).to_have_count(recommended, timeout=60_000)
    for analysts in page.get_by_text("For analysts", exact=True).all():
        analysts.click()  # silhouette and elbow; the heatmap and the map of customers
        settle(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(6, timeout=60_000)
    assert page.get_by_text("How clearly separate the segments are").count() == 1
    assert page.get_by_text("Churn rate by segment").count() == 1
    assert_no_exception(page)
    shoot(page, "j5_segments_recommended")

    other = 3 if recommended != 3 else 4
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name=str(other), exact=True).click()
    settle(page)
    page.get_by_text(f"The {other} segments").wait_for()
    expect(_cards(page)).to_have_count(other, timeout=60_000)
    settle(page)
    names = _cards(page).all_inner_texts()
    expect(page.get_by_text(f"your choice: {other}")).to_have_count(
        2, timeout=60_000
    )  # on both k charts
    legend = page.locator(".js-plotly-plot .legendtext").evaluate_all(
        "texts => texts.map(t => t.textContent)"
    )
    assert [n.split(". ", 1)[1] for n in names] == legend  # the map's legend follows the cards
    assert_no_exception(page)
    shoot(page, "j5_segments_changed_k")
    page.get_by_text("Retention plays: how they are chosen").click()
    page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
    shoot(page, "j5_segments_profile_and_map")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download each customer's segment (CSV)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "segments_crm_export.csv"
    assignments = pd.read_csv(saved, encoding="utf-8-sig")
    customers = pd.read_csv(upload)
    assert list(assignments.columns) == ["CustomerID", "segment"]
    assert assignments["CustomerID"].tolist() == customers["CustomerID"].tolist()
    assert set(assignments["segment"]) == {n.split(". ", 1)[1] for n in names}
