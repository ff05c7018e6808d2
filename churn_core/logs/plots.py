"""Charts of a log: activity over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from churn_core import columns as col
from churn_core.figures import NEUTRAL_COLOR, STAYED_COLOR, style_figure


def plot_activity_over_time(over_time: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Active and new customers per period (bars and a line) from ``get_activity_over_time``."""
    fig = go.Figure()
    fig.add_bar(
        x=over_time[col.PERIOD],
        y=over_time[col.ACTIVE_CUSTOMERS],
        name="Active customers",
        marker_color=STAYED_COLOR,
    )
    fig.add_scatter(
        x=over_time[col.PERIOD],
        y=over_time[col.NEW_CUSTOMERS],
        name="New customers",
        mode="lines+markers",
        line={"color": NEUTRAL_COLOR},
    )
    fig.update_yaxes(title_text="Customers")
    return style_figure(
        fig,
        title or "Activity over time",
        subtitle="Customers with any activity in each period, and those whose first it was",
    )
