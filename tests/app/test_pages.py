"""Every page runs on the bundled sample, and the Data page survives bad uploads (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "pages/home.py",
    "pages/data.py",
    "pages/explore.py",
    "pages/segments.py",
    "pages/churn_risk.py",
    "pages/score_customer.py",
    "pages/retention_clv.py",
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
