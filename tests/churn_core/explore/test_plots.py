"""Tests for churn_core.explore.plots and the shared style in churn_core.figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from churn_core.explore.plots import (
    plot_churn_rate,
    plot_correlations,
    plot_histogram,
    plot_missing_map,
    plot_value_counts,
)
from churn_core.explore.summaries import (
    get_churn_rate_by_bins,
    get_churn_rate_by_category,
    get_correlations,
    get_histogram,
    get_missing_map,
    get_overall_churn_rate,
    get_value_counts,
)
from churn_core.figures import CHURNED_COLOR, STAYED_COLOR, shorten, style_figure


@pytest.fixture
def customers() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(5)
    n = 3000
    frame = pd.DataFrame(
        {
            "Monthly charges (€)": rng.gamma(3, 25, n),
            "Products": rng.integers(1, 5, n),
            "Contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
            "Tenure": rng.integers(0, 72, n),
        }
    )
    churned = pd.Series(rng.random(n) < 0.25, dtype="boolean")
    return frame, churned


def test_histogram_is_stacked_churned_and_stayed_bars_of_binned_counts(customers) -> None:
    frame, churned = customers
    fig = plot_histogram(
        get_histogram(frame, "Monthly charges (€)", churned, bins=30), "Monthly charges (€)"
    )
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert [t.name for t in fig.data] == ["Stayed", "Churned"]
    assert [t.marker.color for t in fig.data] == [STAYED_COLOR, CHURNED_COLOR]
    assert fig.layout.barmode == "stack"
    assert all(len(t.x) <= 30 for t in fig.data)
    assert sum(sum(t.y) for t in fig.data) == len(frame)
    assert fig.layout.title.text == "Customers by Monthly charges (€)"
    assert fig.layout.yaxis.title.text == "Customers"


def test_histogram_without_labels_is_one_colour(customers) -> None:
    frame, _ = customers
    fig = plot_histogram(get_histogram(frame, "Products"), "Products")
    assert len(fig.data) == 1
    assert list(fig.layout.xaxis.ticktext) == ["1", "2", "3", "4"]


def test_histogram_shows_customers_with_unknown_outcome(customers) -> None:
    frame, churned = customers
    churned = churned.copy()
    churned[:100] = pd.NA
    fig = plot_histogram(get_histogram(frame, "Tenure", churned), "Tenure")
    assert [t.name for t in fig.data] == ["Stayed", "Churned", "Outcome unknown"]
    assert sum(sum(t.y) for t in fig.data) == len(frame)


def test_value_counts_keep_the_frame_order_as_categories(customers) -> None:
    frame, churned = customers
    counts = get_value_counts(frame, "Products", churned)
    fig = plot_value_counts(counts, "Products")
    assert [t.name for t in fig.data] == ["Stayed", "Churned"]
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.categoryarray) == counts["value"].tolist()


def test_churn_rate_chart_has_error_bars_counts_and_an_average_line(customers) -> None:
    frame, churned = customers
    rates = get_churn_rate_by_category(frame, "Contract", churned)
    fig = plot_churn_rate(rates, "Contract", overall_rate=0.204)
    (bar,) = fig.data
    assert bar.type == "bar"
    np.testing.assert_allclose(bar.error_y.array, rates["ci_high"] - rates["churn_rate"])
    np.testing.assert_allclose(bar.error_y.arrayminus, rates["churn_rate"] - rates["ci_low"])
    assert list(bar.text) == [f"{n:,}" for n in rates["customers"]]
    assert "Customers" in bar.hovertemplate
    assert fig.layout.title.text == "Churn rate by Contract"
    assert "range the true rate likely lies in" in fig.layout.title.subtitle.text
    assert fig.layout.yaxis.tickformat == ".0%"
    assert [a.text for a in fig.layout.annotations] == ["Average: 20.4%"]
    assert fig.layout.shapes[0].line.dash == "dash"


def test_churn_rate_chart_draws_bins_in_their_order(customers) -> None:
    frame, churned = customers
    rates = get_churn_rate_by_bins(frame, "Tenure", churned)
    fig = plot_churn_rate(rates, "Tenure")
    assert list(fig.data[0].x) == rates["value"].tolist()
    assert not fig.layout.annotations


def test_correlation_heatmap_is_centred_and_annotated(customers) -> None:
    frame, churned = customers
    corr = get_correlations(frame, ["Monthly charges (€)", "Products", "Tenure"], churned)
    fig = plot_correlations(corr)
    (heatmap,) = fig.data
    assert heatmap.type == "heatmap"
    assert (heatmap.zmin, heatmap.zmax, heatmap.zmid) == (-1, 1, 0)
    assert heatmap.texttemplate == "%{z:.2f}"
    assert fig.layout.xaxis.ticktext[0] == "Churned"


def test_correlation_heatmap_of_many_long_names_is_shortened_and_not_annotated() -> None:
    rng = np.random.default_rng(1)
    names = [f"A rather long column name number {i}" for i in range(16)]
    frame = pd.DataFrame(rng.normal(size=(200, 16)), columns=names)
    fig = plot_correlations(get_correlations(frame, names))
    assert fig.data[0].texttemplate is None
    assert all(len(t) <= 22 for t in fig.layout.xaxis.ticktext)
    assert len(set(fig.layout.xaxis.tickvals)) == 16


def test_missing_map_heatmap_names_column_rows_and_share_in_hover() -> None:
    frame = pd.DataFrame({"Email": [None, "a@b.c", None, "d@e.f"], "Age": [1.0, 2, 3, np.nan]})
    fig = plot_missing_map(get_missing_map(frame, blocks=2))
    (heatmap,) = fig.data
    assert heatmap.type == "heatmap"
    assert list(heatmap.y) == ["rows 2–3", "rows 4–5"]
    assert "Missing: %{z:.1%}" in heatmap.hovertemplate
    assert heatmap.customdata[0][0] == "Email"
    assert fig.layout.title.text == "Where values are missing"


def test_empty_inputs_give_a_figure_that_says_why() -> None:
    empty = pd.DataFrame(
        columns=["value", "customers", "churned", "churn_rate", "ci_low", "ci_high"]
    )
    fig = plot_churn_rate(empty, "Plan")
    assert "No customers" in fig.layout.annotations[0].text
    assert "at least two" in plot_correlations(pd.DataFrame()).layout.annotations[0].text


def test_style_figure_applies_the_house_layout_in_place() -> None:
    fig = go.Figure([go.Bar(x=[1], y=[1], name="a"), go.Bar(x=[1], y=[2], name="b")])
    styled = style_figure(fig, title="Title", height=321, subtitle="How to read it")
    assert styled is fig
    assert fig.layout.title.text == "Title" and fig.layout.title.subtitle.text == "How to read it"
    assert fig.layout.height == 321
    assert fig.layout.legend.orientation == "h"
    assert fig.layout.template.layout.plot_bgcolor == "white"


def test_shorten_keeps_short_text_and_ellipsises_long_text() -> None:
    assert shorten("Age") == "Age"
    assert shorten("x" * 30, 10) == "xxxxxxxxx…"


def test_bank_file_draws_every_explore_chart(
    bank_with_churn: tuple[pd.DataFrame, pd.Series],
) -> None:
    frame, churned = bank_with_churn
    overall = get_overall_churn_rate(churned)
    figures = {
        "histogram": plot_histogram(get_histogram(frame, "Age", churned), "Age"),
        "value_counts": plot_value_counts(
            get_value_counts(frame, "Geography", churned), "Geography"
        ),
        "churn_rate": plot_churn_rate(
            get_churn_rate_by_bins(frame, "Balance", churned), "Balance", overall
        ),
        "correlations": plot_correlations(
            get_correlations(frame, ["CreditScore", "Age", "Balance", "NumOfProducts"], churned)
        ),
        "missing_map": plot_missing_map(get_missing_map(frame)),
    }
    for fig in figures.values():
        assert isinstance(fig, go.Figure) and fig.layout.title.text
        fig.to_json()  # serialisable for the browser
    assert len(figures["histogram"].data[0].x) <= 30
    assert [a.text for a in figures["churn_rate"].layout.annotations] == ["Average: 20.4%"]
