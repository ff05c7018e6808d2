"""Charts for explanations: what drives risk overall, per column, and for one customer.

Every chart speaks in probability points ("pts"): +12 pts means the column adds 12 percentage
points to the customer's churn probability, against a typical customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from churn_core.explain.contributions import (
    Explanation,
    format_points,
    format_value,
    get_dependence_df,
    get_importance_df,
)
from churn_core.figures import (
    CHURNED_COLOR,
    NEUTRAL_COLOR,
    STAYED_COLOR,
    escape,
    shorten,
    style_figure,
)
from churn_core.model import TYPICAL_NAME
from churn_core.model.plots import BAND_COLORS

#: Columns shown on the global charts and in a waterfall before "all other columns".
TOP_COLUMNS = 10
#: Customers drawn per column on the beeswarm (more only blur into a bar).
BEESWARM_POINTS = 600
_POINTS_AXIS = "Effect on churn probability (percentage points)"


def plot_importance(explanation: Explanation, *, top: int = TOP_COLUMNS) -> go.Figure:
    """Bar chart: each column's average effect on risk (mean absolute points), largest on top."""
    importance = get_importance_df(explanation).head(top).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=importance["mean_abs_points"],
            y=[escape(shorten(c, 28)) for c in importance["column"]],
            orientation="h",
            marker_color=STAYED_COLOR,
            text=[f"{v:.1f} pts" for v in importance["mean_abs_points"]],
            textposition="outside",
            cliponaxis=False,
            customdata=importance["raises_risk_share"],
            hovertemplate="%{y}: moves risk by %{x:.1f} pts on average<br>"
            "raises risk for %{customdata:.0%} of customers<extra></extra>",
        )
    )
    fig.update_xaxes(
        title_text="Average effect on churn probability (points, either way)",
        range=[0, 1.2 * float(importance["mean_abs_points"].max() or 1.0)],
    )
    return style_figure(
        fig,
        "What drives churn risk",
        height=120 + 34 * len(importance),
        subtitle="How much each column moves risk, on average.",
    )


def plot_beeswarm(explanation: Explanation, *, top: int = TOP_COLUMNS, seed: int = 0) -> go.Figure:
    """One dot per customer and column: its effect (x), coloured by the customer's value.

    Numbers are coloured from low (blue) to high (orange) within the column; categories are
    grey, with the value in the hover. Right of zero raises risk, left lowers it.
    """
    columns = get_importance_df(explanation).head(top)["column"].tolist()[::-1]
    rng = np.random.default_rng(seed)
    keep = rng.permutation(len(explanation))[:BEESWARM_POINTS]
    fig = go.Figure()
    scale_shown = False
    for k, column in enumerate(columns):
        j = explanation.columns.index(column)
        points = explanation.points[keep, j]
        values = explanation.values[column].iloc[keep]
        jitter = _jitter(points, rng)
        is_number = values.dtype != object
        if is_number:
            rank = values.rank(pct=True).to_numpy()
            marker = {
                "color": np.nan_to_num(rank, nan=0.5),
                "colorscale": [[0, STAYED_COLOR], [0.5, "#BDBDBD"], [1, CHURNED_COLOR]],
                "cmin": 0,
                "cmax": 1,
                "showscale": not scale_shown,
                "colorbar": {
                    "title": {"text": "Value"},
                    "tickvals": [0, 1],
                    "ticktext": ["low", "high"],
                    "len": 0.5,
                    "thickness": 12,
                },
            }
            scale_shown = True
        else:
            marker = {"color": NEUTRAL_COLOR}
        fig.add_scatter(
            x=points,
            y=k + jitter,
            mode="markers",
            marker={**marker, "size": 5, "opacity": 0.7},
            showlegend=False,
            customdata=[format_value(v) for v in values],
            hovertemplate=f"{escape(column)} is %{{customdata}}<br>"
            "effect %{x:+.1f} pts<extra></extra>",
        )
    fig.add_vline(x=0, line={"color": "#404040", "width": 1})
    fig.update_yaxes(
        tickvals=list(range(len(columns))),
        ticktext=[escape(shorten(c, 28)) for c in columns],
        showgrid=False,
    )
    fig.update_xaxes(title_text=_POINTS_AXIS, ticksuffix=" pts")
    return style_figure(
        fig,
        "How each column's values move risk",
        height=140 + 40 * len(columns),
        subtitle="A dot per customer; right of the line raises risk.",
    )


def plot_dependence(explanation: Explanation, column: str) -> go.Figure:
    """How one column's value moves risk: a scatter for numbers, a box per value for categories."""
    dependence = get_dependence_df(explanation, column)
    values, points = dependence["value"], dependence["points"].to_numpy()
    fig = go.Figure()
    if values.dtype == object:
        frame = pd.DataFrame({"value": values.astype(str), "points": points})
        order = frame.groupby("value")["points"].mean().sort_values(ascending=False)
        for value in order.index:
            mine = frame.loc[frame["value"] == value, "points"]
            color = CHURNED_COLOR if order[value] > 0 else STAYED_COLOR
            fig.add_box(
                x=mine,
                name=escape(shorten(value, 28)),
                orientation="h",
                marker_color=color,
                boxpoints=False,
                showlegend=False,
                hovertemplate=f"{escape(column)} is {escape(value)}: "
                f"{len(mine):,} customers, typical effect {order[value]:+.1f} pts<extra></extra>",
            )
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(title_text=_POINTS_AXIS, ticksuffix=" pts")
    else:
        known = values.notna().to_numpy()
        fig.add_scatter(
            x=values[known],
            y=points[known],
            mode="markers",
            marker={
                "color": np.where(points[known] > 0, CHURNED_COLOR, STAYED_COLOR),
                "size": 5,
                "opacity": 0.5,
            },
            showlegend=False,
            hovertemplate=f"{escape(column)} %{{x:,}}: effect %{{y:+.1f}} pts<extra></extra>",
        )
        fig.add_hline(y=0, line={"color": "#404040", "width": 1})
        fig.update_xaxes(title_text=escape(column))
        fig.update_yaxes(title_text="Effect on churn probability (points)", ticksuffix=" pts")
    return style_figure(
        fig,
        f"How {escape(column)} moves churn risk",
        height=420,
        subtitle="Above zero (orange) raises risk; below (blue) lowers it. One dot per customer."
        if values.dtype != object
        else "Per value: the range of its effect across customers; orange raises risk.",
    )


def plot_waterfall(explanation: Explanation, i: int = 0, *, top: int = 8) -> go.Figure:
    """From the typical customer's risk to this customer's, one column at a time."""
    one = explanation.get_customer_df(i)
    shown, rest = one.head(top), one.iloc[top:]
    labels = [
        f"{escape(shorten(c, 22))} = {escape(shorten(v, 18))}"
        for c, v in zip(shown["column"], shown["value"], strict=True)
    ]
    steps = shown["points"].tolist()
    if len(rest):
        labels.append(f"{len(rest)} other columns")
        steps.append(float(rest["points"].sum()))
    base = 100 * explanation.base_probability
    final = 100 * float(explanation.probability[i])
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=[TYPICAL_NAME, *labels, "This customer"],
            x=[base, *steps, final],
            measure=["absolute", *["relative"] * len(steps), "total"],
            text=[f"{base:.0f}%", *[format_points(s) for s in steps], f"{final:.0f}%"],
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": CHURNED_COLOR}},
            decreasing={"marker": {"color": STAYED_COLOR}},
            totals={"marker": {"color": "#5F5F5F"}},
            connector={"line": {"color": "#BDBDBD", "width": 1}},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(  # room right of 100 % for the labels of the last bars
        title_text="Churn probability (%)",
        ticksuffix="%",
        range=[0, 115],
        tickvals=[0, 20, 40, 60, 80, 100],
    )
    return style_figure(
        fig,
        "Why this customer's risk is what it is",
        height=160 + 38 * (len(labels) + 2),
        subtitle="Orange raises risk, blue lowers it.",
    )


def plot_gauge(probability: float, *, cutoff: float, base_rate: float, title: str) -> go.Figure:
    """A gauge from 0 to 100 % with the risk bands as coloured zones."""
    cutoff = max(cutoff, base_rate)  # a cut-off below the average rate leaves no Medium zone
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=100 * probability,
            number={"suffix": "%", "valueformat": ".0f"},
            gauge={
                "axis": {"range": [0, 100], "ticksuffix": "%"},
                "bar": {"color": "#2B2B2B", "thickness": 0.3},
                "steps": [
                    {"range": [0, 100 * base_rate], "color": _tint(BAND_COLORS["Low"])},
                    {
                        "range": [100 * base_rate, 100 * cutoff],
                        "color": _tint(BAND_COLORS["Medium"]),
                    },
                    {"range": [100 * cutoff, 100], "color": _tint(BAND_COLORS["High"])},
                ],
            },
        )
    )
    fig.update_layout(margin={"l": 30, "r": 30, "t": 60, "b": 10})
    return style_figure(fig, title, height=250)


def _tint(hex_color: str, share: float = 0.35) -> str:
    """A lighter version of a colour, so the needle stays readable on it."""
    r, g, b = (int(hex_color[k : k + 2], 16) for k in (1, 3, 5))
    mix = [round(255 - share * (255 - c)) for c in (r, g, b)]
    return f"rgb({mix[0]}, {mix[1]}, {mix[2]})"


def _jitter(points: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vertical spread that grows where dots crowd, like a beeswarm (cheap: by histogram)."""
    if len(points) == 0:
        return points
    counts, edges = np.histogram(points, bins=40)
    which = np.clip(np.searchsorted(edges, points, side="right") - 1, 0, len(counts) - 1)
    crowd = counts[which] / max(counts.max(), 1)
    return rng.uniform(-0.38, 0.38, len(points)) * crowd
