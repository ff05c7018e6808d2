"""Journey J8 in Chromium: the monthly loop on the real bank file split into two months.

April (a random half, with ``Exited``) trains the model in use; May (the other half, without
the label) is scored and kept as this month's list; a month later the CRM's file says who of
May's customers left; the track record, drift and the summary for the boss follow, and Home
shows the track record beside the held-out figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.workspace import list_at_risk_lists, load_at_risk_list, open_workspace
from tests.browser.conftest import WORKSPACES, open_tab
from tests.browser.steps import assert_no_exception, go_to, menu, settle, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TALL = {"width": 1400, "height": 6200}  # the whole Monitoring page in one screenshot


@pytest.fixture
def months(shared_data: Path, tmp_path: Path) -> dict[str, Path]:
    """April with the label, May without it, and May's outcomes a month later."""
    bank = pd.read_csv(shared_data / "bank_churn" / "Churn_Modelling.csv")
    order = np.random.default_rng(14).permutation(len(bank))
    april, may = bank.iloc[np.sort(order[:5000])], bank.iloc[np.sort(order[5000:])]
    paths = {
        "april": tmp_path / "bank_april.csv",
        "may": tmp_path / "bank_may.csv",
        "outcomes": tmp_path / "bank_may_who_left.csv",
    }
    april.to_csv(paths["april"], index=False)
    may.drop(columns=["Exited"]).to_csv(paths["may"], index=False)
    may[["CustomerId", "Exited"]].to_csv(paths["outcomes"], index=False)
    # June: May's customers ten years older, and a fifth of them moved from France to Germany.
    june = may.drop(columns=["Exited"]).assign(Age=may["Age"] + 10)
    moved = june.index[june["Geography"] == "France"][: len(june) // 5]
    june.loc[moved, "Geography"] = "Germany"
    paths["june"] = tmp_path / "bank_june.csv"
    june.to_csv(paths["june"], index=False)
    return paths


def _upload(tab, path: Path, rows: str) -> None:  # type: ignore[no-untyped-def]
    go_to(tab, "Data")
    tab.locator("input[type=file]").set_input_files(str(path))
    tab.get_by_text(f"{path.name}: {rows} rows x ").first.wait_for(timeout=120_000)
    settle(tab)


def _tall_shot(tab, name: str) -> Path:  # type: ignore[no-untyped-def]
    tab.set_viewport_size(TALL)
    settle(tab)
    path = shoot(tab, name)
    tab.set_viewport_size({"width": 1400, "height": 2600})
    return path


def test_the_monthly_loop_from_a_new_month_to_the_summary_for_the_boss(  # type: ignore[no-untyped-def]
    browser, own_app_url: str, months: dict[str, Path], tmp_path: Path
) -> None:
    with open_tab(browser, own_app_url) as tab:
        settle(tab)
        _upload(tab, months["april"], "5,000")
        go_to(tab, "Churn risk")
        tab.get_by_role("button", name="Train on this data").click()
        tab.get_by_text("Trained: ").wait_for(timeout=300_000)
        settle(tab)

        _upload(tab, months["may"], "5,000")  # this month's customers: no label yet
        go_to(tab, "Monitoring")
        tab.get_by_text("bank_may.csv scored with the model in use: 5,000 customers").wait_for()
        assert tab.get_by_text("1 problem to fix on the Data page").count() == 0
        tab.get_by_role("button", name="Keep as this month's list").click()
        tab.get_by_text("Kept in the workspace as this month's list").wait_for()
        assert_no_exception(tab)
        _tall_shot(tab, "j8_monitoring_month_kept")

        # A month later: who of May's customers left.
        tab.locator("input[type=file]").set_input_files(str(months["outcomes"]))
        tab.get_by_text("Exited in bank_may_who_left.csv says who left").wait_for(timeout=60_000)
        settle(tab)
        workspace = open_workspace(folder=WORKSPACES[own_app_url])
        try:
            (kept,) = list_at_risk_lists(workspace)
            _, rows = load_at_risk_list(workspace, kept.id)
        finally:
            workspace.close()
        outcomes = pd.read_csv(months["outcomes"])
        key = kept.id_column  # ids kept as text, as a person writes them
        joined = rows.astype({key: str}).merge(outcomes.astype({key: str}), on=key)
        flagged = joined[joined[col.RISK_BAND] == "High"]
        left = int(flagged["Exited"].sum())
        precision = left / len(flagged)
        metrics = tab.get_by_test_id("stMetric")
        assert f"{len(flagged):,}" in metrics.filter(has_text="Flagged customers").inner_text()
        assert f"{left:,}" in metrics.filter(has_text="Actually left").inner_text()
        assert f"{precision:.0%}" in metrics.filter(has_text="Flagged who left").inner_text()

        tab.get_by_role("button", name="Compare with the training data").click()
        tab.get_by_text("Columns that changed").wait_for(timeout=120_000)
        settle(tab)
        assert_no_exception(tab)
        _tall_shot(tab, "j8_monitoring_checked_and_drift")

        tab.get_by_role("button", name="Prepare the summary").click()
        button = tab.get_by_role("button", name="Download the summary (HTML)")
        button.wait_for(timeout=120_000)
        with tab.expect_download() as download:
            button.click()
        saved = tmp_path / "summary.html"
        download.value.save_as(saved)
        html = saved.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert "Churn summary: bank_may.csv" in html
        assert f"Of the {len(flagged):,} flagged, {left:,} left" in html
        assert f"precision {precision:.0%}" in html
        assert "Have the customers changed?" in html
        assert "Should we retrain?" in html
        assert "<script" not in html
        boss = tab.context.new_page()  # as the boss sees it, opened from the e-mail
        boss.set_viewport_size({"width": 1000, "height": 2400})
        boss.set_content(html)
        shoot(boss, "j8_summary_for_the_boss")
        boss.close()

        menu(tab).and_(tab.get_by_role("link", name="Home", exact=True)).click()
        tab.get_by_role("heading", name="Churn Workbench", exact=True).wait_for()
        tab.get_by_text("Track record").first.wait_for()
        home = tab.get_by_test_id("stMetric").filter(has_text="Flagged who left (last list)")
        assert f"{precision:.0%}" in home.inner_text()
        assert tab.get_by_test_id("stMetric").filter(has_text="held-out, at training").count()
        assert_no_exception(tab)
        _tall_shot(tab, "j8_home_track_record")

        # June, with a planted shift: who moved since May's list, drift named, retrain advised.
        _upload(tab, months["june"], "5,000")
        go_to(tab, "Monitoring")
        tab.get_by_text("Who moved since the list of").wait_for()
        tab.get_by_text("Columns that changed").wait_for(timeout=120_000)  # asked before
        settle(tab)
        page = tab.get_by_test_id("stMain").inner_text()
        assert "The median Age moved from" in page
        assert "Time to train a challenger on newer data." in page
        assert "bank_june.csv does not say who left (Exited)" in page
        assert_no_exception(tab)
        _tall_shot(tab, "j8_monitoring_planted_shift")
