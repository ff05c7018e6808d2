"""The explanation charts draw what the explanation says, in points, with readable labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.explain.contributions import ChurnExplainer, Explanation, get_importance_df
from churn_core.explain.plots import (
    BEESWARM_POINTS,
    TOP_COLUMNS,
    plot_beeswarm,
    plot_dependence,
    plot_gauge,
    plot_importance,
    plot_waterfall,
)
from churn_core.model.churn_model import ChurnModel


@pytest.fixture(scope="module")
def explanation(model: ChurnModel, frame: pd.DataFrame) -> Explanation:
    return ChurnExplainer(model).explain(frame.head(1500))


def test_importance_bars_are_the_mean_absolute_points_largest_on_top(
    explanation: Explanation,
) -> None:
    fig = plot_importance(explanation)
    bar = fig.data[0]
    importance = get_importance_df(explanation)
    assert list(bar.y)[::-1] == importance["column"].head(TOP_COLUMNS).tolist()
    np.testing.assert_allclose(list(bar.x)[::-1], importance["mean_abs_points"].head(TOP_COLUMNS))
    assert fig.layout.xaxis.range[1] > max(bar.x)  # room for the value labels


def test_the_beeswarm_draws_a_sample_of_customers_per_column_with_one_colour_scale(
    explanation: Explanation,
) -> None:
    fig = plot_beeswarm(explanation)
    assert len(fig.data) == min(TOP_COLUMNS, len(explanation.columns))
    assert all(len(trace.x) == min(BEESWARM_POINTS, len(explanation)) for trace in fig.data)
    assert sum(bool(trace.marker.showscale) for trace in fig.data) == 1
    labels = list(fig.layout.yaxis.ticktext)
    assert labels[-1] == get_importance_df(explanation)["column"].iloc[0]  # strongest on top


def test_dependence_is_a_scatter_for_numbers_and_a_box_per_value_for_categories(
    explanation: Explanation,
) -> None:
    numbers = plot_dependence(explanation, "SupportTickets90d")
    assert numbers.data[0].type == "scatter"
    j = explanation.columns.index("SupportTickets90d")
    np.testing.assert_allclose(numbers.data[0].y, explanation.points[:, j])
    categories = plot_dependence(explanation, "Contract")
    assert [t.type for t in categories.data] == ["box"] * 3
    assert categories.data[0].name == "Month-to-month"  # the value that raises risk most first


def test_the_waterfall_starts_at_the_typical_customer_and_ends_at_this_one(
    explanation: Explanation,
) -> None:
    fig = plot_waterfall(explanation, 3, top=5)
    trace = fig.data[0]
    assert trace.y[0] == "A typical customer" and trace.y[-1] == "This customer"
    assert trace.y[-2] == f"{len(explanation.columns) - 5} other columns"
    steps = np.array(trace.x[1:-1])
    assert trace.x[0] == pytest.approx(100 * explanation.base_probability)
    assert trace.x[0] + steps.sum() == pytest.approx(100 * explanation.probability[3])
    assert trace.x[-1] == pytest.approx(100 * explanation.probability[3])
    assert "Contract = " in " ".join(trace.y)  # the user's names and values, not encodings


def test_the_gauge_shows_the_probability_and_the_three_bands() -> None:
    fig = plot_gauge(0.64, cutoff=0.4, base_rate=0.25, title="Churn risk")
    indicator = fig.data[0]
    assert indicator.value == pytest.approx(64)
    assert [tuple(step.range) for step in indicator.gauge.steps] == [
        (0, 25),
        (25, 40),
        (40, 100),
    ]
