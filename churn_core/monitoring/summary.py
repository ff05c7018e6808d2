"""A one-page summary for the boss, as one self-contained HTML file.

KPIs, this month's list (size, expected churners, revenue at risk, the top customers), why
customers leave, how last month's list turned out, who moved, drift, and whether to retrain:
each section appears when its input is given. Charts are small inline SVG drawn here, so the
file needs no script, no network and no extra package: it opens offline, survives e-mail, and
prints on one A4 page (the browser's "Save as PDF" makes the PDF). Plotly figures would need
plotly.js (3.5 MB inline, or a CDN the reader may not reach) and static export needs kaleido
and a Chrome, which a Heroku dyno lacks; WeasyPrint needs the Pango system libraries. Every
user text (column names, values, ids) is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.figures import CHURNED_COLOR, NEUTRAL_COLOR, STAYED_COLOR, TEXT_COLOR
from churn_core.kpis import HeadlineKpis, RetentionKpis
from churn_core.monitoring.drift import DriftReport
from churn_core.monitoring.movers import Movers
from churn_core.monitoring.retrain import RetrainAdvice
from churn_core.monitoring.track_record import TrackRecord

#: Customers shown in the summary's table.
TOP_CUSTOMERS = 10
#: Drivers and drifted columns shown.
TOP_COLUMNS = 6

_CSS = f"""
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif; color: {TEXT_COLOR};
  max-width: 960px; margin: 24px auto; padding: 0 16px; font-size: 14px; line-height: 1.4; }}
h1 {{ font-size: 24px; margin: 0; }}
h2 {{ font-size: 17px; margin: 22px 0 6px; border-bottom: 1px solid #e6e6e6; padding-bottom: 3px; }}
.sub {{ color: #5f5f5f; margin: 2px 0 12px; }}
.tiles {{ display: flex; flex-wrap: wrap; gap: 10px; }}
.tile {{ border: 1px solid #e6e6e6; border-radius: 8px; padding: 8px 12px; min-width: 130px; }}
.tile .v {{ font-size: 21px; font-weight: 600; }}
.tile .k {{ color: #5f5f5f; font-size: 12px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 12.5px; }}
th, td {{ text-align: left; padding: 3px 6px; border-bottom: 1px solid #eeeeee; }}
th {{ color: #5f5f5f; font-weight: 600; }}
td.n, th.n {{ text-align: right; }}
.cols {{ display: flex; gap: 24px; flex-wrap: wrap; }}
.cols > div {{ flex: 1 1 380px; }}
.alert {{ border-left: 4px solid {CHURNED_COLOR}; padding: 6px 10px; background: #fff6f0; }}
.ok {{ border-left: 4px solid {STAYED_COLOR}; padding: 6px 10px; background: #f0f6fb; }}
footer {{ color: #8a8a8a; font-size: 11.5px; margin-top: 20px; }}
@media print {{ body {{ margin: 0; max-width: none; font-size: 11.5px; }} h2 {{ margin-top: 12px; }}
  .tile .v {{ font-size: 17px; }} }}
"""


def get_summary_html(
    at_risk: pd.DataFrame,
    *,
    as_of: str,
    title: str = "Churn summary",
    model_sentence: str | None = None,
    kpis: RetentionKpis | HeadlineKpis | None = None,
    drivers: pd.DataFrame | None = None,
    record: TrackRecord | None = None,
    record_name: str = "last month's list",
    movers: Movers | None = None,
    drift: DriftReport | None = None,
    advice: RetrainAdvice | None = None,
    top: int = TOP_CUSTOMERS,
) -> str:
    """The summary page as one HTML string (see the module docstring).

    Parameters
    ----------
    at_risk : pandas.DataFrame
        This month's at-risk list as delivered: the id column first, then
        ``churn_core.columns.AT_RISK_COLUMNS`` (reasons and actions may be empty).
    as_of : str
        When, in words the reader expects ("March 2026", "2026-03-31").
    model_sentence : str, optional
        The model in use, e.g. ``churn_core.model.describe_model(card)``.
    kpis : RetentionKpis or HeadlineKpis, optional
        Churn rate, retention, CLV; shown when known.
    drivers : pandas.DataFrame, optional
        ``churn_core.explain.get_importance_df``: ``column`` and ``mean_abs_points``.
    record, movers, drift, advice : optional
        How last month's list turned out, who moved, drift, and the retraining advice.
    """
    subtitle = _e(as_of) + (f" · {_e(model_sentence)}" if model_sentence else "")
    parts = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{subtitle}</p>',
        _tiles(at_risk, kpis),
        _list_section(at_risk, top),
    ]
    side = []
    if drivers is not None and len(drivers):
        side.append(_drivers_section(drivers))
    if record is not None:
        side.append(_record_section(record, record_name))
    if side:
        parts.append('<div class="cols">' + "".join(f"<div>{s}</div>" for s in side) + "</div>")
    if movers is not None:
        parts.append(f"<h2>Who moved since last month</h2><p>{_e(movers.summary())}</p>")
    if drift is not None:
        parts.append(_drift_section(drift))
    if advice is not None:
        style = "alert" if advice.retrain else "ok"
        parts.append(
            f'<h2>Should we retrain?</h2><p class="{style}">{_e(_capital(advice.summary()))}</p>'
        )
    parts.append(
        "<footer>Made with Churn Workbench. Churn probabilities are calibrated: their sum over "
        "a group of customers estimates how many of them will leave.</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} · {_e(as_of)}</title><style>{_CSS}</style></head>"
        "<body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )


def _tiles(at_risk: pd.DataFrame, kpis: RetentionKpis | HeadlineKpis | None) -> str:
    p = pd.to_numeric(at_risk[col.CHURN_PROBABILITY], errors="coerce")
    high = at_risk.get(col.RISK_BAND, pd.Series(dtype=object)).eq(col.HIGH)
    tiles = [
        ("Customers scored", f"{len(at_risk):,}"),
        ("Flagged High risk", f"{int(high.sum()):,}"),
        ("Expected to leave", f"{p.sum():,.0f}"),
    ]
    if col.EXPECTED_VALUE_AT_RISK in at_risk.columns:
        at_stake = pd.to_numeric(at_risk[col.EXPECTED_VALUE_AT_RISK], errors="coerce")
        if at_stake.notna().any():
            tiles.append(("Revenue at risk", f"{at_stake.sum():,.0f}"))
    if kpis is not None and kpis.churn_rate is not None:
        tiles.append(("Churn rate (data)", f"{kpis.churn_rate:.1%}"))
    if isinstance(kpis, RetentionKpis):
        retained = kpis.retention.get(12)
        if retained is not None:
            tiles.append(("Still with us at 12 months", f"{retained:.0%}"))
        if kpis.average_clv is not None:
            tiles.append(("Average customer value", f"{kpis.average_clv:,.0f}"))
    return (
        '<div class="tiles">'
        + "".join(
            f'<div class="tile"><div class="v">{_e(v)}</div><div class="k">{_e(k)}</div></div>'
            for k, v in tiles
        )
        + "</div>"
    )


def _list_section(at_risk: pd.DataFrame, top: int) -> str:
    p = pd.to_numeric(at_risk[col.CHURN_PROBABILITY], errors="coerce")
    high = at_risk.get(col.RISK_BAND, pd.Series(dtype=object)).eq(col.HIGH)
    flagged = int(high.sum())
    sentence = (
        f"This month's list of {len(at_risk):,} customers holds about {p.sum():,.0f} expected "
        f"leavers; the {flagged:,} flagged High hold about {p[high.to_numpy()].sum():,.0f}."
    )
    id_column = str(at_risk.columns[0])
    shown = [
        (id_column, id_column, "", _plain),
        (col.CHURN_PROBABILITY, "Risk", "n", _percent),
        (col.RISK_BAND, "Band", "", _plain),
        (col.EXPECTED_VALUE_AT_RISK, "Value at risk", "n", _money),
        (col.TOP_REASON_1, "Main reason", "", _plain),
        (col.RECOMMENDED_ACTION, "Suggested action", "", _plain),
    ]
    shown = [s for s in shown if s[0] in at_risk.columns and _filled(at_risk[s[0]])]
    head = "".join(f'<th class="{c}">{_e(t)}</th>' for _, t, c, _ in shown)
    rows = "".join(
        "<tr>"
        + "".join(f'<td class="{c}">{_e(fmt(row[name]))}</td>' for name, _, c, fmt in shown)
        + "</tr>"
        for _, row in at_risk.head(top).iterrows()
    )
    return (
        f"<h2>This month's at-risk list</h2><p>{_e(sentence)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _drivers_section(drivers: pd.DataFrame) -> str:
    top = drivers.head(TOP_COLUMNS)
    chart = svg_bars(
        top["column"].astype(str).tolist(),
        [top["mean_abs_points"].to_numpy(float)],
        ["Average effect on a customer's risk"],
        [CHURNED_COLOR],
        unit=" pts",
    )
    return "<h2>Why customers leave</h2>" + chart


def _record_section(record: TrackRecord, name: str) -> str:
    bands = record.by_band
    chart = ""
    if len(bands):
        chart = svg_bars(
            bands[col.GROUP].tolist(),
            [
                bands[col.EXPECTED_CHURNERS].to_numpy(float),
                bands[col.ACTUAL_CHURNERS].to_numpy(float),
            ],
            ["Expected to leave", "Left"],
            [NEUTRAL_COLOR, CHURNED_COLOR],
        )
    return f"<h2>How {_e(name)} turned out</h2><p>{_e(record.summary())}</p>{chart}"


def _drift_section(drift: DriftReport) -> str:
    frame = drift.frame
    drifted = frame[frame[col.DRIFTED]].head(TOP_COLUMNS)
    items = "".join(f"<li>{_e(s)}</li>" for s in drifted[col.SENTENCE])
    listed = f"<ul>{items}</ul>" if items else ""
    return f"<h2>Have the customers changed?</h2><p>{_e(drift.summary())}</p>{listed}"


def svg_bars(
    labels: Sequence[str],
    series: Sequence[np.ndarray],
    names: Sequence[str],
    colors: Sequence[str],
    *,
    unit: str = "",
    width: int = 440,
) -> str:
    """Horizontal bars as inline SVG, one group per label and one bar per series, values
    written at the bar ends, a legend when there are several series.

    >>> svg = svg_bars(["A <b>"], [np.array([2.0])], ["x"], ["#000"])
    >>> svg.startswith("<svg") and "A &lt;b&gt;" in svg and ">2<" in svg
    True
    """
    bar, gap = 14, 10
    label_width, value_width = 150, 52
    top = 22 if len(series) > 1 else 4
    group = bar * len(series) + gap
    height = top + group * len(labels)
    largest = max((float(np.nanmax(s)) for s in series if len(s)), default=0.0) or 1.0
    span = width - label_width - value_width
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="12" font-family="sans-serif" role="img">'
    ]
    if len(series) > 1:
        x = label_width
        for name, color in zip(names, colors, strict=True):
            out.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{color}"/>')
            out.append(f'<text x="{x + 14}" y="13" fill="{TEXT_COLOR}">{_e(name)}</text>')
            x += 24 + 7 * len(name)
    for i, label in enumerate(labels):
        y0 = top + i * group
        out.append(
            f'<text x="{label_width - 6}" y="{y0 + bar * len(series) / 2 + 4:.0f}" '
            f'text-anchor="end" fill="{TEXT_COLOR}">{_e(_short(label))}</text>'
        )
        for j, (values, color) in enumerate(zip(series, colors, strict=True)):
            value = float(values[i]) if np.isfinite(values[i]) else 0.0
            length = max(0.0, span * value / largest)
            y = y0 + j * bar
            out.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{color}"><title>{_e(names[j])}: {value:,.1f}{unit}</title></rect>'
            )
            out.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 4}" fill="{TEXT_COLOR}">'
                f"{_number(value)}{_e(unit)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def _filled(values: pd.Series) -> bool:
    return bool(values.astype(str).str.strip().replace("nan", "").ne("").any())


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}".rstrip("0").rstrip(".")


def _percent(value: object) -> str:
    """``0.42`` -> ``42%``; near 0 or 1 with a decimal, so 99.6% never reads 100%."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number):
        return ""
    return f"{number:.1%}" if number < 0.01 or number > 0.99 else f"{number:.0%}"


def _money(value: object) -> str:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "" if pd.isna(number) else f"{number:,.0f}"


def _plain(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _short(text: str, width: int = 22) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
