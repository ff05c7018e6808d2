"""Every page runs on the bundled sample, and the Data page survives bad uploads (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from churn_core.io import MAX_UPLOAD_MB

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "pages/home.py",
    "pages/data.py",
    "pages/explore.py",
    "pages/segments.py",
    "pages/churn_risk.py",
    "pages/score_customer.py",
    "pages/retention_clv.py",
    "pages/monitoring.py",
    "pages/workspace.py",
]


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown]
        + [e.value for e in at.error]
        + [w.value for w in at.warning]
        + [i.value for i in at.info]
        + [t.value for t in at.title]
    )
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_sample_without_an_exception(page: str) -> None:
    at = _app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"


def test_home_shows_the_headline_numbers_of_the_sample() -> None:
    at = _app().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers"] == "5,000"
    assert metrics["Churn rate"] == "25.0%"
    assert "Monthly revenue (active)" in metrics


def test_data_page_lists_every_problem_of_a_bad_upload_and_keeps_the_sample() -> None:
    at = _app().run()
    at.switch_page("pages/data.py").run()
    bad = b"Customer,Churn\n1,Yes\n2,No,extra\n3,No,more\n"
    at.file_uploader[0].set_value(("bad.csv", bad, "text/csv")).run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "2 rows of bad.csv have more values than the 2 column names" in errors
    assert "Still using **sample_customers.csv**" in _texts(at) + "".join(
        c.value for c in at.caption
    )


def test_data_page_reads_an_upload_and_applies_a_changed_role() -> None:
    at = _app().run()
    at.switch_page("pages/data.py").run()
    csv = (ROOT / "data" / "sample_customers.csv").read_bytes()
    at.file_uploader[0].set_value(("mine.csv", csv, "text/csv")).run()
    assert not at.exception
    assert any("mine.csv: 5,000 rows x 15 columns" in s.value for s in at.subheader)
    assert at.session_state["dataset"].source == "upload"


def _upload(at: AppTest, name: str, raw: bytes) -> None:
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value((name, raw, "text/csv")).run()


def test_home_and_the_sidebar_give_the_models_quality_in_words() -> None:
    at = _app().run()
    text = _texts(at)
    assert "**Model in use** (the bundled model, trained on the sample data): Logistic" in text
    assert "Catches 5 of 10 leavers in its riskiest 20 %" in text
    sidebar = "\n".join(
        [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    )
    assert "Catches 5 of 10 leavers" in sidebar
    assert "ROC-AUC" not in text + sidebar


def test_after_an_upload_the_model_does_not_fit_nothing_of_it_shows_on_home_or_sidebar() -> None:
    at = _app().run()
    _upload(
        at, "cards.csv", (ROOT / "tests" / "data" / "bad" / "attrited_customer.csv").read_bytes()
    )
    at.switch_page("pages/home.py").run()
    assert not at.exception
    text = _texts(at)
    assert "No churn model has learned from **cards.csv**'s columns yet." in text
    assert "Model in use" not in text
    sidebar = "\n".join(
        [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    )
    assert "No model for this data yet: train one on the Churn risk page." in sidebar
    assert "bundled" not in sidebar and "Logistic" not in sidebar


def test_the_data_page_has_a_guide_a_template_and_the_apps_own_upload_limit() -> None:
    at = _app().run()
    at.switch_page("pages/data.py").run()
    guide = next(e for e in at.expander if e.label == "How to prepare your file")
    text = "\n".join(m.value for m in guide.markdown)
    assert "- **Churned** is read as *Churn label (what we predict)*" in text
    assert "**Left out on purpose**" in text
    assert guide.get("download_button")[0].proto.label == "Download the template (CSV)"
    assert (
        at.file_uploader[0].label
        == f"Your customer file: CSV, TSV or Excel, up to {MAX_UPLOAD_MB} MB"
    )
