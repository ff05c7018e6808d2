"""Journey J5 (retention part) in Chromium: curves by group, and CLV that follows the margin."""

from __future__ import annotations

import pytest

from tests.browser.steps import assert_no_exception, choose, go_to, settle, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _metric(page, label: str) -> str:  # type: ignore[no-untyped-def]
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    return str(card.get_by_test_id("stMetricValue").inner_text())


def test_open_retention_switch_the_group_and_edit_the_margin(page) -> None:  # type: ignore[no-untyped-def]
    go_to(page, "Retention & CLV")
    page.get_by_text("Sum over current customers of churn probability x CLV.").wait_for()
    settle(page)
    assert _metric(page, "Retention at 12 months") == "82.4%"
    clv, at_risk = _metric(page, "Average CLV"), _metric(page, "Revenue at risk")
    assert clv != "—" and at_risk != "—"
    page.get_by_text("High value, high risk:").first.wait_for()
    assert page.get_by_role("link", name="See them in the at-risk list").count() == 1
    shoot(page, "j5_retention_overview")

    choose(page, "Compare groups by", "Contract")
    page.get_by_text("The groups of Contract keep customers differently").wait_for()
    page.get_by_text("Retention by Contract").first.wait_for()
    assert_no_exception(page)

    margin = page.get_by_role("spinbutton", name="Margin %")
    margin.fill("30")
    margin.press("Enter")
    settle(page)
    page.get_by_text("30% margin, 10% a year discount, 36-month horizon").wait_for()
    new_clv, new_at_risk = _metric(page, "Average CLV"), _metric(page, "Revenue at risk")
    assert new_clv != clv and new_at_risk != at_risk
    # Half the margin halves every CLV, and so revenue at risk (up to rounding).
    assert float(new_clv.replace(",", "")) == pytest.approx(float(clv.replace(",", "")) / 2, abs=1)
    assert_no_exception(page)
    shoot(page, "j5_retention_by_contract_margin_30")
    page.get_by_role(
        "heading", name="What current customers are worth"
    ).scroll_into_view_if_needed()
    shoot(page, "j5_retention_value")
    cohorts = page.get_by_role("heading", name="Retention by signup month")
    cohorts.evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot(page, "j5_retention_cohorts")
