"""The Segments page on the sample and on awkward uploads (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"


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


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_the_sample_gets_a_recommendation_charts_cards_and_a_download(sample_page: AppTest) -> None:
    at = sample_page
    texts = [m.value for m in at.markdown]
    assert "**Recommended: 5 segments: more than 5 would tell little more" in "\n".join(texts)
    assert len(_cards(at)) == 5
    assert _cards(at)[0] == "**1. New**"
    assert sum(t.startswith("**Play:**") for t in texts) == 5
    assert [m.label for m in at.metric][:2] == ["Churn rate", "Avg MonthlyCharges"]
    assert at.get("download_button")[0].proto.label == "Download each customer's segment (CSV)"
    assert len(at.get("plotly_chart")) == 6  # silhouette, elbow, churn, revenue, heatmap, map


@pytest.mark.module_workspace  # uses the module's app (its workspace)
def test_choosing_another_k_redraws_the_cards(sample_page: AppTest) -> None:
    at = sample_page
    at.button_group[0].set_value(3).run()
    assert not at.exception
    assert len(_cards(at)) == 3
    choice = at.session_state["segment_choice"]
    assert choice.k == 3 and len(choice.numeric) == 6


@pytest.mark.module_workspace  # uses the module's app (its workspace)
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


def test_the_plain_reading_comes_first_and_the_measures_sit_behind_for_analysts() -> None:
    at = _segments_page()
    analysts = [e for e in at.expander if e.label == "For analysts"]
    assert len(analysts) == 2  # how many segments; what sets them apart
    behind = {m.value for e in analysts for m in [*e.markdown, *e.caption]}
    plain = "\n".join(m.value for m in [*at.markdown, *at.caption] if m.value not in behind)
    for word in ("silhouette", "elbow", "z-score", "PCA", "KMeans"):
        assert word.lower() not in plain.lower(), word
    assert "that is where the elbow chart bends" in "\n".join(behind)
    charts = [len(e.get("plotly_chart")) for e in analysts]
    assert charts == [2, 2]  # silhouette and elbow; the heatmap and the map


def test_the_sample_model_fits_so_no_training_is_offered() -> None:
    at = _segments_page()
    assert not [b for b in at.button if b.label == "Train on this data"]
    assert "Predicted risk" in [m.label for m in at.metric]


def test_ids_codes_and_dates_written_as_numbers_are_left_out_with_why() -> None:
    sample = (ROOT / "data" / "sample_customers.csv").read_text().splitlines()
    rows = [sample[0] + ",FirstMonth,LastSeen"]
    rows += [
        f"{line},{202301 + i % 12},{1_700_000_000 + 86_400 * i}"
        for i, line in enumerate(sample[1:400])
    ]
    at = _segments_page("\n".join(rows).encode())
    numbers = next(m for m in at.multiselect if m.label.startswith("Number columns"))
    assert not {"FirstMonth", "LastSeen"} & set(numbers.options)
    assert "TenureMonths" in numbers.options
    left_out = next(c.value for c in at.caption if c.value.startswith("Left out:"))
    assert "**FirstMonth** (a date written as a number (YYYYMM, such as 202301))" in left_out
    assert "**LastSeen** (a different large whole number for almost every row" in left_out


def test_a_table_with_repeated_ids_is_refused_plainly_with_the_fix() -> None:
    at = _segments_page((BAD / "duplicate_ids.csv").read_bytes())
    errors = "\n".join(e.value for e in at.error)
    assert "Segments need one row per customer, but CustomerID repeats" in errors
    assert "**What to do:**" in errors
    assert not _cards(at)


def test_an_upload_the_model_cannot_score_gets_segments_and_an_offer_to_train() -> None:
    rows = ["Account,Spend,Visits,Tickets,Churned"]
    rows += [
        f"A{i},{10 + (i % 5) * 20},{i % 9},{i % 3},{'Yes' if i % 4 == 0 else 'No'}"
        for i in range(120)
    ]
    at = _segments_page("\n".join(rows).encode())
    offer = next(i.value for i in at.info if "No churn model has learned" in i.value)
    assert "Each segment's predicted risk and lifetime value need one." in offer
    assert [b for b in at.button if b.label == "Train on this data"]
    assert "Predicted risk" not in [m.label for m in at.metric]
    assert _cards(at)


def test_plays_come_from_each_segments_traits_and_analysts_can_write_rules_instead() -> None:
    from churn_core.segments import PLAY_COLUMN, get_default_plays

    at = _segments_page()
    plays = [
        m.value.removeprefix("**Play:** ").replace("\\", "")
        for m in at.markdown
        if m.value.startswith("**Play:**")
    ]
    rule_plays = set(get_default_plays()[PLAY_COLUMN])
    assert len(plays) == 5 and not set(plays) <= rule_plays  # chosen from traits by default
    trait = (
        "Re-engagement", "Cross-sell", "Service recovery", "Value review", "Commitment offer",
        "Billing clean-up", "Onboarding journey", "Reward and protect", "Thank loyal",
    )  # fmt: skip
    assert sum(p.startswith(trait) for p in plays) >= 3
    own = next(t for t in at.toggle if t.label == "Use my own rules instead")
    own.set_value(True).run()
    assert not at.exception
    plays = [
        m.value.removeprefix("**Play:** ").replace("\\", "")
        for m in at.markdown
        if m.value.startswith("**Play:**")
    ]
    assert len(plays) == 5 and set(plays) <= rule_plays | {
        "No rule fits: add one to the plays table."
    }
