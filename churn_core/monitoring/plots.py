"""Charts of the monthly loop: drift per column, a list's expected against actual leavers (by
band, by probability, over time), and the movers since the previous list.

Each takes what the engine returns (``DriftReport``, ``TrackRecord``, ``Movers``, the history
frame) and gives a styled Plotly figure, or one that says in words why there is nothing to draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from churn_core import columns as col
from churn_core.figures import (
    CHURNED_COLOR,
    NEUTRAL_COLOR,
    REFERENCE_LINE,
    STAYED_COLOR,
    empty_figure,
    escape,
    shorten,
    style_figure,
)
from churn_core.model import plots as model_plots
from churn_core.monitoring.drift import DriftReport
from churn_core.monitoring.movers import MOVEMENTS, NEW_IN_FILE, NEWLY_AT_RISK, RISK_UP, Movers
from churn_core.monitoring.track_record import TrackRecord

#: Most columns drawn in the drift chart.
TOP_DRIFT_COLUMNS = 15


def first_sentence(text: str, limit: int = 140) -> str:
    """A summary's first sentence as a subtitle, never cut mid-word.

    >>> first_sentence("Of the 5 customers, 2 left. Of the 3 flagged, 1 left.")
    'Of the 5 customers, 2 left.'
    """
    sentence = text.split(". ", 1)[0].rstrip(".") + "."
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def plot_drift(report: DriftReport, *, top: int = TOP_DRIFT_COLUMNS) -> go.Figure:
    """How far each column moved, relative to its threshold (past 1 = drifted), in the
    report's order (most relied-on first, with a model); the sentence in each hover."""
    title = "Have the customers changed?"
    frame = report.frame.head(top)
    if frame.empty:
        return empty_figure("No columns were compared.", title)
    value = frame[col.VALUE].to_numpy(float)
    threshold = frame[col.THRESHOLD].to_numpy(float)
    small = report.regime.startswith("statistical")
    with np.errstate(divide="ignore", over="ignore"):
        ratio = threshold / value if small else value / threshold
    ratio = np.where(np.isfinite(ratio), ratio, 10.0)
    drifted = frame[col.DRIFTED].to_numpy(bool)
    names = [escape(shorten(c, 28)) for c in frame[col.COLUMN]]
    fig = go.Figure(
        go.Bar(
            x=np.minimum(ratio, 10.0),
            y=names,
            orientation="h",
            marker_color=np.where(drifted, CHURNED_COLOR, STAYED_COLOR).tolist(),
            customdata=np.stack(
                [frame[col.MEASURE], [f"{v:.3g}" for v in value], frame[col.SENTENCE]], axis=1
            ),
            hovertemplate="%{y}<br>%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}"
            "<extra></extra>",
        )
    )
    fig.add_vline(x=1.0, annotation_text="drift threshold", **REFERENCE_LINE)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="how far past the threshold (1 = at it)", rangemode="tozero")
    return style_figure(
        fig,
        title,
        height=max(260, 34 * len(frame) + 140),
        subtitle=f"{report.share_drifted:.0%} of columns drifted (orange), measured by "
        f"{report.regime} for {min(report.rows_reference, report.rows_new):,} customers",
    )


def plot_track_record(record: TrackRecord) -> go.Figure:
    """Expected against actual leavers per risk band: do the list's numbers come true?"""
    title = "Expected against actual leavers, by risk band"
    bands = record.by_band
    if bands.empty:
        return empty_figure("No listed customer has a known outcome yet.", title)
    fig = go.Figure()
    fig.add_bar(
        x=bands[col.GROUP],
        y=bands[col.EXPECTED_CHURNERS],
        name="Expected (sum of probabilities)",
        marker_color=NEUTRAL_COLOR,
        hovertemplate="%{x}: %{y:,.0f} expected<extra></extra>",
    )
    fig.add_bar(
        x=bands[col.GROUP],
        y=bands[col.ACTUAL_CHURNERS],
        name="Actually left",
        marker_color=CHURNED_COLOR,
        customdata=bands[[col.CUSTOMERS, col.CHURN_RATE]].to_numpy(),
        hovertemplate="%{x}: %{y:,} left of %{customdata[0]:,} (%{customdata[1]:.0%})"
        "<extra></extra>",
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="customers", tickformat=",")
    return style_figure(fig, title, height=420, subtitle=first_sentence(record.summary()))


def plot_track_calibration(record: TrackRecord) -> go.Figure:
    """Predicted against actual churn per group of similar probabilities, on the list."""
    return model_plots.plot_calibration(
        record.y, {"This list": record.p}, title="Did the probabilities come true?"
    )


def plot_track_history(history: pd.DataFrame) -> go.Figure:
    """Expected against actual leavers list after list (``get_track_history``)."""
    title = "The model's track record, list after list"
    if history.empty:
        return empty_figure("No list has been checked against who left yet.", title)
    fig = go.Figure()
    fig.add_scatter(
        x=history[col.GROUP],
        y=history[col.EXPECTED_CHURNERS],
        name="Expected",
        mode="lines+markers",
        line={"color": NEUTRAL_COLOR, "dash": "dash"},
    )
    fig.add_scatter(
        x=history[col.GROUP],
        y=history[col.ACTUAL_CHURNERS],
        name="Actually left",
        mode="lines+markers",
        line={"color": CHURNED_COLOR},
    )
    fig.update_yaxes(title_text="customers", tickformat=",", rangemode="tozero")
    return style_figure(fig, title, height=380)


def plot_movers(movers: Movers) -> go.Figure:
    """How many customers moved each way since the previous list."""
    title = "Movers since the previous list"
    counts = [movers.counts[m] for m in MOVEMENTS]
    if not any(counts):
        return empty_figure("Nobody moved more than the threshold.", title)
    rising = {NEWLY_AT_RISK, RISK_UP, NEW_IN_FILE}
    fig = go.Figure(
        go.Bar(
            x=list(MOVEMENTS),
            y=counts,
            marker_color=[CHURNED_COLOR if m in rising else STAYED_COLOR for m in MOVEMENTS],
            hovertemplate="%{x}: %{y:,}<extra></extra>",
            text=[f"{c:,}" for c in counts],
            textposition="outside",
        )
    )
    fig.update_yaxes(title_text="customers", tickformat=",")
    return style_figure(fig, title, height=380, subtitle=first_sentence(movers.summary()))
