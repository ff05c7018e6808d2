"""Tests for churn_core.model.plots and the numbers behind it (churn_core.model.curves):
held-out model performance charts."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

from churn_core.model.curves import MAX_CURVE_POINTS, get_calibration_bins, get_curve_points
from churn_core.model.plots import (
    MAX_RISK_BINS,
    plot_calibration,
    plot_confusion_matrix,
    plot_cumulative_gains,
    plot_precision_recall,
    plot_risk_distribution,
    plot_roc,
)

CURVE_PLOTS = [plot_roc, plot_precision_recall, plot_cumulative_gains, plot_calibration]


def simulate(n: int, seed: int = 7) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Outcomes drawn from a true risk, a good model near it and a crude two-value rule."""
    rng = np.random.default_rng(seed)
    risk = 1 / (1 + np.exp(-rng.normal(-1.4, 1.3, n)))
    y = rng.random(n) < risk
    model = np.clip(risk + rng.normal(0, 0.08, n), 0, 1)
    rule = np.where(risk + rng.normal(0, 0.15, n) > 0.25, 0.35, 0.15)
    return y, {"Gradient boosting": model, "One-rule baseline": rule}


@pytest.fixture(scope="module")
def held_out() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return simulate(5000)


@pytest.fixture(scope="module")
def large() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return simulate(100_000, seed=11)


def curve(fig: go.Figure, name_start: str) -> go.Scatter:
    return next(t for t in fig.data if t.name.startswith(name_start))


def test_roc_legend_shows_sklearn_auc_to_two_decimals(held_out) -> None:
    y, scores = held_out
    fig = plot_roc(y, scores)
    for name, p in scores.items():
        legend = curve(fig, name).name
        assert legend == f"{name} (AUC {roc_auc_score(y, p):.2f})"
    assert fig.data[0].name == "Random guess"
    assert fig.layout.xaxis.title.text == "Share of stayers wrongly flagged"
    assert fig.layout.yaxis.title.text == "Share of leavers caught (recall)"
    assert fig.layout.title.subtitle.text


def test_precision_recall_legend_shows_sklearn_average_precision_and_base_rate(held_out) -> None:
    y, scores = held_out
    fig = plot_precision_recall(y, scores)
    for name, p in scores.items():
        value = float(re.search(r"average precision ([\d.]+)", curve(fig, name).name).group(1))
        assert value == round(average_precision_score(y, p), 2)
    assert fig.layout.shapes[0].y0 == fig.layout.shapes[0].y1 == y.mean()
    assert fig.layout.annotations[0].text.startswith(f"Flagging at random: {y.mean():.0%}")


def test_curves_stay_under_300_points_for_100k_customers(large) -> None:
    y, scores = large
    for plot in (plot_roc, plot_precision_recall, plot_cumulative_gains):
        fig = plot(y, scores)
        assert 100 < len(curve(fig, "Gradient boosting").x) <= MAX_CURVE_POINTS, plot.__name__
        assert len(curve(fig, "One-rule baseline").x) <= 3  # two scores: three cut-offs


def test_curve_points_are_points_of_sklearns_roc_curve(held_out) -> None:
    y, scores = held_out
    points = get_curve_points(y, scores["Gradient boosting"])
    fpr, tpr, thresholds = roc_curve(y, scores["Gradient boosting"])
    at = np.searchsorted(-thresholds, -points["threshold"].to_numpy())
    np.testing.assert_allclose(points["false_alarm_rate"], fpr[at])
    np.testing.assert_allclose(points["recall"], tpr[at])
    flagged = (scores["Gradient boosting"][:, None] >= points["threshold"].to_numpy()).mean(0)
    np.testing.assert_allclose(points["contacted_share"], flagged)


def test_gains_curve_runs_from_zero_to_everyone_and_never_falls(large) -> None:
    y, scores = large
    fig = plot_cumulative_gains(y, scores)
    for name in scores:
        x, gained = np.array(curve(fig, name).x), np.array(curve(fig, name).y)
        assert (x[0], gained[0]) == (0, 0)
        assert x[-1] == pytest.approx(1) and gained[-1] == pytest.approx(1)
        assert np.all(np.diff(x) >= 0) and np.all(np.diff(gained) >= 0)
    perfect = curve(fig, "Perfect model")
    assert list(perfect.x) == [0, y.mean(), 1]
    assert (
        "Contact the top %{x:.0%} → catch %{y:.0%} of leavers"
        in curve(fig, "Gradient").hovertemplate
    )


def test_calibration_groups_hold_every_customer_once(held_out) -> None:
    y, scores = held_out
    for p in scores.values():
        table = get_calibration_bins(y, p, bins=10)
        assert table["customers"].sum() == len(y)
        assert table["churned"].sum() == y.sum()
        assert np.all(table["score_low"] <= table["mean_score"])
        assert np.all(table["mean_score"] <= table["score_high"])
        assert np.all(table["score_high"].to_numpy()[:-1] < table["score_low"].to_numpy()[1:])
    assert len(get_calibration_bins(y, scores["Gradient boosting"])) == 10
    assert len(get_calibration_bins(y, scores["One-rule baseline"])) == 2  # ties share a group


def test_calibration_points_sit_on_the_line_for_a_calibrated_model() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 0.6, 50_000)
    y = rng.random(p.size) < p
    fig = plot_calibration(y, {"Calibrated": p}, bins=5)
    points = curve(fig, "Calibrated")
    np.testing.assert_allclose(points.y, points.x, atol=0.02)
    assert sum(row[2] for row in points.customdata) == p.size
    assert fig.layout.xaxis.tickformat == ".0%"
    assert fig.layout.title.subtitle.text.startswith(
        "On the line: a 30% score means 3 in 10 leave."
    )


def test_confusion_matrix_counts_match_a_hand_count() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    flagged = np.array([True, True, False, True, False, False, False, False])
    fig = plot_confusion_matrix(y, flagged)
    heatmap = fig.data[0]
    assert list(heatmap.y) == ["Actually left", "Actually stayed"]
    assert list(heatmap.x) == ["Flagged", "Not flagged"]
    assert np.asarray(heatmap.customdata).tolist() == [[2, 1], [1, 4]]
    assert "67% of leavers" in heatmap.text[0][0] and "80% of stayers" in heatmap.text[1][1]
    assert fig.layout.title.text == "At the chosen threshold: 3 of 8 customers flagged"


def test_risk_distribution_is_binned_counts_that_add_up_to_everyone(large) -> None:
    _, scores = large
    p = scores["Gradient boosting"]
    bands = np.where(p >= 0.5, "High", np.where(p >= 0.2, "Medium", "Low"))
    fig = plot_risk_distribution(p, threshold=0.34, bands=bands)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["High risk", "Medium risk", "Low risk"]
    assert all(len(t.x) <= MAX_RISK_BINS for t in bars)
    assert sum(int(np.sum(t.y)) for t in bars) == p.size
    assert int(np.sum(curve(fig, "High risk").y)) == int((p >= 0.5).sum())
    label = fig.layout.annotations[0].text
    assert label == f"Flagged above 34%: {int((p >= 0.34).sum()):,} customers"


def test_risk_distribution_without_bands_is_one_series_of_narrow_bins() -> None:
    p = np.random.default_rng(1).uniform(0, 0.2, 1000)
    fig = plot_risk_distribution(p)
    assert len(fig.data) == 1
    assert np.sum(fig.data[0].y) == 1000
    assert fig.data[0].width == pytest.approx(0.005)
    assert not fig.layout.annotations


DEGENERATE = {
    "no customers": (np.array([], dtype=int), np.array([], dtype=float)),
    "everyone stayed": (np.zeros(50, dtype=int), np.linspace(0, 1, 50)),
    "everyone left": (np.ones(50, dtype=bool), np.linspace(0, 1, 50)),
    "same score for all": (np.arange(50) % 2, np.full(50, 0.3)),
}


@pytest.mark.parametrize("case", DEGENERATE)
@pytest.mark.parametrize("plot", [plot_roc, plot_precision_recall, plot_cumulative_gains])
def test_degenerate_inputs_explain_instead_of_raising(plot, case) -> None:
    y, p = DEGENERATE[case]
    fig = plot(y, {"Model": p})
    assert not fig.data
    message = fig.layout.annotations[0].text
    assert len(message) > 20
    fig.to_json()


def test_degenerate_messages_say_what_is_wrong_in_plain_words() -> None:
    y, p = DEGENERATE["everyone stayed"]
    assert "All 50 test customers stayed" in plot_roc(y, p).layout.annotations[0].text
    y, p = DEGENERATE["same score for all"]
    assert "same score (30%)" in plot_roc(y, p).layout.annotations[0].text
    empty = np.array([])
    for fig in (
        plot_calibration(empty, {"Model": empty}),
        plot_confusion_matrix(empty, empty),
        plot_risk_distribution(empty),
        plot_roc(np.array([0, 1]), {}),
    ):
        assert not fig.data and fig.layout.annotations[0].text


def test_calibration_and_confusion_still_draw_when_only_one_outcome_occurs() -> None:
    y, p = DEGENERATE["everyone stayed"]
    assert list(curve(plot_calibration(y, {"Model": p}), "Model").y) == [0] * 10
    assert np.asarray(plot_confusion_matrix(y, p > 0.5).data[0].customdata).sum() == 50


def test_a_bare_array_is_drawn_as_one_curve_named_model(held_out) -> None:
    y, scores = held_out
    fig = plot_roc(y, scores["Gradient boosting"])
    assert curve(fig, "Model (AUC ").name.startswith("Model (AUC 0.")


def test_mismatched_lengths_are_reported_with_both_counts() -> None:
    with pytest.raises(ValueError, match=r"one probability per customer \(3\). Got 2 instead"):
        plot_roc(np.array([0, 1, 1]), {"Model": np.array([0.2, 0.4])})
    with pytest.raises(ValueError, match=r"y_true must hold only 0/1"):
        plot_roc(np.array([0, 2]), {"Model": np.array([0.2, 0.4])})
    with pytest.raises(ValueError, match=r"between 0 and 1.*1 other values, e\.g\. 1\.5"):
        plot_risk_distribution(np.array([0.2, 1.5]))


def test_every_figure_serialises(held_out) -> None:
    y, scores = held_out
    p = scores["Gradient boosting"]
    figures = [plot(y, scores) for plot in CURVE_PLOTS]
    figures += [plot_confusion_matrix(y, p >= 0.34), plot_risk_distribution(p, 0.34)]
    for fig in figures:
        assert isinstance(fig, go.Figure)
        assert fig.layout.title.text
        assert fig.to_json()
