"""Figures for the Retention & CLV page, in the house style of :mod:`churn_core.figures`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from churn_core import columns as col
from churn_core.columns import CLV
from churn_core.figures import (
    CHURNED_COLOR,
    NEUTRAL_COLOR,
    REFERENCE_LINE,
    STAYED_COLOR,
    TEXT_COLOR,
    empty_figure,
    escape,
    shorten,
    style_figure,
)
from churn_core.survival import hazards as hz
from churn_core.survival import kaplan_meier as sv

#: Okabe-Ito colours (colour-blind safe), the house blue first.
GROUP_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
MAX_POINTS = 5000  # points drawn in the value x risk scatter (the named ones always are)


def plot_retention_curves(km: sv.KaplanMeier) -> go.Figure:
    """Retention over months as a customer, one step line per group with its 95 % band."""
    fig = go.Figure()
    for i, (group, curve) in enumerate(km.curves.groupby(sv.GROUP, sort=False)):
        color = GROUP_COLORS[i % len(GROUP_COLORS)]
        name = f"{shorten(group, 30)} ({km.sizes[str(group)]:,})"
        months = curve[sv.MONTH].to_numpy()
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([months, months[::-1]]),
                y=np.concatenate([curve[sv.UPPER], curve[sv.LOWER].to_numpy()[::-1]]),
                fill="toself",
                fillcolor=_transparent(color),
                line={"width": 0, "shape": "hv"},
                hoverinfo="skip",
                showlegend=False,
                legendgroup=name,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=months,
                y=curve[sv.RETENTION],
                name=escape(name),
                legendgroup=name,
                line={"color": color, "width": 2.5, "shape": "hv"},
                customdata=np.stack([curve[sv.AT_RISK], curve[sv.LOWER], curve[sv.UPPER]], -1),
                hovertemplate=f"<b>{escape(group)}</b><br>month %{{x}}: %{{y:.1%}} still "
                "customers<br>likely between %{customdata[1]:.1%} and %{customdata[2]:.1%}"
                "<br>%{customdata[0]:,} customers followed this long<extra></extra>",
            )
        )
    for month in (12, 24):
        if km.curves[sv.MONTH].max() >= month:
            fig.add_vline(x=month, line={"color": "#B0B0B0", "width": 1, "dash": "dot"})
    fig.update_yaxes(title="Still customers", tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(title="Months as a customer")
    by = f" by {escape(km.group_column)}" if km.group_column else ""
    style_figure(
        fig,
        title=f"Retention{by}",
        height=460,
        subtitle="Share still customers after each month; the shaded band is where the true "
        "value likely lies.",
    )
    return fig.update_layout(showlegend=len(km.sizes) > 1)


def plot_hazard_ratios(ratios: pd.DataFrame, top: int = 15) -> go.Figure:
    """Forest plot: each hazard ratio with its 95 % interval on a log scale, 1 = no effect."""
    if ratios.empty:
        return empty_figure("No hazard ratios to show.", title="What makes customers leave sooner")
    shown = ratios.head(top).iloc[::-1]
    colors = [
        NEUTRAL_COLOR if not s else CHURNED_COLOR if hr > 1 else STAYED_COLOR
        for hr, s in zip(shown[hz.HAZARD_RATIO], shown[hz.SIGNIFICANT], strict=True)
    ]
    labels = [escape(shorten(t, 40)) for t in shown[hz.TERM]]
    fig = go.Figure(
        go.Scatter(
            x=shown[hz.HAZARD_RATIO],
            y=labels,
            mode="markers",
            marker={"color": colors, "size": 11, "symbol": "square"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": shown[hz.UPPER] - shown[hz.HAZARD_RATIO],
                "arrayminus": shown[hz.HAZARD_RATIO] - shown[hz.LOWER],
                "color": TEXT_COLOR,
                "thickness": 1.5,
            },
            customdata=[escape(r) for r in shown[hz.READING]],
            hovertemplate="%{customdata}<br>hazard ratio %{x:.2f}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(x=1, line=REFERENCE_LINE["line"])
    # On a log axis annotations are placed in log10 units: 0 is "1x".
    fig.add_annotation(x=0, y=1, yref="paper", text="no effect", showarrow=False, yshift=12)
    low = min(float(shown[hz.LOWER].min()), 0.9)
    high = max(float(shown[hz.UPPER].max()), 1.1)
    ticks = [
        t for t in (0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50) if low / 2 <= t <= high * 2
    ]
    fig.update_xaxes(
        type="log",
        title="Leaves this many times as fast (log scale)",
        tickvals=ticks,
        ticktext=[f"{t:g}x" for t in ticks],
    )
    return style_figure(
        fig,
        title="Hazard ratios",
        height=max(320, 60 + 30 * len(shown)),
        subtitle="Orange: leave faster; blue: stay longer; grey: could be chance. Lines: 95% range",
    )


def plot_clv_distribution(
    values: pd.DataFrame,
    *,
    title: str = "How value is spread across current customers",
    empty: str = "No CLV to show: needs a monthly revenue column.",
    clip_top: bool = False,
) -> go.Figure:
    """Histogram of customers' CLV, with the average marked; ``clip_top`` draws the top 1 % at
    the right edge (a purchase log's few big spenders would squash the rest)."""
    clv = values[CLV].dropna()
    if clv.empty:
        return empty_figure(empty, title=title)
    high = float(clv.quantile(0.99))
    fig = go.Figure(
        go.Histogram(
            x=clv.clip(upper=high) if clip_top else clv,
            nbinsx=40,
            marker={"color": STAYED_COLOR, "line": {"color": "white", "width": 0.5}},
            hovertemplate="CLV %{x}<br>%{y:,} customers<extra></extra>",
        )
    )
    fig.add_vline(
        x=float(clv.mean()), **{**REFERENCE_LINE, "annotation_text": f"average {clv.mean():,.0f}"}
    )
    fig.update_xaxes(title="Customer lifetime value", tickformat=",.0f")
    fig.update_yaxes(title="Customers", tickformat=",")
    clipped = f"; the top 1% (above {high:,.0f}) is drawn at the right edge" if clip_top else ""
    return style_figure(
        fig,
        title=title,
        height=380,
        subtitle="CLV: the profit a customer is expected to bring from now on, in today's "
        f"money{clipped}.",
    )


def plot_value_risk(
    values: pd.DataFrame,
    id_column: str,
    risk_cut: float,
    value_cut: float,
    value_label: str = "top quarter by value",
) -> go.Figure:
    """Quadrant scatter of churn probability against CLV; the high-value, high-risk corner named."""
    data = values.dropna(subset=[CLV, col.CHURN_PROBABILITY])
    if data.empty:
        return empty_figure("Needs both CLV and churn probabilities.", title="Value and risk")
    corner = (data[col.CHURN_PROBABILITY] >= risk_cut) & (data[CLV] >= value_cut)
    rest = data[~corner]
    if len(rest) > MAX_POINTS:
        rest = rest.sample(MAX_POINTS, random_state=0)
    fig = go.Figure()
    parts = [
        (rest, f"Others ({int((~corner).sum()):,})", NEUTRAL_COLOR),
        (data[corner], f"High value, high risk ({int(corner.sum()):,})", CHURNED_COLOR),
    ]
    for part, name, color in parts:
        fig.add_trace(
            go.Scattergl(
                x=part[col.CHURN_PROBABILITY],
                y=part[CLV],
                mode="markers",
                name=name,
                marker={"color": color, "size": 6, "opacity": 0.6},
                customdata=[escape(v) for v in part[id_column]],
                hovertemplate=f"{escape(id_column)} %{{customdata}}<br>churn probability "
                "%{x:.0%}<br>CLV %{y:,.0f}<extra></extra>",
            )
        )
    fig.add_vline(x=risk_cut, **{**REFERENCE_LINE, "annotation_text": "flagged as at risk"})
    fig.add_hline(y=value_cut, **{**REFERENCE_LINE, "annotation_text": value_label})
    fig.update_xaxes(title="Churn probability", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title="CLV", tickformat=",.0f")
    return style_figure(
        fig,
        title="Value and risk",
        height=460,
        subtitle="Top right: valuable customers likely to leave, the first ones to call.",
    )


def plot_cohort_retention(table: pd.DataFrame) -> go.Figure:
    """Heatmap: share of each signup month's customers still customers k months later."""
    if table.empty:
        return empty_figure("No signup dates to group customers by.", title="Retention by cohort")
    z = table.to_numpy(dtype=float)
    text = np.where(np.isnan(z), "", np.vectorize(lambda v: f"{v:.0%}")(np.nan_to_num(z)))
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in table.columns],
            y=list(table.index),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 10},
            xgap=1,
            ygap=1,
            colorscale=[[0.0, "#FFFFFF"], [1.0, STAYED_COLOR]],
            zmin=max(0.0, float(np.nanmin(z)) if np.isfinite(z).any() else 0.0),
            zmax=1.0,
            colorbar={"tickformat": ".0%", "title": {"text": "Still<br>customers"}},
            hovertemplate="signed up %{y}<br>after %{x} months: %{z:.0%}<extra></extra>",
        )
    )
    fig.update_xaxes(title="Months since signup", side="bottom", dtick=3)
    fig.update_yaxes(title="Signup month", autorange="reversed", type="category")
    return style_figure(
        fig,
        title="Retention by signup month",
        height=max(380, 120 + 24 * len(table)),
        subtitle="Each row is the customers who signed up that month; blank: not that old yet.",
    )


def _transparent(hex_color: str, alpha: float = 0.15) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"
