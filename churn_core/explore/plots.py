"""Charts for the Explore page, drawn from the small frames
:mod:`churn_core.explore.summaries` returns.

Every chart speaks plain English: counts are "Customers", rates are percentages, and the
uncertainty of a rate is described as "the range the true rate likely lies in".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from churn_core import columns as col
from churn_core.explore.summaries import (
    BLANK_LABEL,
    get_churn_rate_by_bins,
    get_churn_rate_by_category,
    get_histogram,
    get_overall_churn_rate,
    get_value_counts,
)
from churn_core.figures import (
    CHURNED_COLOR,
    COUNT_FORMAT,
    DIVERGING_COLORSCALE,
    NEUTRAL_COLOR,
    PERCENT_FORMAT,
    REFERENCE_LINE,
    SEQUENTIAL_COLORSCALE,
    STAYED_COLOR,
    empty_figure,
    escape,
    shorten,
    style_figure,
)

MAX_ANNOTATED_COLUMNS = 15


def plot_histogram(
    hist_df: pd.DataFrame, column: str, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """Bars of customers per range of ``column``, split into churned and stayed when known.

    Parameters
    ----------
    hist_df : pandas.DataFrame
        Output of :func:`churn_core.explore.summaries.get_histogram` (one bar per row).
    column : str
        The column's name as the user wrote it; used in the title and the x axis.
    """
    name = escape(column)
    title = title or f"Customers by {name}"
    if hist_df.empty:
        return empty_figure(f"{column} has no values to show.", title)
    low, high = hist_df[col.BIN_LOW].to_numpy(float), hist_df[col.BIN_HIGH].to_numpy(float)
    discrete = bool(np.all(low == high))
    centre, width = (low + high) / 2, high - low
    if discrete:
        gaps = np.diff(centre)
        width = np.full(len(centre), 0.8 * (gaps.min() if gaps.size else 1.0))
    labels = hist_df["label"].to_numpy(str)
    fig = go.Figure()
    if col.CHURNED_COUNT in hist_df:
        total = hist_df["customers"].to_numpy()
        unknown = (
            total - hist_df[col.CHURNED_COUNT].to_numpy() - hist_df[col.STAYED_COUNT].to_numpy()
        )
        parts = [
            ("Stayed", hist_df[col.STAYED_COUNT].to_numpy(), STAYED_COLOR),
            ("Churned", hist_df[col.CHURNED_COUNT].to_numpy(), CHURNED_COLOR),
        ]
        if unknown.any():
            parts.append(("Outcome unknown", unknown, NEUTRAL_COLOR))
        for label, counts, colour in parts:
            share = np.divide(counts, total, out=np.zeros(len(total)), where=total > 0)
            fig.add_bar(
                x=centre,
                y=counts,
                width=width,
                name=label,
                marker={"color": colour, "line": {"color": "white", "width": 0.5}},
                customdata=_rows(labels, share),
                hovertemplate=f"<b>{name}: %{{customdata[0]}}</b><br>{label}: %{{y:,}} "
                "customers (%{customdata[1]:.0%} of this range)<extra></extra>",
            )
        subtitle = "Each bar split into customers who churned and who stayed."
    else:
        fig.add_bar(
            x=centre,
            y=hist_df["customers"],
            width=width,
            name="Customers",
            marker={"color": STAYED_COLOR, "line": {"color": "white", "width": 0.5}},
            customdata=labels,
            hovertemplate=f"<b>{name}: %{{customdata}}</b><br>%{{y:,}} customers<extra></extra>",
        )
        subtitle = None
    fig.update_layout(barmode="stack", bargap=0)
    fig.update_xaxes(title_text=name, tickformat=COUNT_FORMAT)
    if discrete:
        fig.update_xaxes(tickvals=centre, ticktext=[shorten(t, 16) for t in labels])
    fig.update_yaxes(title_text="Customers", tickformat=COUNT_FORMAT)
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_value_counts(
    counts_df: pd.DataFrame, column: str, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """Bars of customers per value of ``column``, split into churned and stayed when known.

    Parameters
    ----------
    counts_df : pandas.DataFrame
        Output of :func:`churn_core.explore.summaries.get_value_counts`; bars keep its order.
    column : str
        The column's name as the user wrote it.
    """
    name = escape(column)
    title = title or f"Customers by {name}"
    if counts_df.empty:
        return empty_figure(f"{column} has no values to show.", title)
    values = [escape(v) for v in counts_df["value"]]
    total = counts_df["customers"].to_numpy()
    fig = go.Figure()
    if col.CHURNED_COUNT in counts_df:
        parts = [
            ("Stayed", counts_df[col.STAYED_COUNT].to_numpy(), STAYED_COLOR),
            ("Churned", counts_df[col.CHURNED_COUNT].to_numpy(), CHURNED_COLOR),
        ]
        unknown = total - parts[0][1] - parts[1][1]
        if unknown.any():
            parts.append(("Outcome unknown", unknown, NEUTRAL_COLOR))
        subtitle = "Each bar split into customers who churned and who stayed."
    else:
        parts = [("Customers", total, STAYED_COLOR)]
        subtitle = None
    for label, counts, colour in parts:
        share = np.divide(counts, total, out=np.zeros(len(total)), where=total > 0)
        fig.add_bar(
            x=values,
            y=counts,
            name=label,
            marker_color=colour,
            customdata=share,
            hovertemplate=f"<b>{name}: %{{x}}</b><br>{label}: %{{y:,}} customers"
            + (" (%{customdata:.0%})" if label != "Customers" else "")
            + "<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    _category_axis(fig, values, name)
    fig.update_yaxes(title_text="Customers", tickformat=COUNT_FORMAT)
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_churn_rate(
    rate_df: pd.DataFrame,
    column: str,
    overall_rate: float | None = None,
    *,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Churn rate per group of ``column`` with the range the true rate likely lies in.

    Parameters
    ----------
    rate_df : pandas.DataFrame
        Output of :func:`churn_core.explore.summaries.get_churn_rate_by_category` or
        :func:`churn_core.explore.summaries.get_churn_rate_by_bins`; bars keep its order.
    column : str
        The column's name as the user wrote it.
    overall_rate : float, optional
        Churn rate of all customers, drawn as a dashed "Average" line.
    """
    name = escape(column)
    title = title or f"Churn rate by {name}"
    if rate_df.empty:
        return empty_figure(f"No customers with a known outcome have a value in {column}.", title)
    values = [escape(v) for v in rate_df["value"]]
    rate = rate_df["churn_rate"].to_numpy(float)
    low, high = rate_df[col.CI_LOW].to_numpy(float), rate_df[col.CI_HIGH].to_numpy(float)
    special = [v == BLANK_LABEL or str(v).startswith("Other (") for v in rate_df["value"]]
    customers = rate_df["customers"].to_numpy()
    fig = go.Figure()
    fig.add_bar(
        x=values,
        y=rate,
        name="Churn rate",
        marker_color=[NEUTRAL_COLOR if s else CHURNED_COLOR for s in special],
        error_y={
            "type": "data",
            "array": high - rate,
            "arrayminus": rate - low,
            "color": "#404040",
            "thickness": 1.2,
        },
        text=[f"{n:,}" for n in customers],
        textposition="inside",
        insidetextanchor="start",
        textangle=0,
        textfont={"color": "white"},
        customdata=np.column_stack([low, high, customers, rate_df["churned"].to_numpy()]),
        hovertemplate=f"<b>{name}: %{{x}}</b><br>Churn rate: %{{y:.1%}}<br>"
        "Likely range of the true rate: %{customdata[0]:.1%} to %{customdata[1]:.1%}<br>"
        "Customers: %{customdata[2]:,}<br>Churned: %{customdata[3]:,}<extra></extra>",
    )
    if overall_rate is not None and np.isfinite(overall_rate):
        fig.add_hline(
            y=overall_rate, annotation_text=f"Average: {overall_rate:.1%}", **REFERENCE_LINE
        )
    _category_axis(fig, values, name)
    fig.update_yaxes(title_text="Churn rate", tickformat=PERCENT_FORMAT, rangemode="tozero")
    subtitle = "On bars: customers. Lines: the range the true rate likely lies in."
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_correlations(
    corr_df: pd.DataFrame, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """Heatmap of how columns move together, from -1 (opposite) through 0 to +1 (together).

    Parameters
    ----------
    corr_df : pandas.DataFrame
        Square output of :func:`churn_core.explore.summaries.get_correlations`. Values are
        written in the cells when there are at most 15 columns.
    """
    title = title or "How columns move together"
    if corr_df.shape[0] < 2:
        return empty_figure("Pick at least two number columns that are not constant.", title)
    names = [escape(c) for c in corr_df.columns]
    n = len(names)
    positions = list(range(n))
    hover_names = np.array([[f"{names[i]} and {names[j]}" for j in range(n)] for i in range(n)])
    fig = go.Figure(
        go.Heatmap(
            z=corr_df.to_numpy(float),
            x=positions,
            y=positions,
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale=DIVERGING_COLORSCALE,
            customdata=hover_names,
            hovertemplate="<b>%{customdata}</b><br>Correlation: %{z:.2f}<extra></extra>",
            texttemplate="%{z:.2f}" if n <= MAX_ANNOTATED_COLUMNS else None,
            xgap=1,
            ygap=1,
            colorbar={
                "title": {"text": "Correlation", "side": "right"},
                "tickvals": [-1, 0, 1],
                "ticktext": ["−1 opposite", "0 unrelated", "+1 together"],
            },
        )
    )
    ticks = {"tickvals": positions, "ticktext": [shorten(c, 22) for c in names], "showgrid": False}
    fig.update_xaxes(**ticks, tickangle=-45)
    fig.update_yaxes(**ticks, autorange="reversed")
    subtitle = "+1: rise together · −1: one rises as the other falls · 0: no link (rank-based)"
    height = height or int(min(900, max(460, 200 + 44 * n)))
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_missing_map(
    map_df: pd.DataFrame, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """Heatmap of where values are missing: columns across, blocks of rows down the file.

    Parameters
    ----------
    map_df : pandas.DataFrame
        Output of :func:`churn_core.explore.summaries.get_missing_map` (fractions in [0, 1]).
    """
    title = title or "Where values are missing"
    if map_df.empty:
        return empty_figure("There are no rows to show.", title)
    names = [escape(c) for c in map_df.columns]
    rows = [str(r) for r in map_df.index]
    positions = list(range(len(names)))
    fig = go.Figure(
        go.Heatmap(
            z=map_df.to_numpy(float),
            x=positions,
            y=rows,
            zmin=0,
            zmax=1,
            colorscale=SEQUENTIAL_COLORSCALE,
            customdata=np.tile(np.array(names, dtype=object), (len(rows), 1)),
            hovertemplate="<b>%{customdata}</b><br>%{y}<br>Missing: %{z:.1%}<extra></extra>",
            colorbar={"title": {"text": "Missing", "side": "right"}, "tickformat": PERCENT_FORMAT},
        )
    )
    fig.update_xaxes(
        tickvals=positions,
        ticktext=[shorten(c, 22) for c in names],
        tickangle=-45,
        showgrid=False,
        title_text="Column",
    )
    fig.update_yaxes(
        type="category", autorange="reversed", showgrid=False, title_text="Rows of the file"
    )
    subtitle = "Darker cells: more blank values in that column for that stretch of rows."
    return style_figure(fig, title=title, height=height or 520, subtitle=subtitle)


def _category_axis(fig: go.Figure, values: list[str], title: str) -> None:
    """Keep the frame's order, treat ``"1"`` as a label not a number, shorten long labels."""
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=values,
        tickvals=values,
        ticktext=[shorten(v, 20) for v in values],
        title_text=title,
    )


def _rows(*columns: np.ndarray) -> np.ndarray:
    """Hover data as an object array, so numbers stay numbers next to text."""
    out = np.empty((len(columns[0]), len(columns)), dtype=object)
    for j, values in enumerate(columns):
        out[:, j] = values
    return out


#: Numeric columns with at most this many values are charted as categories (flags, counts).
CATEGORY_LIKE_MAX_VALUES = 10


def is_category_like(series: pd.Series) -> bool:
    """Text, yes/no, and numbers with few values (1-4 products, 0/1 flags) read as categories."""
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return True
    return bool(series.nunique() <= CATEGORY_LIKE_MAX_VALUES)


def plot_distribution(
    frame: pd.DataFrame, column: str, churned: pd.Series | None = None
) -> go.Figure:
    """How a column's values are spread, split by churned/stayed: the right chart for its type."""
    if is_category_like(frame[column]):
        return plot_value_counts(get_value_counts(frame, column, churned), column)
    return plot_histogram(get_histogram(frame, column, churned), column)


def plot_churn_rate_by(frame: pd.DataFrame, column: str, churned: pd.Series) -> go.Figure:
    """Churn rate per value (categories) or per range (numbers) of a column."""
    if is_category_like(frame[column]):
        rates = get_churn_rate_by_category(frame, column, churned)
    else:
        rates = get_churn_rate_by_bins(frame, column, churned)
    return plot_churn_rate(rates, column, get_overall_churn_rate(churned))
