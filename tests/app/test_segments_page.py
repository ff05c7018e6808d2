"""The Segments page on the sample and on awkward uploads (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _segments_page(upload: bytes | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if upload is not None:
        at.switch_page("pages/data.py").run()
        at.file_uploader[0].set_value(("odd.csv", upload, "text/csv")).run()
    at.switch_page("pages/segments.py").run()
    assert not at.exception, at.exception
    return at


def _cards(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value[:6]]


@pytest.fixture(scope="module")
def sample_page() -> AppTest:
    return _segments_page()


def test_the_sample_gets_a_recommendation_charts_cards_and_a_download(sample_page: AppTest) -> None:
    at = sample_page
    texts = [m.value for m in at.markdown]
    assert any(
        t.startswith("**Recommended: 5 segments**, because that is where the elbow") for t in texts
    )
    assert len(_cards(at)) == 5
    assert _cards(at)[0] == "**1. New**"
    assert sum(t.startswith("**Play:**") for t in texts) == 5
    assert [m.label for m in at.metric][:2] == ["Churn rate", "Avg MonthlyCharges"]
    assert at.get("download_button")[0].proto.label == "Download each customer's segment (CSV)"
    assert len(at.get("plotly_chart")) == 6  # silhouette, elbow, churn, revenue, heatmap, map


def test_choosing_another_k_redraws_the_cards(sample_page: AppTest) -> None:
    at = sample_page
    at.button_group[0].set_value(3).run()
    assert not at.exception
    assert len(_cards(at)) == 3
    choice = at.session_state["segment_choice"]
    assert choice.k == 3 and len(choice.numeric) == 6


def test_dropping_every_number_column_says_what_to_do(sample_page: AppTest) -> None:
    at = sample_page
    at.multiselect[0].set_value([]).run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "No number columns were chosen" in errors
    assert "**What to do:** Choose at least one number column." in errors


def test_a_file_with_blanks_and_no_label_still_gets_segments() -> None:
    rows = ["Account,Spend,Visits,Tickets"]
    rows += [f"A{i},{'' if i % 7 == 0 else 10 + (i % 5) * 20},{i % 9},{i % 3}" for i in range(60)]
    at = _segments_page("\n".join(rows).encode())
    warnings = "\n".join(w.value for w in at.warning)
    assert "Spend is blank for 9 customers" in warnings
    assert any("No churn label" in i.value for i in at.info)
    assert _cards(at)


def test_a_file_without_number_columns_says_so() -> None:
    at = _segments_page(b"Account,Plan\nA,Basic\nB,Pro\nC,Basic\n")
    errors = "\n".join(e.value for e in at.error)
    assert "This data has no number columns that describe customers" in errors


def test_a_file_too_small_to_segment_explains_why() -> None:
    at = _segments_page(b"Account,Spend,Visits\nA,10.5,3\nB,12.25,4\n")
    errors = "\n".join(e.value for e in at.error)
    assert "Segments need at least 3 customers who differ" in errors
