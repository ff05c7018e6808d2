"""A list ready to hand over, in Chromium: one band of the list, a column of the user's own
carried in, money in euros; the Excel download has readable headers, ranks 1..n and an "About
this list" sheet, and the CSV keeps the list's own column names."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from churn_core.columns import AT_RISK_COLUMNS, MEDIUM, RANK, RISK_BAND
from churn_core.io.export import ABOUT_SHEET
from tests.browser.steps import assert_no_exception, go_to, settle, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def pick(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Add ``option`` to the Streamlit multiselect labelled ``label``."""
    settle(page)
    page.get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)


def unpick(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Remove ``option`` from the Streamlit multiselect labelled ``label`` (its chip's x)."""
    box = page.get_by_test_id("stMultiSelect").filter(has_text=label)
    box.get_by_role("button", name=f"Remove {option}").first.click()
    settle(page)


def download(page, name: str, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    with page.expect_download() as started:
        page.get_by_role("button", name=name).click()
    saved = folder / started.value.suggested_filename
    started.value.save_as(saved)
    return saved


def test_a_band_of_the_list_with_a_carried_column_downloads_ready_to_hand_over(  # type: ignore[no-untyped-def]
    page, tmp_path: Path
) -> None:
    go_to(page, "Churn risk")  # the sample and its bundled model
    page.get_by_text("customers flagged. This list of").wait_for(timeout=120_000)
    pick(page, "Show risk bands", MEDIUM)
    unpick(page, "Show risk bands", "High")
    pick(page, "Add your own columns to the list", "Email")
    currency = page.get_by_role("textbox", name="Currency")
    currency.fill("EUR")
    currency.press("Enter")
    settle(page)
    caption = page.get_by_text(re.compile(r"^[\d,]+ customers\. Ranked by expected value at risk"))
    caption.wait_for(timeout=60_000)
    rows = int(caption.inner_text().split()[0].replace(",", ""))
    shoot(page, "handover_medium_band_with_email")
    assert_no_exception(page)

    excel = download(page, f"Download these {rows:,} as Excel", tmp_path)
    book = load_workbook(excel)
    assert book.sheetnames == ["At-risk customers", ABOUT_SHEET]
    listed = book["At-risk customers"]
    header = [cell.value for cell in listed[1]]
    assert header[:6] == [
        "CustomerID",
        "Rank",
        "Churn probability",
        "Risk band",
        "Expected value at risk (EUR)",
        "Customer value (EUR)",
    ]
    assert header[-2:] == ["Recommended action", "Email"]
    body = pd.DataFrame(list(listed.iter_rows(min_row=2, values_only=True)), columns=header)
    assert len(body) == rows
    assert body["Rank"].tolist() == list(range(1, rows + 1))  # 1..n though High ones sit above
    assert set(body["Risk band"]) == {MEDIUM}
    assert body["Email"].str.endswith("@example.com").all()
    assert listed.cell(2, 3).number_format.endswith("%")  # probabilities read as percents
    about = dict(book[ABOUT_SHEET].iter_rows(min_row=2, values_only=True))
    assert about["Data"] == "sample_customers.csv"
    assert about["Customers in this list"] == f"{rows:,} (Medium band only)"
    assert about["Currency"] == "EUR"
    assert about["Order"].startswith("Ranked by expected value at risk")
    assert about["Model quality"].startswith("Catches ")
    assert "already left" in about["Not in the list"]

    csv = pd.read_csv(download(page, f"Download these {rows:,} as CSV", tmp_path))
    assert list(csv.columns) == ["CustomerID", *AT_RISK_COLUMNS, "Email"]
    assert csv[RANK].tolist() == list(range(1, rows + 1))
    assert set(csv[RISK_BAND]) == {MEDIUM}
    assert csv["CustomerID"].tolist() == body["CustomerID"].tolist()
    assert_no_exception(page)
