"""Every page on a log (AppTest): the bundled activity log from the Data page, the shared CDNOW
file as published, and the France invoice lines that BG/NBD cannot be fitted to.

The browser journey (upload, window, train, download, every page) is in
tests/browser/test_log_journey.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from churn_core import columns as col
from churn_core.logs import NO_ACTIVITY_NAME, P_ALIVE_NAME
from tests.app.test_pages import PAGES

ROOT = Path(__file__).resolve().parents[2]

#: Something each page shows only for a log.
LOG_FLOW = {
    "pages/home.py": "Active customers",
    "pages/data.py": "A log, not a customer table.",
    "pages/explore.py": "The rolled-up customers",
    "pages/segments.py": "The 2 segments",
    "pages/churn_risk.py": "Press **Train on this log**",
    "pages/score_customer.py": "Train one on this log on the **Churn risk** page first",
    "pages/retention_clv.py": "Customers likely still buying",
}


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()


def _with_sample_log() -> AppTest:
    at = _app().switch_page("pages/data.py").run()
    next(b for b in at.button if b.label == "Use the sample activity log").click().run()
    assert not at.exception
    return at


def _upload(path: Path) -> AppTest:
    at = _app().switch_page("pages/data.py").run()
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/plain")).run()
    assert not at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader]
    parts += [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    parts += [c.value for c in at.caption] + [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # markdown escapes aside


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def trained() -> AppTest:
    """The sample log, a model trained on it at the suggested window (30 days)."""
    at = _with_sample_log().switch_page("pages/churn_risk.py").run()
    next(b for b in at.button if b.label == "Train on this log").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", [p for p in PAGES if p in LOG_FLOW])  # the analysis pages
def test_every_page_shows_the_log_flow_before_any_training(page: str) -> None:
    at = _with_sample_log().switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert LOG_FLOW[page] in _texts(at)


def test_the_data_page_says_what_the_log_is_and_takes_a_window_and_a_role() -> None:
    at = _with_sample_log()
    text = _texts(at)
    assert "An event log: 30,805 rows for 993 customers from 1 July 2024 to 30 June 2026." in text
    roles = next(d.value for d in at.dataframe if "Why" in d.value.columns)
    assert roles.set_index("Column")["Role"].to_dict() == {
        "CustomerID": "Customer id",
        "Timestamp": "Date / time",
        "Event": "Event type",
        "Plan": "Plan level",
        "Amount": "Amount (money)",
        "SessionID": "Session",
    }
    assert "Suggested: 30 days. 4 returns in 5 come within 15 days" in text
    assert "no activity in the 30 days after a cutoff" in text
    at.button_group[0].set_value(60).run()
    assert not at.exception
    assert "no activity in the 60 days after a cutoff" in _texts(at)
    at.multiselect[0].set_value(["Cancel"]).run()
    assert "after a cutoff, or do Cancel in them" in _texts(at)
    at.selectbox(key="log_role_column").set_value("Plan").run()
    role_box = next(s for s in at.selectbox if s.label == "to")
    role_box.set_value("Ignored").run()
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception
    roles = next(d.value for d in at.dataframe if "Why" in d.value.columns).set_index("Column")
    assert roles.loc["Plan", "Role"] == "Ignored" and roles.loc["Plan", "Why"] == "you chose this"
    at.switch_page("pages/explore.py").run()  # the window and roles follow to every page
    assert not at.exception
    assert "each counted as churned when they did nothing in the 60 days after" in _texts(at)


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_the_churn_risk_list_has_one_row_per_customer_and_marks_the_lapsed(
    trained: AppTest,
) -> None:
    at = trained.switch_page("pages/churn_risk.py").run()
    assert not at.exception
    text = _texts(at)
    assert "993 customers as of 30 June 2026; 505 lapsed customers" in text
    assert "customers still active flagged" in text
    assert "Customer value: each customer's CLV from BG/NBD and Gamma-Gamma" in text
    at.radio(key="log_list_who").set_value("Everyone").run()
    at.multiselect(key="log_list_bands").set_value(list(col.RISK_BANDS)).run()
    assert not at.exception
    listed = next(d.value for d in at.dataframe if col.TOP_REASON_1 in d.value.columns)
    assert len(listed) == 993 and listed["CustomerID"].is_unique
    assert listed[col.LAPSED].value_counts().to_dict() == {"No": 488, "Yes": 505}
    assert (listed[col.CUSTOMER_VALUE] >= 0).all()
    assert [b.proto.label for b in at.get("download_button")] == [
        "Download these 993 as CSV",
        "Download these 993 as Excel",
    ]


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_the_models_quality_stands_beside_the_baseline_and_bgnbd(trained: AppTest) -> None:
    at = trained.switch_page("pages/churn_risk.py").run()
    board = next(d.value for d in at.dataframe if "Cross-validated ROC-AUC" in d.value.columns)
    assert board["Model"].tolist()[-2:] == [P_ALIVE_NAME, NO_ACTIVITY_NAME]
    text = _texts(at)
    assert "1 - P(alive)**: ROC-AUC 0.66 against the model's 0.87: the model does better" in text
    assert "no activity in the window**: ROC-AUC 0.82 against the model's 0.87" in text


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_score_a_customer_asks_for_the_rolled_up_columns(trained: AppTest) -> None:
    at = trained.switch_page("pages/score_customer.py").run()
    assert not at.exception
    labels = [n.label for n in at.number_input]
    assert {"Days since last activity", "Active days", "Support complaint events"} <= set(labels)
    at.radio(key="score_start").set_value("A customer from your data").run()
    assert not at.exception
    assert "in sample_activity_log.csv (customers)" in _texts(at)


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_retention_shows_the_btyd_cards_the_caveat_and_the_holdout_check(
    trained: AppTest,
) -> None:
    at = trained.switch_page("pages/retention_clv.py").run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Customers likely still buying"] == "613 of 887"
    assert metrics["Active customers"] == "488" and metrics["Repeat rate"] == "96%"
    assert metrics["Revenue at risk"] != "—"  # a model trained on this log values the list
    text = _texts(at)
    assert "It includes all 123 customers seen on one day only" in text
    assert "Fitted on the log up to 1 July 2025 only, then compared with" in text
    assert "Best customers gone quiet" in text
    at.number_input[0].set_value(30).run()  # margin 60 % -> 30 %: CLV halves
    assert float(_metrics(at)["Average CLV"].replace(",", "")) == pytest.approx(
        float(metrics["Average CLV"].replace(",", "")) / 2, abs=1
    )


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_home_and_segments_count_customers_not_lines(trained: AppTest) -> None:
    at = trained.switch_page("pages/home.py").run()
    assert _metrics(at)["Customers"] == "993" and _metrics(at)["Active customers"] == "488"
    assert "Logistic regression. Catches " in _texts(at)  # plain words, no ROC-AUC
    at.switch_page("pages/segments.py").run()
    assert not at.exception
    assert at.multiselect[0].value == [
        "Days since last activity",
        "Days since first activity",
        "Active days",
        "Total spend",
        "Average monthly spend",
    ]
    assert "Churn rate" in _metrics(at)  # a segment's share of lapsed customers


def test_the_cdnow_file_as_published_works_on_every_page(shared_data: Path) -> None:
    at = _upload(shared_data / "cdnow_sample" / "CDNOW_sample.txt")
    assert "A transaction log: 6,919 rows for 2,357 customers" in _texts(at)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    metrics = _metrics(at.switch_page("pages/retention_clv.py").run())
    assert metrics["Customers likely still buying"] == "1,926 of 2,357"
    assert "Fitted on the log up to 30 September 1997 only" in _texts(at)


def test_invoice_lines_bgnbd_cannot_fit_get_clv_from_monthly_spend(shared_data: Path) -> None:
    at = _upload(shared_data / "online_retail_france" / "france.csv")
    at.switch_page("pages/retention_clv.py").run()
    assert not at.exception
    text = _texts(at)
    assert "The purchase models (BG/NBD and Gamma-Gamma) could not be fitted to this log" in text
    assert _metrics(at)["Average CLV"] != "—"
    assert "Customers likely still buying" not in _metrics(at)
    frame = pd.read_csv(shared_data / "online_retail_france" / "france.csv")
    assert _metrics(at)["Active customers"] == "52" and frame["CustomerID"].nunique() == 87


def test_the_windows_are_compared_side_by_side_on_demand(shared_data: Path) -> None:
    at = _upload(shared_data / "online_retail_france" / "france.csv")
    assert not any("Churn rate" in d.value.columns for d in at.dataframe)  # no work unasked
    next(b for b in at.button if b.label == "Compare the windows").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Churn rate" in d.value.columns)
    assert table["Window (days)"].tolist() == [30, 60, 90, 180]
    assert table["Note"].iloc[1] == "the suggested window"
    assert table["Note"].iloc[3].startswith("The log covers 374 days")
    assert "Churn is " in _texts(at) and "the shorter the window" in _texts(at)
    at.switch_page("pages/home.py").run().switch_page("pages/data.py").run()
    assert any("Churn rate" in d.value.columns for d in at.dataframe)  # kept for the session


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_a_customer_in_the_list_opens_in_score_a_customer(trained: AppTest) -> None:
    at = trained.switch_page("pages/churn_risk.py").run()
    next(b for b in at.button if b.label == "Open in Score a customer to try what-ifs").click()
    at.run()
    assert not at.exception
    assert at.radio(key="score_start").value == "A customer from your data"
    assert [t.value for t in at.title] == ["Score a customer"]
