"""The one-page summary: every section from its input, user text escaped, no script."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pandas as pd

from churn_core.kpis import HeadlineKpis
from churn_core.monitoring import advise_retrain, check_list, get_movers, get_summary_html
from churn_core.monitoring.summary import svg_bars
from tests.churn_core.monitoring.test_movers import PREVIOUS
from tests.churn_core.monitoring.test_outcomes import small_list
from tests.churn_core.monitoring.test_track_record import OUTCOMES


class Tags(HTMLParser):
    """Every tag opened, and whether each one was closed in order (a well-formed page)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.opened.append(tag)
        if tag not in {"meta", "br", "link"}:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.opened.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag


def this_month() -> pd.DataFrame:
    listed = small_list()
    listed["expected_value_at_risk"] = [900.0, 350.0, 60.0, 30.0, 10.0, 5.0]
    listed["top_reason_1"] = ["Contract is Month-to-month (+12 pts)", "", "", "", "", ""]
    return listed


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def test_the_summary_has_every_section_its_inputs_allow_and_is_well_formed() -> None:
    record = check_list(small_list(), OUTCOMES)
    kpis = HeadlineKpis(6, 3, 0.5, None, None, None, None, None)
    drivers = pd.DataFrame({"column": ["Contract", "Tenure"], "mean_abs_points": [9.5, 4.0]})
    page = get_summary_html(
        this_month(),
        as_of="March 2026",
        model_sentence="Gradient boosting learned from 4,000 customers",
        kpis=kpis,
        drivers=drivers,
        record=record,
        movers=get_movers(PREVIOUS, PREVIOUS),
        advice=advise_retrain({"metrics": {}, "data": {"churn_rate": 0.2}}, record=record),
    )
    tags = parsed(page)
    assert tags.ok and "script" not in tags.opened and tags.opened.count("svg") == 2
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for heading in (
        "This month's at-risk list",
        "Why customers leave",
        "How last month's list turned out",
        "Who moved since last month",
        "Should we retrain?",
    ):
        assert heading in text
    assert "Revenue at risk" in text and "1,355" in text  # 900 + 350 + 60 + 30 + 10 + 5
    assert "Expected to leave" in text and "Churn rate (data)" in text and "50.0%" in text
    assert record.summary() in text
    assert "Contract is Month-to-month (+12 pts)" in text
    assert len(page) < 30_000


def test_user_text_is_escaped_everywhere() -> None:
    listed = this_month()
    listed["CustomerID"] = ["<script>alert(1)</script>", "B", "C", "D", "E", "F"]
    page = get_summary_html(listed, as_of="<b>now</b>", title="Q1 & Q2")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;now&lt;/b&gt;" in page and "Q1 &amp; Q2" in page
    assert parsed(page).ok


def test_a_list_alone_gives_the_tiles_and_the_table_only() -> None:
    page = get_summary_html(small_list(), as_of="March 2026")
    assert "Why customers leave" not in page and "Should we retrain?" not in page
    assert "Revenue at risk" not in page  # the list has no value at risk
    assert page.count("<tr>") == 1 + 6


def test_bars_are_drawn_to_scale() -> None:
    svg = svg_bars(["a", "b"], [pd.Series([10.0, 5.0]).to_numpy()], ["x"], ["#000"])
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1] > 0
