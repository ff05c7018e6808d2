"""Figures for customers with no contract, in the house style of :mod:`churn_core.figures`:
the two holdout checks, the spread of P(alive) and of CLV, and the best customers gone quiet."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from churn_core import columns as col
from churn_core.btyd.forecast import LIKELY_ACTIVE, TOP_VALUE_SHARE, BtydForecast
from churn_core.figures import (
    CHURNED_COLOR,
    NEUTRAL_COLOR,
    REFERENCE_LINE,
    STAYED_COLOR,
    TEXT_COLOR,
    empty_figure,
    escape,
    style_figure,
)
from churn_core.survival.plots import plot_clv_distribution

MAX_POINTS = 5000  # grey points drawn in the gone-quiet scatter (the named ones always are)
ACTUAL_LINE = {"color": TEXT_COLOR, "width": 2.5}
PREDICTED_LINE = {"color": STAYED_COLOR, "width": 2.5, "dash": "dash"}


def plot_holdout_by_frequency(table: pd.DataFrame, calibration_end: pd.Timestamp) -> go.Figure:
    """Average holdout purchases, actual and predicted, by purchases before the calibration end."""
    title = "Predicted and actual purchases, by past purchases"
    if table.empty:
        return empty_figure("Set a holdout end to check the predictions.", title=title)
    fig = go.Figure()
    for name, column, line in (
        ("Actual", col.ACTUAL, ACTUAL_LINE),
        ("Predicted", col.PREDICTED, PREDICTED_LINE),
    ):
        fig.add_trace(
            go.Scatter(
                x=table[col.FREQUENCY],
                y=table[column],
                name=name,
                mode="lines+markers",
                line=line,
                customdata=table[col.CUSTOMERS],
                hovertemplate=f"{name}: %{{y:.2f}} purchases on average<br>"
                "%{customdata:,} customers with %{x} repeat purchases before<extra></extra>",
            )
        )
    fig.update_xaxes(title=f"Repeat purchases up to {calibration_end.date()}", type="category")
    fig.update_yaxes(title="Purchases per customer afterwards", rangemode="tozero")
    return style_figure(
        fig,
        title=title,
        height=420,
        subtitle="Average purchases in the holdout period, which the model never saw; close "
        "lines mean the forecasts can be trusted.",
    )


def plot_cumulative_purchases(table: pd.DataFrame, calibration_end: pd.Timestamp) -> go.Figure:
    """Cumulative repeat purchases week by week, actual and expected, the calibration end marked."""
    fig = go.Figure()
    for name, column, line in (
        ("Actual", col.ACTUAL, ACTUAL_LINE),
        ("Predicted", col.PREDICTED, PREDICTED_LINE),
    ):
        fig.add_trace(
            go.Scatter(
                x=table[col.DATE],
                y=table[column],
                name=name,
                mode="lines",
                line=line,
                hovertemplate=f"{name}: %{{y:,.0f}} repeat purchases by %{{x|%d %b %Y}}"
                "<extra></extra>",
            )
        )
    # A separate line and label: plotly cannot place vline annotations on a date axis.
    fig.add_vline(x=calibration_end, line=REFERENCE_LINE["line"])
    fig.add_annotation(
        x=calibration_end,
        y=1,
        yref="paper",
        text="calibration end: forecast after this",
        showarrow=False,
        xanchor="right",
        bgcolor="rgba(255, 255, 255, 0.85)",
    )
    fig.update_xaxes(title="Date")
    fig.update_yaxes(title="Repeat purchases so far", tickformat=",", rangemode="tozero")
    return style_figure(
        fig,
        title="Predicted and actual purchases over time",
        height=420,
        subtitle="All repeat purchases of these customers, added up week by week.",
    )


def plot_p_alive(customers: pd.DataFrame) -> go.Figure:
    """Histogram of the chance each customer still buys, one-time buyers shown apart."""
    title = "How likely customers are to still be buying"
    if customers.empty:
        return empty_figure("No customers to show.", title=title)
    once = customers[col.FREQUENCY] == 0
    fig = go.Figure()
    for mask, name, color in (
        (~once, f"Bought again ({int((~once).sum()):,})", STAYED_COLOR),
        (once, f"Bought once: counted active ({int(once.sum()):,})", NEUTRAL_COLOR),
    ):
        fig.add_trace(
            go.Histogram(
                x=customers.loc[mask, col.P_ALIVE],
                name=name,
                xbins={"start": 0.0, "end": 1.0001, "size": 0.05},
                marker={"color": color, "line": {"color": "white", "width": 0.5}},
                hovertemplate="%{x}: %{y:,} customers<extra></extra>",
            )
        )
    fig.add_vline(
        x=LIKELY_ACTIVE, **{**REFERENCE_LINE, "annotation_text": "likely active from here"}
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Chance still buying", tickformat=".0%", range=[0, 1.02])
    fig.update_yaxes(title="Customers", tickformat=",")
    return style_figure(
        fig,
        title=title,
        height=400,
        subtitle="The model counts customers who bought only once as active: it lets customers "
        "stop only right after a repeat purchase.",
    )


def plot_clv_spread(customers: pd.DataFrame) -> go.Figure:
    """Histogram of customers' CLV, with the average marked (the top 1 % beyond the axis)."""
    return plot_clv_distribution(
        customers,
        title="How value is spread across customers",
        empty="No CLV to show: the log needs an amount column.",
        clip_top=True,
    )


def plot_gone_quiet(
    forecast: BtydForecast, active_below: float = LIKELY_ACTIVE, top_share: float = TOP_VALUE_SHARE
) -> go.Figure:
    """Spend so far against the chance still buying; the best customers gone quiet named."""
    title = "Best customers gone quiet"
    data = forecast.customers
    if data.empty:
        return empty_figure("No customers to show.", title=title)
    value = forecast.value_column
    quiet = forecast.get_gone_quiet(active_below, top_share)
    rest = data.drop(index=quiet.index)
    if len(rest) > MAX_POINTS:
        rest = rest.sample(MAX_POINTS, random_state=0)
    value_label = "Spent so far" if value == col.TOTAL_SPEND else "Repeat purchases so far"
    fig = go.Figure()
    for part, name, color in (
        (rest, f"Others ({len(data) - len(quiet):,})", NEUTRAL_COLOR),
        (quiet, f"Best customers gone quiet ({len(quiet):,})", CHURNED_COLOR),
    ):
        fig.add_trace(
            go.Scattergl(
                x=part[col.P_ALIVE],
                y=part[value],
                mode="markers",
                name=name,
                marker={"color": color, "size": 6, "opacity": 0.6},
                customdata=[escape(v) for v in part[forecast.id_column]],
                hovertemplate=f"{escape(forecast.id_column)} %{{customdata}}<br>chance still "
                f"buying %{{x:.0%}}<br>{value_label.lower()} %{{y:,.0f}}<extra></extra>",
            )
        )
    cut = float(data[value].quantile(1 - top_share))
    # Spend is skewed: a log scale spreads the many small customers out (zeros are not drawn).
    log_scale = value == col.TOTAL_SPEND and cut > 0
    fig.add_vline(x=active_below, **{**REFERENCE_LINE, "annotation_text": "likely active"})
    fig.add_hline(y=cut, line=REFERENCE_LINE["line"])
    fig.add_annotation(  # on a log axis annotations are placed in log10 units
        x=1,
        xref="paper",
        y=math.log10(cut) if log_scale else cut,
        text=f"top {top_share:.0%} by value so far",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        bgcolor="rgba(255, 255, 255, 0.85)",
    )
    fig.update_xaxes(title="Chance still buying", tickformat=".0%", range=[-0.02, 1.02])
    fig.update_yaxes(title=value_label + (" (log scale)" if log_scale else ""), tickformat=",.0f")
    if log_scale:
        fig.update_yaxes(type="log")
    return style_figure(
        fig,
        title=title,
        height=460,
        subtitle="Top left: customers who were worth the most and have probably stopped "
        "buying; the first ones to win back.",
    )
