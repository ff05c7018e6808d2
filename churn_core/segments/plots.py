"""Figures for the Segments page: choosing k, the customer map, the profile heatmap, the bars.

Each segment keeps one colour (:data:`SEGMENT_COLORS`, by segment number) on every chart, and
long names wrap over lines so tick labels stay readable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from churn_core.figures import (
    COUNT_FORMAT,
    DIVERGING_COLORSCALE,
    PERCENT_FORMAT,
    REFERENCE_LINE,
    escape,
    shorten,
    style_figure,
)
from churn_core.segments.k_choice import SILHOUETTE, WITHIN_SHARE, K
from churn_core.segments.plays import CHURN_RATE, MONTHLY_REVENUE

#: Tableau 10: ten colours that stay apart for most readers.
SEGMENT_COLORS = (
    "#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2",
    "#B279A2", "#EECA3B", "#9D755D", "#FF9DA6", "#BAB0AC",
)  # fmt: skip
HIGHLIGHT_COLOR = "#D55E00"
#: z-scores beyond this are drawn in the strongest colour (their value is still shown).
Z_LIMIT = 2.0
WRAP_CHARS = 26


def segment_color(number: int) -> str:
    """The colour of segment ``number`` (0 = largest) on every chart."""
    return SEGMENT_COLORS[number % len(SEGMENT_COLORS)]


def wrap_name(name: str, width: int = WRAP_CHARS) -> str:
    """A segment name over several lines (``<br>``) at its commas, for axis labels."""
    lines: list[str] = []
    for part in escape(name).split(", "):
        if lines and len(lines[-1]) + len(part) + 2 <= width:
            lines[-1] += ", " + part
        else:
            lines.append(part)
    return ",<br>".join(lines)


def plot_silhouette(scores: pd.DataFrame, recommended: int, chosen: int | None = None) -> go.Figure:
    """Silhouette by number of segments, the recommendation marked and the user's choice lined."""
    fig = _k_line(scores, SILHOUETTE, recommended, chosen, ".2f")
    fig.update_yaxes(title_text="Silhouette (higher = clearer groups)", rangemode="tozero")
    return style_figure(
        fig,
        "How clearly separate the segments are",
        340,
        subtitle="Silhouette: higher = customers sit clearly in one segment.",
    )


def plot_elbow(scores: pd.DataFrame, recommended: int, chosen: int | None = None) -> go.Figure:
    """Share of differences left within segments by number of segments (the elbow chart)."""
    fig = _k_line(scores, WITHIN_SHARE, recommended, chosen, ".0%")
    fig.update_yaxes(
        title_text="Differences left within segments", tickformat=PERCENT_FORMAT, rangemode="tozero"
    )
    return style_figure(
        fig,
        "How much each extra segment explains",
        340,
        subtitle="Elbow: where the curve bends, more segments add little.",
    )


def _k_line(
    scores: pd.DataFrame, column: str, recommended: int, chosen: int | None, fmt: str
) -> go.Figure:
    ks, values = scores[K].to_numpy(int), scores[column].to_numpy(float)
    fig = go.Figure(
        go.Scatter(
            x=ks,
            y=values,
            mode="lines+markers",
            line={"color": SEGMENT_COLORS[0], "width": 2},
            marker={"size": 8},
            hovertemplate=f"%{{x}} segments: %{{y:{fmt}}}<extra></extra>",
            showlegend=False,
        )
    )
    best = ks == recommended
    if best.any():
        fig.add_trace(
            go.Scatter(
                x=ks[best],
                y=values[best],
                mode="markers",
                marker={"size": 16, "color": HIGHLIGHT_COLOR, "symbol": "star"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        fig.add_annotation(
            x=recommended,
            y=float(values[best][0]),
            text="recommended",
            showarrow=True,
            arrowhead=0,
            ax=0,
            ay=-34,
            bgcolor="rgba(255, 255, 255, 0.9)",
            font={"color": HIGHLIGHT_COLOR},
        )
    if chosen is not None and chosen != recommended:
        fig.add_vline(
            x=chosen,
            annotation_text=f"your choice: {chosen}",
            **{**REFERENCE_LINE, "annotation_position": "bottom right"},
        )
    fig.update_xaxes(title_text="Number of segments", dtick=1)
    return fig


def plot_segment_map(
    points: pd.DataFrame, names: Sequence[str], axes: tuple[str, str], customers: int
) -> go.Figure:
    """Customers as dots in two dimensions, coloured by segment (``points``: x, y, segment)."""
    fig = go.Figure()
    for number, name in enumerate(names):
        part = points[points["segment"] == name]
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=escape(name),
                marker={"size": 5, "opacity": 0.6, "color": segment_color(number)},
                hovertemplate=f"{escape(name)}<extra></extra>",
            )
        )
    fig.update_xaxes(title_text=f"Mostly {escape(axes[0])}", showticklabels=False)
    fig.update_yaxes(
        title_text=f"Mostly {escape(axes[1])}" if axes[1] else "", showticklabels=False
    )
    shown = (
        f"{len(points):,} of {customers:,} customers"
        if len(points) < customers
        else "every customer"
    )
    fig = style_figure(
        fig,
        "Customers on a map",
        560,
        subtitle=f"Each dot is a customer ({shown}); nearby dots are similar customers.",
    )
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02, "yanchor": "top"})
    fig.update_layout(margin={"t": 80})
    return fig


def plot_segment_profile(zscores: pd.DataFrame, averages: pd.DataFrame) -> go.Figure:
    """Heatmap of how each segment differs from average, with the raw averages written in."""
    names = list(zscores.index)
    columns = list(zscores.columns)
    text = [[_average_text(averages, name, column) for column in columns] for name in names]
    z = zscores.to_numpy(float)
    fig = go.Figure(
        go.Heatmap(
            z=np.clip(z, -Z_LIMIT, Z_LIMIT),
            x=[escape(shorten(c, 22)) for c in columns],
            y=[wrap_name(n) for n in names],
            text=text,
            texttemplate="%{text}",
            customdata=np.round(z, 2),
            colorscale=DIVERGING_COLORSCALE,
            zmid=0,
            zmin=-Z_LIMIT,
            zmax=Z_LIMIT,
            xgap=2,
            ygap=2,
            colorbar={
                "tickvals": [-2, -1, 0, 1, 2],
                "ticktext": ["well below", "below", "average", "above", "well above"],
            },
            hovertemplate="%{y}<br>%{x}: average %{text}<br>z-score %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="bottom", tickangle=-30 if len(columns) > 4 else 0)
    style_figure(
        fig,
        "What makes each segment different",
        160 + 70 * len(names),
        subtitle="Colour: above (orange) or below (blue) the average customer. Numbers: averages.",
    )
    return _title_over_figure(fig)


def _average_text(averages: pd.DataFrame, name: str, column: str) -> str:
    source, _, level = column.partition(": ")
    if level and source in averages.columns:
        return ""  # a category level: the colour says more than the commonest value
    value = averages.at[name, column] if column in averages.columns else None
    if isinstance(value, float | int | np.floating):
        number = float(value)
        return (
            "" if np.isnan(number) else f"{number:,.2f}" if abs(number) < 10 else f"{number:,.1f}"
        )
    return "" if value is None else escape(value)


def plot_segment_churn(summary: pd.DataFrame, overall_rate: float) -> go.Figure:
    """Churn rate per segment as bars, with the average customer's rate as a line."""
    fig = _bars(summary, CHURN_RATE, PERCENT_FORMAT, "Churn rate", overall_rate)
    fig.update_xaxes(tickformat=PERCENT_FORMAT, rangemode="tozero")
    return _bar_style(fig, "Churn rate by segment", f"{overall_rate:.0%}", len(summary))


def plot_segment_revenue(summary: pd.DataFrame, overall_revenue: float, column: str) -> go.Figure:
    """Average monthly revenue per segment as bars, with the average customer's as a line."""
    fig = _bars(summary, MONTHLY_REVENUE, ",.2f", f"Average {column}", overall_revenue)
    fig.update_xaxes(tickformat=COUNT_FORMAT, rangemode="tozero")
    title = f"Average {escape(column)} by segment"
    return _bar_style(fig, title, f"{overall_revenue:,.2f}", len(summary))


def _bars(summary: pd.DataFrame, column: str, fmt: str, title: str, overall: float) -> go.Figure:
    names = summary["segment"].tolist()
    values = summary[column].to_numpy(float)
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[wrap_name(n) for n in names],
            orientation="h",
            marker={"color": [segment_color(i) for i in range(len(names))]},
            text=[format(v, fmt) if not np.isnan(v) else "" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}<br>{escape(title)}: %{{x:{fmt}}}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(x=overall, line=REFERENCE_LINE["line"], layer="below")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=escape(title))
    return fig


def _bar_style(fig: go.Figure, title: str, overall: str, segments: int) -> go.Figure:
    """House style, with the title over the whole figure (the long names push the plot right)."""
    style_figure(
        fig, title, 150 + 62 * segments, subtitle=f"Dashed line: all customers ({overall})."
    )
    return _title_over_figure(fig)


def _title_over_figure(fig: go.Figure) -> go.Figure:
    """Title from the figure's left edge, not the plot's: long segment names push the plot."""
    fig.update_layout(title={"xref": "container", "x": 0, "pad": {"l": 10, "t": 15}})
    return fig
