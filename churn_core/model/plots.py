"""Charts that explain how well a trained churn model did on customers it never saw.

Inputs are plain arrays: ``y_true`` (1 or True = the customer left) and churn probabilities in
[0, 1]. The curve charts take a mapping of curve name -> probabilities, so the model and a
baseline can be compared on one chart::

    plot_roc(y_test, {"Gradient boosting": p_model, "One-rule baseline": p_rule})

The numbers in legends come from :mod:`sklearn.metrics` (``roc_auc_score``,
``average_precision_score``), so they match the model card. Curves are thinned to at most
``churn_core.model.curves.MAX_CURVE_POINTS`` points (the numbers behind the charts live there)
and histograms are binned with numpy, so figures stay light for a million customers. When
there is nothing meaningful to draw (no customers, only one outcome, the same score for
everyone) a figure saying why is returned instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
)

from churn_core.figures import (
    CHURNED_COLOR,
    COUNT_FORMAT,
    NEUTRAL_COLOR,
    PERCENT_FORMAT,
    REFERENCE_LINE,
    STAYED_COLOR,
    empty_figure,
    escape,
    style_figure,
)
from churn_core.model.curves import (
    as_outcomes,
    as_probabilities,
    get_calibration_bins,
    get_curve_points,
    thin,
)

#: Most bars in the risk histogram.
MAX_RISK_BINS = 50
#: One colour per compared curve (Okabe-Ito, clear of the churned/stayed pair).
CURVE_COLORS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
BAND_COLORS = {"High": CHURNED_COLOR, "Medium": "#E69F00", "Low": STAYED_COLOR}

Scores = Mapping[str, np.ndarray] | np.ndarray


def plot_roc(
    y_true: np.ndarray, scores: Scores, *, title: str | None = None, height: int | None = 480
) -> go.Figure:
    """ROC curves: leavers caught against stayers wrongly flagged, AUC in each legend entry.

    Parameters
    ----------
    y_true : numpy.ndarray
        1 or True where the customer left.
    scores : mapping of str to numpy.ndarray, or numpy.ndarray
        Curve name -> churn probability per customer, e.g. the model and a baseline.
        A bare array is drawn as ``"Model"``.
    """
    title = title or "Separating leavers from stayers"
    y, curves, problem = _check_curves(y_true, scores)
    if problem:
        return empty_figure(problem, title)
    fig = go.Figure()
    _add_reference(fig, [0, 1], [0, 1], "Random guess")
    for i, (name, p) in enumerate(curves.items()):
        points = get_curve_points(y, p)
        auc = roc_auc_score(y, p)
        fig.add_scatter(
            x=points["false_alarm_rate"],
            y=points["recall"],
            mode=_mode(len(points)),
            name=f"{name} (AUC {auc:.2f})",
            line=_curve_line(i),
            customdata=_cutoff_phrases(points["threshold"]),
            hovertemplate=f"<b>{name}</b><br>Flag %{{customdata}}:<br>catch %{{y:.0%}} of "
            "leavers,<br>wrongly flag %{x:.0%} of stayers<extra></extra>",
        )
    _percent_axes(fig, "Share of stayers wrongly flagged", "Share of leavers caught (recall)")
    subtitle = "Higher and further left is better. AUC 0.5 = coin toss, 1 = perfect."
    style_figure(fig, title=title, height=height, subtitle=subtitle)
    # The lower right of a ROC chart is always empty: the legend fits there, clear of the title.
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.98,
            "xanchor": "right",
            "y": 0.04,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
        }
    )
    return fig


def plot_precision_recall(
    y_true: np.ndarray, scores: Scores, *, title: str | None = None, height: int | None = 480
) -> go.Figure:
    """Precision-recall curves, average precision in the legend, the base churn rate as a line.

    Parameters are as for :func:`plot_roc`.
    """
    title = title or "Leavers caught vs wasted contacts"
    y, curves, problem = _check_curves(y_true, scores)
    if problem:
        return empty_figure(problem, title)
    base_rate = float(y.mean())
    fig = go.Figure()
    fig.add_hline(
        y=base_rate,
        line={"color": NEUTRAL_COLOR, "width": 1.5, "dash": "dash"},
        annotation_text=f"Flagging at random: {base_rate:.0%} of those flagged leave",
        annotation_position="bottom right",
        annotation_font_color="#5F5F5F",
    )
    for i, (name, p) in enumerate(curves.items()):
        precision, recall, thresholds = precision_recall_curve(y, p, drop_intermediate=True)
        precision, recall = precision[:-1], recall[:-1]  # drop sklearn's "flag nobody" point
        keep = thin(recall)
        ap = average_precision_score(y, p)
        fig.add_scatter(
            x=recall[keep],
            y=precision[keep],
            mode=_mode(len(keep)),
            line_shape="hv",
            name=f"{name} (average precision {ap:.2f})",
            line=_curve_line(i),
            customdata=_cutoff_phrases(thresholds[keep]),
            hovertemplate=f"<b>{name}</b><br>Flag %{{customdata}}:<br>catch %{{x:.0%}} of "
            "leavers,<br>%{y:.0%} of those flagged really leave<extra></extra>",
        )
    _percent_axes(
        fig, "Share of leavers caught (recall)", "Share of flagged who really leave (precision)"
    )
    subtitle = "Right: more leavers caught. Up: fewer wasted contacts."
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_calibration(
    y_true: np.ndarray,
    scores: Scores,
    bins: int = 10,
    *,
    title: str | None = None,
    height: int | None = 480,
) -> go.Figure:
    """Predicted against actual churn rate per group of similar scores (see
    :func:`get_calibration_bins`); dot size shows the number of customers in the group.

    Parameters
    ----------
    y_true, scores
        As for :func:`plot_roc`; one class only is allowed here (the actual rate is then 0%
        or 100% everywhere).
    bins : int, default 10
        Most groups per curve, of about equal size.
    """
    title = title or "Do the churn scores match reality?"
    y, curves, problem = _check_curves(y_true, scores, ranking=False)
    if problem:
        return empty_figure(problem, title)
    tables = {name: get_calibration_bins(y, p, bins) for name, p in curves.items()}
    largest = max(int(t["customers"].max()) for t in tables.values())
    upper = max(max(t["mean_score"].max(), t["ci_high"].max()) for t in tables.values())
    upper = float(min(1.0, max(0.05, np.ceil(upper * 1.05 * 20) / 20)))
    fig = go.Figure()
    _add_reference(fig, [0, upper], [0, upper], "Perfectly calibrated")
    for i, (name, table) in enumerate(tables.items()):
        colour = CURVE_COLORS[i % len(CURVE_COLORS)]
        rate = table["churn_rate"].to_numpy(float)
        fig.add_scatter(
            x=table["mean_score"],
            y=rate,
            mode="lines+markers",
            name=name,
            line={"color": colour, "width": 1.5},
            marker={
                "color": colour,
                "size": 7 + 17 * np.sqrt(table["customers"].to_numpy() / largest),
                "line": {"color": "white", "width": 1},
            },
            error_y={
                "type": "data",
                "array": table["ci_high"].to_numpy(float) - rate,
                "arrayminus": rate - table["ci_low"].to_numpy(float),
                "color": colour,
                "thickness": 1,
                "width": 0,
            },
            customdata=table[
                ["score_low", "score_high", "customers", "ci_low", "ci_high"]
            ].to_numpy(),
            hovertemplate=f"<b>{name}</b><br>Scores %{{customdata[0]:.0%}} to "
            "%{customdata[1]:.0%} (average %{x:.0%})<br>Actually left: %{y:.0%} "
            "(likely %{customdata[3]:.0%} to %{customdata[4]:.0%})<br>"
            "Customers: %{customdata[2]:,}<extra></extra>",
        )
    _percent_axes(fig, "Predicted churn rate (average score in the group)", "Actual churn rate")
    fig.update_xaxes(range=[-0.02 * upper, upper])
    fig.update_yaxes(range=[-0.02 * upper, upper])
    subtitle = "On the line: a 30% score means 3 in 10 leave. Dot size: customers."
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_cumulative_gains(
    y_true: np.ndarray, scores: Scores, *, title: str | None = None, height: int | None = 480
) -> go.Figure:
    """Share of all leavers caught when contacting customers from the highest score down.

    Parameters are as for :func:`plot_roc`. Customers with equal scores are treated as
    contacted in random order (straight segments).
    """
    title = title or "Leavers reached, calling the riskiest first"
    y, curves, problem = _check_curves(y_true, scores)
    if problem:
        return empty_figure(problem, title)
    base_rate = float(y.mean())
    fig = go.Figure()
    _add_reference(fig, [0, base_rate, 1], [0, 1, 1], "Perfect model", dash="dot")
    _add_reference(fig, [0, 1], [0, 1], "Contacting at random")
    for i, (name, p) in enumerate(curves.items()):
        points = get_curve_points(y, p)
        fig.add_scatter(
            x=points["contacted_share"],
            y=points["recall"],
            mode=_mode(len(points)),
            name=name,
            line=_curve_line(i),
            customdata=_cutoff_phrases(points["threshold"]),
            hovertemplate=f"<b>{name}</b><br>Contact the top %{{x:.0%}} → catch %{{y:.0%}} "
            "of leavers<br>(flag %{customdata})<extra></extra>",
        )
    _percent_axes(
        fig, "Share of customers contacted (highest scores first)", "Share of leavers caught"
    )
    subtitle = "Above the dashed line: fewer calls per leaver than at random."
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_confusion_matrix(
    y_true: np.ndarray,
    flagged: np.ndarray,
    *,
    title: str | None = None,
    height: int | None = 380,
) -> go.Figure:
    """Who was flagged against who really left, in counts and shares of each row.

    Parameters
    ----------
    y_true : numpy.ndarray
        1 or True where the customer left.
    flagged : numpy.ndarray
        1 or True where the model flagged the customer (e.g. ``p >= threshold``).
    """
    y = as_outcomes(y_true)
    f = as_outcomes(flagged, "flagged")
    if len(f) != len(y):
        raise ValueError(
            f"flagged must have one value per customer ({len(y):,}). Got {len(f):,} instead."
        )
    title = title or f"At the chosen threshold: {int(f.sum()):,} of {len(y):,} customers flagged"
    if len(y) == 0:
        return empty_figure("There are no customers to compare.", title)
    counts = np.array([[(y & f).sum(), (y & ~f).sum()], [(~y & f).sum(), (~y & ~f).sum()]])
    rows = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, rows, out=np.zeros(counts.shape), where=rows > 0)
    names = [["Caught", "Missed"], ["Wrongly flagged", "Rightly left alone"]]
    of = ["leavers", "stayers"]
    text = [
        [
            f"<b>{names[r][c]}</b><br>{counts[r, c]:,}<br>{shares[r, c]:.0%} of {of[r]}"
            for c in (0, 1)
        ]
        for r in (0, 1)
    ]
    # Leavers' row in tints of the churned colour, stayers' in tints of the stayed colour.
    fig = go.Figure(
        go.Heatmap(
            z=shares * np.array([[1.0], [-1.0]]),
            x=["Flagged", "Not flagged"],
            y=["Actually left", "Actually stayed"],
            zmin=-1,
            zmax=1,
            colorscale=[[0.0, "#8DB9DB"], [0.5, "#FFFFFF"], [1.0, "#EEA37A"]],
            showscale=False,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 15},
            customdata=counts,
            hovertemplate="%{y}, %{x}: %{customdata:,} customers<extra></extra>",
            xgap=3,
            ygap=3,
        )
    )
    fig.update_xaxes(title_text="What the model said", showgrid=False)
    fig.update_yaxes(title_text="What really happened", showgrid=False, autorange="reversed")
    subtitle = "Rows: what really happened. Columns: what the model said. Shares are of each row."
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def plot_risk_distribution(
    p: np.ndarray,
    threshold: float | None = None,
    bands: np.ndarray | None = None,
    *,
    title: str | None = None,
    height: int | None = 400,
) -> go.Figure:
    """Histogram of churn probability for all scored customers (binned, never raw points).

    Parameters
    ----------
    p : numpy.ndarray
        Churn probability per customer; a million rows is fine.
    threshold : float, optional
        Cut-off drawn as a vertical "Flagged above ..." line (flagged means ``p >= threshold``).
    bands : numpy.ndarray, optional
        Risk band per customer (``"High"``, ``"Medium"``, ``"Low"`` or other labels); bars are
        then stacked and coloured by band.
    """
    title = title or "Churn risk of scored customers"
    scores = as_probabilities(p, None, "p")
    if threshold is not None and not 0 <= threshold <= 1:
        raise ValueError(f"threshold must be between 0 and 1. Got {threshold!r} instead.")
    if len(scores) == 0:
        return empty_figure("There are no scored customers to show.", title)
    top = max(float(scores.max()), threshold or 0.0)
    width = next(w for w in (0.005, 0.01, 0.02) if top <= w * MAX_RISK_BINS)
    n_bins = max(1, int(np.ceil(round(top / width, 9))))
    lows = np.arange(n_bins) * width
    which = np.minimum((scores / width).astype(int), n_bins - 1)
    if bands is None:
        codes, labels = np.zeros(len(scores), dtype=int), np.array(["Customers"])
    else:
        if len(bands) != len(scores):
            raise ValueError(
                f"bands must have one value per customer ({len(scores):,}). "
                f"Got {len(bands):,} instead."
            )
        codes, labels = pd.factorize(pd.Series(bands, dtype=object).fillna("No band").astype(str))
        order = sorted(range(len(labels)), key=lambda k: _band_rank(labels[k]))
        labels = np.asarray(labels)[order]
        codes = np.argsort(order)[codes]
    counts = np.bincount(codes * n_bins + which, minlength=len(labels) * n_bins)
    counts = counts.reshape(len(labels), n_bins)
    fmt = ".1%" if width < 0.01 else ".0%"
    fig = go.Figure()
    for label, row in zip(labels, counts, strict=True):
        name = f"{escape(label)} risk" if label in BAND_COLORS else escape(label)
        fig.add_bar(
            x=lows + width / 2,
            y=row,
            width=width,
            name=name,
            marker={
                "color": BAND_COLORS.get(label, STAYED_COLOR if bands is None else NEUTRAL_COLOR),
                "line": {"color": "white", "width": 0.5},
            },
            customdata=np.column_stack([lows, lows + width]),
            hovertemplate=f"Scores %{{customdata[0]:{fmt}}} to %{{customdata[1]:{fmt}}}<br>"
            f"{name}: %{{y:,}} customers<extra></extra>",
        )
    subtitle = "How many customers got each churn probability."
    if threshold is not None:
        flagged = int((scores >= threshold).sum())
        fig.add_vline(
            x=threshold,
            annotation_text=f"Flagged above {_percent(threshold)}: {flagged:,} customers",
            **{
                **REFERENCE_LINE,  # a cut-off near 100 % keeps its label inside the chart
                "annotation_position": "top left" if threshold > 0.6 else "top right",
            },
        )
        subtitle = "How many customers got each churn probability; right of the line: flagged."
    fig.update_layout(barmode="stack", bargap=0)
    fig.update_xaxes(
        title_text="Churn probability", tickformat=PERCENT_FORMAT, range=[0, n_bins * width]
    )
    fig.update_yaxes(title_text="Customers", tickformat=COUNT_FORMAT)
    return style_figure(fig, title=title, height=height, subtitle=subtitle)


def _check_curves(
    y_true: np.ndarray, scores: Scores, ranking: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray], str | None]:
    """Checked outcomes and curves (names escaped), and why nothing can be drawn, if so."""
    y = as_outcomes(y_true)
    if not isinstance(scores, Mapping):
        scores = {"Model": scores}
    curves = {escape(n): as_probabilities(p, len(y), f"scores[{n!r}]") for n, p in scores.items()}
    if not curves:
        return y, curves, "No model scores were given."
    if len(y) == 0:
        return y, curves, "There are no test customers with a known outcome to evaluate."
    if not ranking:
        return y, curves, None
    left = int(y.sum())
    if left in (0, len(y)):
        outcome = "stayed" if left == 0 else "left"
        problem = f"All {len(y):,} test customers {outcome}, so there is nothing to tell apart. "
        return y, curves, problem + "Use a test period in which some left and some stayed."
    if all(np.ptp(p) == 0 for p in curves.values()):
        same = _percent(next(iter(curves.values()))[0])
        problem = f"Every customer got the same score ({same}), so the model cannot rank them. "
        return y, curves, problem + "Retrain it with columns that differ between customers."
    return y, curves, None


def _cutoff_phrases(thresholds: np.ndarray | pd.Series) -> np.ndarray:
    """``"scores of 34.2% or more"`` per cut-off, ``"nobody"`` above the highest score."""
    return np.array(
        [f"scores of {t:.1%} or more" if np.isfinite(t) else "nobody" for t in thresholds]
    )


def _add_reference(
    fig: go.Figure, x: list[float], y: list[float], name: str, dash: str = "dash"
) -> None:
    """A grey comparison line (random guess, perfect model) that shows in the legend."""
    line = {"color": NEUTRAL_COLOR, "width": 1.5, "dash": dash}
    fig.add_scatter(x=x, y=y, mode="lines", name=name, line=line, hoverinfo="skip")


def _mode(points: int) -> str:
    """Dots on curves with few points (a rule with a few scores): only those are reachable."""
    return "lines+markers" if points <= 20 else "lines"


def _curve_line(i: int) -> dict:
    return {"color": CURVE_COLORS[i % len(CURVE_COLORS)], "width": 3 if i == 0 else 2}


def _percent_axes(fig: go.Figure, x_title: str, y_title: str) -> None:
    fig.update_xaxes(title_text=x_title, tickformat=PERCENT_FORMAT, range=[-0.01, 1.01])
    fig.update_yaxes(title_text=y_title, tickformat=PERCENT_FORMAT, range=[-0.01, 1.02])


def _percent(value: float) -> str:
    """``0.34`` -> ``"34%"``, ``0.345`` -> ``"34.5%"``."""
    return f"{value:.0%}" if round(value * 100, 6).is_integer() else f"{value:.1%}"


def _band_rank(label: str) -> tuple[int, str]:
    """High, Medium, Low first (in that order), then other labels alphabetically."""
    ranks = list(BAND_COLORS)
    return (ranks.index(label), "") if label in ranks else (len(ranks), label)
