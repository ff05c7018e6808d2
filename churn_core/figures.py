"""One look for every chart: colours, fonts, margins and a few helpers the figure builders share.

Churned customers are always drawn in :data:`CHURNED_COLOR` and customers who stayed in
:data:`STAYED_COLOR` (an orange/blue pair that colour-blind readers can tell apart), so a reader
who learns the colours on one page can read every other page.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go

CHURNED_COLOR = "#D55E00"
STAYED_COLOR = "#0072B2"
NEUTRAL_COLOR = "#9E9E9E"
TEXT_COLOR = "#2B2B2B"
GRID_COLOR = "#E6E6E6"
#: A labelled dashed line marking a reference (the average rate, the flagging cut-off).
REFERENCE_LINE: dict[str, Any] = {
    "line": {"dash": "dash", "color": "#404040", "width": 1.5},
    "annotation_position": "top right",
    "annotation_bgcolor": "rgba(255, 255, 255, 0.85)",
}
FONT_FAMILY = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"

#: Blue (negative) through white (zero) to orange (positive); use with ``zmid=0``.
DIVERGING_COLORSCALE: list[list[float | str]] = [
    [0.0, STAYED_COLOR],
    [0.5, "#F7F7F7"],
    [1.0, CHURNED_COLOR],
]
#: White (none) to dark grey (all); for shares such as "fraction missing".
SEQUENTIAL_COLORSCALE: list[list[float | str]] = [
    [0.0, "#FFFFFF"],
    [0.05, "#EDE7F6"],
    [1.0, "#4A148C"],
]

PERCENT_FORMAT = ".0%"
COUNT_FORMAT = ","


def style_figure(
    fig: go.Figure,
    title: str | None = None,
    height: int | None = None,
    *,
    subtitle: str | None = None,
) -> go.Figure:
    """Apply the house look to a figure, in place, and return it.

    White background, a readable font, a left-aligned title (with an optional plain-words
    subtitle), a horizontal legend above the plot, thousands separators, and margins that
    grow to fit long axis labels.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        Any figure; its traces are left untouched.
    title : str, optional
        Title in plain words, e.g. ``"Churn rate by Contract"``. Shown as given (escape user
        text with :func:`escape` first).
    height : int, optional
        Height in pixels; plotly's default when omitted.
    subtitle : str, optional
        One short sentence under the title explaining how to read the chart.

    Returns
    -------
    plotly.graph_objects.Figure
        The same figure object.
    """
    shows_legend = sum(1 for t in fig.data if getattr(t, "showlegend", False) is not False) > 1
    top = 20 + (45 if title else 0) + (22 if title and subtitle else 0)
    top += 35 if shows_legend else 0
    layout: dict = {
        "template": "plotly_white",
        "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOR},
        "separators": ".,",
        "margin": {"l": 60, "r": 30, "t": top, "b": 60},
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "title_text": "",
        },
        "hoverlabel": {"font_size": 13, "font_family": FONT_FAMILY},
    }
    if title:
        layout["title"] = {
            "text": title,
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 15},
            "font": {"size": 18},
            "subtitle": {"text": subtitle or "", "font": {"size": 13, "color": "#5F5F5F"}},
        }
    if height is not None:
        layout["height"] = height
    fig.update_layout(**layout)
    fig.update_xaxes(automargin=True, gridcolor=GRID_COLOR, zeroline=False)
    fig.update_yaxes(automargin=True, gridcolor=GRID_COLOR, zeroline=False)
    return fig


def escape(text: object) -> str:
    """User text made safe to put in a title or hover (``<``, ``>``, ``&`` are escaped)."""
    return html.escape(str(text), quote=False)


def shorten(text: object, width: int = 24) -> str:
    """``"A very long column name indeed"`` -> ``"A very long column name…"`` for tick labels."""
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def empty_figure(message: str, title: str | None = None, height: int | None = 300) -> go.Figure:
    """A blank, styled figure that says in words why there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(
        text=escape(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style_figure(fig, title=title, height=height)
