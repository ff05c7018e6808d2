"""Segment figures build from a fitted segmentation and say what they show."""

from __future__ import annotations

import pandas as pd
import pytest

from churn_core.columns import CHURN_RATE, MONTHLY_REVENUE
from churn_core.schema.profile import profile_table
from churn_core.segments import plots
from churn_core.segments.segmentation import Segmentation, fit_segments


@pytest.fixture(scope="module")
def segments(frame: pd.DataFrame) -> Segmentation:
    return fit_segments(frame, profile_table(frame), categorical=["Contract"])


def test_k_charts_mark_the_recommendation_and_the_users_choice(segments: Segmentation) -> None:
    choice = segments.k_choice_
    assert choice is not None
    fig = plots.plot_silhouette(choice.scores, choice.k, chosen=choice.k + 1)
    assert fig.data[1].x.tolist() == [choice.k]
    texts = [a.text for a in fig.layout.annotations]
    assert "recommended" in texts and f"your choice: {choice.k + 1}" in texts
    elbow = plots.plot_elbow(choice.scores, choice.k)
    assert elbow.layout.yaxis.tickformat == ".0%" and not elbow.layout.shapes


def test_map_has_one_trace_per_segment_and_describes_its_axes(segments: Segmentation) -> None:
    fig = plots.plot_segment_map(segments.map_, segments.names_, segments.map_axes_, 5000)
    assert [t.name for t in fig.data] == segments.names_
    assert sum(len(t.x) for t in fig.data) == len(segments.map_) == 5000
    assert fig.layout.xaxis.title.text.startswith("Mostly ")
    assert "every customer" in fig.layout.title.subtitle.text


def test_profile_heatmap_writes_raw_averages_on_z_score_colours(segments: Segmentation) -> None:
    fig = plots.plot_segment_profile(segments.zscores_, segments.averages_)
    heat = fig.data[0]
    assert len(heat.y) == segments.k_ and "Contract: Month-to-mo…" in heat.x
    column = list(segments.zscores_.columns).index("MonthlyCharges")
    expected = segments.averages_["MonthlyCharges"].iloc[0]
    assert heat.text[0][column] == f"{expected:,.1f}"
    assert heat.zmin == -2 and heat.zmax == 2


def test_bars_show_churn_and_revenue_per_segment_against_all_customers(
    segments: Segmentation,
) -> None:
    churn = plots.plot_segment_churn(segments.summary_, segments.overall_[CHURN_RATE])
    assert len(churn.data[0].y) == segments.k_
    assert churn.layout.title.subtitle.text.startswith("Dashed line: all customers (")
    assert churn.layout.shapes[0].x0 == segments.overall_[CHURN_RATE]
    revenue = plots.plot_segment_revenue(
        segments.summary_, segments.overall_[MONTHLY_REVENUE], "MonthlyCharges"
    )
    assert revenue.layout.title.text == "Average MonthlyCharges by segment"


def test_long_names_wrap_at_commas() -> None:
    wrapped = plots.wrap_name("Many support tickets 90d, low usage trend, few logins last 30d")
    assert wrapped == "Many support tickets 90d,<br>low usage trend,<br>few logins last 30d"
    assert plots.wrap_name("New, low usage") == "New, low usage"
