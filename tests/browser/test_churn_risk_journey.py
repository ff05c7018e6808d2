"""Journeys J2 and J3 in Chromium: train on an upload, choose a capacity, download the list."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.columns import (
    AT_RISK_COLUMNS,
    CHURN_PROBABILITY,
    RANK,
    RECOMMENDED_ACTION,
    TOP_REASON_1,
)
from tests.browser.conftest import open_tab
from tests.browser.steps import assert_no_exception, go_to, settle, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_train_on_an_upload_pick_a_capacity_and_download_the_at_risk_list(  # type: ignore[no-untyped-def]
    browser, own_app_url: str, shared_data: Path, tmp_path: Path
) -> None:
    with open_tab(browser, own_app_url) as page:  # a server of its own: the bank is trained on
        page.get_by_role("heading", name="Churn Workbench").wait_for()
        _journey(page, shared_data, tmp_path)


def _journey(page, shared_data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bank = shared_data / "bank_churn" / "Churn_Modelling.csv"  # a file the app never trained on
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(bank))
    page.get_by_text("Churn_Modelling.csv: 10,000 rows x 14 columns").wait_for()

    go_to(page, "Churn risk")
    page.get_by_text("No churn model has learned from Churn_Modelling.csv").wait_for()
    page.get_by_role("button", name="Train on this data").click()
    page.get_by_text("Trained: Gradient boosting. Catches ").wait_for(timeout=120_000)
    assert_no_exception(page)

    page.get_by_role("tab", name="How good is the model").click()
    page.get_by_text(re.compile(r"^Catches \d+ of 10 leavers in its riskiest 20 %")).wait_for()
    page.get_by_text("For analysts").click()  # the numbers and charts behind the sentence
    page.get_by_text("One-rule baseline (AUC").first.wait_for()  # the ROC legend
    # risk, ROC, gains, PR, calibration, 2x2: wait, on a busy machine charts appear one by one
    page.locator(".js-plotly-plot").nth(5).wait_for(timeout=60_000)
    shoot(page, "j2_model_quality")

    page.get_by_role("tab", name="At-risk customers").click()
    page.get_by_text("We can contact a fixed number").click()
    settle(page)
    capacity = page.get_by_label("How many customers can your team contact?")
    capacity.fill("100")
    capacity.press("Enter")
    settle(page)
    page.get_by_text("100 customers flagged. This list of 100 holds about").wait_for()
    shoot(page, "j3_at_risk_list")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download these 100 as CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("at_risk_customers_churn_modelling_")

    at_risk = pd.read_csv(saved, encoding="utf-8-sig")
    uploaded = pd.read_csv(bank)
    assert len(at_risk) == 100
    assert list(at_risk.columns) == ["CustomerId", *AT_RISK_COLUMNS]
    assert set(at_risk["CustomerId"]) <= set(uploaded["CustomerId"])
    p = at_risk[CHURN_PROBABILITY].to_numpy()
    assert ((p >= 0) & (p <= 1)).all()
    assert at_risk[RANK].tolist() == list(range(1, 101))
    assert (np.diff(p) <= 1e-9).all()  # no revenue column: ranked by probability
    # All 100 are flagged: each has reasons in the file's own names, and an action.
    assert at_risk[TOP_REASON_1].str.match(r"^\w+ is .+ \(\+[\d.]+ pts\)$").all()
    assert at_risk[RECOMMENDED_ACTION].str.len().gt(10).all()
    reason_columns = at_risk[TOP_REASON_1].str.split(" is ").str[0]
    assert set(reason_columns) <= set(uploaded.columns)
    assert_no_exception(page)

    # Why: the first customer's waterfall under the list, and the drivers tab.
    first = at_risk["CustomerId"].iloc[0]
    page.get_by_text(f"Why CustomerId {first} is at high risk").wait_for()
    page.get_by_text("What raises their risk").wait_for()
    page.get_by_role("tab", name="Why customers leave").click()
    page.get_by_text("What drives churn risk").first.wait_for()
    page.get_by_text("How each column's values move risk").first.wait_for()
    shoot(page, "j3_why_customers_leave")
    assert_no_exception(page)
