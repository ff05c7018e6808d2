"""The Retention & CLV page on the sample and on odd uploads (AppTest): it never falls over."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.churn_core.card_issuer import make_card_issuer_customers

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/retention_clv.py"


def _open(upload: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    if upload is not None:
        at.switch_page("pages/data.py").run()
        at.file_uploader[0].set_value(("odd.csv", upload.encode(), "text/csv")).run()
        assert at.session_state["dataset"].name == "odd.csv"
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [c.value for c in at.caption] + [m.value for m in at.markdown]
    return "\n".join(str(p) for p in parts)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def sample_page() -> AppTest:
    return _open()


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_the_sample_shows_every_kpi_card_with_its_definition(sample_page: AppTest) -> None:
    metrics = _metrics(sample_page)
    assert metrics["Churn rate"] == "25.0%"
    assert metrics["Retention at 12 months"] == "82.4%"
    assert metrics["Median lifetime"] == "—"
    for name in ("Average CLV", "Total CLV", "Revenue at risk"):
        assert metrics[name] not in ("—", ""), name
    shown = _shown(sample_page)
    assert "Sum over current customers of churn probability x CLV." in shown
    assert "**Blank:** Fewer than half the customers have left" in shown
    assert "**High value, high risk:" in shown
    assert "Customers with Contract = Month-to-month leave" in shown


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_editing_the_margin_changes_clv_and_revenue_at_risk(sample_page: AppTest) -> None:
    before = _metrics(sample_page)
    margin = next(n for n in sample_page.number_input if n.label == "Margin %")
    margin.set_value(30).run()
    after = _metrics(sample_page)
    assert after["Average CLV"] != before["Average CLV"]
    assert after["Revenue at risk"] != before["Revenue at risk"]
    assert after["Churn rate"] == before["Churn rate"]


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_switching_the_group_reads_the_logrank_test_in_plain_words(sample_page: AppTest) -> None:
    sample_page.selectbox(key="retention_group").set_value("Contract").run()
    assert not sample_page.exception
    assert "The groups of Contract keep customers differently" in _shown(sample_page)


def test_a_file_without_durations_explains_what_is_needed_and_stays_up() -> None:
    at = _open(
        "Customer,Plan,Churn\n"
        + "".join(f"{i},{'ab'[i % 2]},{'YN'[i % 3 > 0]}\n" for i in range(40))
    )
    assert "Retention needs to know how long customers stayed" in _shown(at)
    assert "a tenure column (time as a customer, e.g. months) or a signup date" in _shown(at)


def test_negative_and_missing_tenures_are_reported_and_the_rest_is_used() -> None:
    rows = "".join(
        f"{i},{i % 30},{'Yes' if i % 4 == 0 else 'No'},{20 + i % 7}\n" for i in range(60)
    )
    at = _open("CustomerId,Tenure,Churn,MonthlyCharges\n" + rows + "60,-3,No,30\n61,,No,25\n")
    shown = _shown(at)
    assert "Tenure is negative for 1 customer (e.g. row 62)" in shown
    assert "Tenure is blank for 1 customer (e.g. row 63)" in shown
    assert "60 customers used" in shown


def test_a_file_where_nobody_left_draws_curves_and_says_why_kpis_are_blank() -> None:
    rows = "".join(f"{i},{i % 24 + 1},No,{20 + i % 5},{'ab'[i % 2]}\n" for i in range(50))
    at = _open("CustomerId,Tenure,Churn,MonthlyCharges,Plan\n" + rows)
    metrics = _metrics(at)
    assert metrics["Retention at 12 months"] == "100.0%"
    assert metrics["Median lifetime"] == "—"
    shown = _shown(at)
    assert "No customer has left yet, so a lifetime cannot be estimated." in shown
    assert "Revenue at risk, and who is both valuable and at risk, need one." in shown
    assert "Fix these on the Data page, then train" in shown  # one label value: cannot train


def test_a_bank_like_tenure_is_read_as_years_and_the_user_can_say_months() -> None:
    rows = "".join(
        f"{i},{i % 11},{'Yes' if i % 5 == 0 else 'No'},{'ab'[i % 2]}\n" for i in range(80)
    )
    at = _open("CustomerId,Tenure,Exited,Plan\n" + rows)
    assert "Tenure (read as years: whole numbers from 0 to 10, so most likely years)" in _shown(at)
    assert _metrics(at)["Retention at 12 months"] != "—"  # 10 years followed
    unit = next(box for box in at.selectbox if box.label == "Tenure counts")
    unit.set_value("months").run()
    assert not at.exception
    assert _metrics(at)["Retention at 12 months"] == "—"  # read as months: 10 at most
    assert "Tenure (read as months)" in _shown(at)


@pytest.fixture(scope="module")
def card_page() -> AppTest:
    """A card issuer's file: nobody in it is younger than 13 months (left truncation)."""
    return _open(make_card_issuer_customers(rows=3_000, seed=5).to_csv(index=False))


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_a_file_that_starts_late_says_so_above_blank_cards_with_what_it_can_measure(
    card_page: AppTest,
) -> None:
    info = card_page.info[0].value
    assert info.startswith("No customer in this file is younger than 13 months")
    assert "**What to do:** Nothing to do: each customer is counted from" in info
    metrics = _metrics(card_page)
    assert metrics["Retention at 12 months"] == "—"
    assert metrics["Median lifetime"] == "—"
    shown = _shown(card_page)
    assert re.search(
        r"Of customers still with you at month 13: \*\*\d+%\*\* still with you at month 24", shown
    )
    assert "**Blank:** No customer in this file is younger than 13 months" in shown
    assert "Customers who left before month 13 are not in this file, so the median" in shown
    assert "Of the customers still with you at month 13, still customers after 24 months" in shown
    assert "Months_on_book (read as months)" in shown  # its name says months: no caveat
    assert "its name does not say" not in shown
    assert not [w for w in card_page.warning if "younger than 13" in w.value]  # said once, above


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_what_makes_customers_leave_sooner_is_plain_words_with_ratios_for_analysts(
    card_page: AppTest,
) -> None:
    analysts = next(e for e in card_page.expander if e.label == "For analysts")
    behind = {m.value for m in [*analysts.markdown, *analysts.caption]}
    plain = "\n".join(m.value for m in card_page.markdown if m.value not in behind)
    assert "The clearest differences in how fast customers leave:" in plain
    assert "hazard" not in plain.lower()
    ratios = analysts.dataframe[0].value
    assert {"term", "hazard_ratio", "lower", "upper", "p"} <= set(ratios.columns)
    assert len(analysts.get("plotly_chart")) == 1  # the forest plot


def test_the_tenure_picker_offers_tenure_like_columns_and_a_choice_sets_the_role() -> None:
    at = _open()
    picker = next(s for s in at.selectbox if s.label == "Time as a customer is in")
    assert picker.value == "TenureMonths"
    assert picker.options[0] == "TenureMonths"
    assert not {"CustomerID", "Churned", "Email"} & set(picker.options)
    picker.set_value("LoginsLast30d").run()
    assert not at.exception
    assert at.session_state["dataset"].role_map()["LoginsLast30d"].value == "tenure"
    assert "Time as a customer from **LoginsLast30d" in _shown(at)


def test_a_file_the_model_cannot_score_offers_training_for_revenue_at_risk() -> None:
    sample = pd.read_csv(ROOT / "data" / "sample_customers.csv")
    renamed = sample.rename(columns={"Contract": "PlanTerm"}).head(1_500)
    at = _open(renamed.to_csv(index=False))
    shown = _shown(at)
    assert "No churn model has learned from **odd.csv**'s columns yet." in shown
    assert "Revenue at risk, and who is both valuable and at risk, need one." in shown
    assert [b for b in at.button if b.label == "Train on this data"]
    assert _metrics(at)["Revenue at risk"] == "—"
    assert "**Blank:** No churn model has learned from this data yet" in shown
    assert not at.error and "bundled" not in shown
