"""Journey J1 in a real Chromium: upload on Data, check and change roles, explore the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import start_server, stop_server
from tests.browser.steps import assert_no_exception, choose, go_to, menu, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_upload_check_roles_change_one_and_explore(page, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    bank = shared_data / "bank_churn" / "Churn_Modelling.csv"
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(bank))
    page.get_by_text("Churn_Modelling.csv: 10,000 rows x 14 columns").wait_for()

    summary = page.get_by_test_id("stMarkdown").filter(has_text="Found:").first
    # The rerun after an upload can still be drawing the previous file's summary: wait for it.
    expect(summary).to_contain_text("Exited says who left", timeout=60_000)
    expect(summary).to_contain_text("CustomerId identifies customers")
    expect(summary).to_contain_text("ignored (RowNumber, Surname)")
    shoot(page, "j1_data_roles")

    choose(page, "Change the role of", "Geography")
    choose(page, "to", "Ignored")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("ignored (RowNumber, Surname, Geography)").wait_for()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Churn label: Exited")
    assert_no_exception(page)
    shoot(page, "j1_data_role_changed")

    go_to(page, "Explore")
    charts = page.locator(".js-plotly-plot")
    charts.nth(5).wait_for()  # column pair, four comparisons, correlations, missing map...
    page.get_by_text(
        "Not shown (ignored on the Data page): RowNumber, Surname, Geography"
    ).wait_for()
    assert page.get_by_text("Churn rate by Gender").count() >= 1
    assert_no_exception(page)
    shoot(page, "j1_explore")

    go_to(page, "Data")  # the uploaded file is still in the uploader: the sample must win
    page.get_by_role("button", name="Use the sample data").click()
    page.get_by_text("sample_customers.csv: 5,000 rows x 15 columns").wait_for()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("sample_customers.csv")


def test_a_bad_upload_lists_its_problems_and_the_app_stays_up(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.csv"
    bad.write_text("CustomerID,Churn,Plan\n1,Yes,Basic\n2,No,Pro,extra\n3,No,Pro,more\n")
    go_to(page, "Data")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("2 rows of broken.csv have more values than the 3 column names").wait_for()
    page.get_by_text("Still using").wait_for()
    shoot(page, "j1_bad_upload")
    go_to(page, "Explore")
    page.locator(".js-plotly-plot").first.wait_for()
    assert_no_exception(page)


def test_a_deep_link_on_a_fresh_server_opens_the_page_inside_the_app(browser) -> None:  # type: ignore[no-untyped-def]
    server, url = start_server()
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        tab = context.new_page()
        tab.goto(f"{url}/explore")
        tab.get_by_role("heading", name="Explore", exact=True).wait_for(timeout=30_000)
        assert menu(tab).filter(has_text="Score a customer").count() == 1
        assert "Dataset" in tab.get_by_test_id("stSidebar").inner_text()
        context.close()
    finally:
        stop_server(server)
