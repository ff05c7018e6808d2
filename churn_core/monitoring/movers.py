"""Movers since the previous list: who is newly at risk, whose risk rose or fell by more than a
few points, who is gone from the file and who is new in it.

Two at-risk lists (frames as delivered: the id column, ``churn_probability``, ``risk_band``...)
are matched on the id column. Each customer who moved gets one row, with the movement that
matters most (newly at risk, then no longer at risk, then risk up or down) and a reason in
words; customers whose risk moved less than the threshold are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import DataWarning, plural
from churn_core.monitoring.lists import KEY, read_list

#: A change in risk of more than this many points makes a customer a mover.
MOVE_POINTS = 5.0

NEWLY_AT_RISK = "newly at risk"
NO_LONGER_AT_RISK = "no longer at risk"
RISK_UP = "risk up"
RISK_DOWN = "risk down"
NEW_IN_FILE = "new in the file"
GONE_FROM_FILE = "gone from the file"
#: Every movement, in the order the movers are listed.
MOVEMENTS: tuple[str, ...] = (
    NEWLY_AT_RISK,
    RISK_UP,
    NEW_IN_FILE,
    NO_LONGER_AT_RISK,
    RISK_DOWN,
    GONE_FROM_FILE,
)


@dataclass
class Movers:
    """One row per mover (the id column, then ``churn_core.columns.MOVER_COLUMNS``) and how
    many moved each way."""

    frame: pd.DataFrame
    counts: dict[str, int]
    #: Customers in both lists whose risk moved ``points`` or less and whose band held.
    unchanged: int
    id_column: str
    points: float = MOVE_POINTS
    warnings: list[DataWarning] = field(default_factory=list)

    def summary(self) -> str:
        """``120 newly at risk, 85 risk up, ...; 4,200 customers unchanged.``"""
        parts = [f"{self.counts[m]:,} {m}" for m in MOVEMENTS if self.counts[m]]
        moved = "; ".join(parts) if parts else "nobody moved"
        return (
            f"Since the previous list: {moved}; {plural(self.unchanged, 'customer')} moved "
            f"{self.points:g} points or less."
        )


def get_movers(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    *,
    id_column: str | None = None,
    points: float = MOVE_POINTS,
) -> Movers:
    """Who moved between two at-risk lists (see the module docstring).

    Parameters
    ----------
    previous, current : pandas.DataFrame
        Last month's list and this month's, as delivered.
    id_column : str, optional
        The id column of both lists (default: this month's first column).
    points : float, default 5
        A change in risk of more than this many probability points makes a mover.

    Raises
    ------
    ChurnDataError
        When a list lacks the id column or probabilities, or names a customer twice.
    """
    if points < 0:
        raise ValueError(f"points must be 0 or more. Got {points!r} instead.")
    now = read_list(current, id_column=id_column, name="this month's list")
    id_column = str(now.attrs["id_column"])
    before = read_list(previous, id_column=id_column, name="the previous list")
    both = now.merge(before, on=KEY, how="outer", suffixes=("", "_before"), indicator=True)
    p_now = both[col.CHURN_PROBABILITY].to_numpy(float)
    p_before = both[f"{col.CHURN_PROBABILITY}_before"].to_numpy(float)
    band_now = both[col.RISK_BAND].fillna("").to_numpy(dtype=object)
    band_before = both[f"{col.RISK_BAND}_before"].fillna("").to_numpy(dtype=object)
    change = 100 * (p_now - p_before)
    kept = (both["_merge"] == "both").to_numpy()
    high_now, high_before = band_now == col.HIGH, band_before == col.HIGH
    banded = (band_now != "") & (band_before != "")
    movement = np.select(
        [
            (both["_merge"] == "left_only").to_numpy(),
            (both["_merge"] == "right_only").to_numpy(),
            kept & banded & high_now & ~high_before,
            kept & banded & ~high_now & high_before,
            kept & (change > points),
            kept & (change < -points),
        ],
        [NEW_IN_FILE, GONE_FROM_FILE, NEWLY_AT_RISK, NO_LONGER_AT_RISK, RISK_UP, RISK_DOWN],
        default="",
    )
    frame = pd.DataFrame(
        {
            id_column: both[id_column].where(both[id_column].notna(), both[f"{id_column}_before"]),
            col.MOVEMENT: movement,
            col.PREVIOUS_PROBABILITY: p_before,
            col.CHURN_PROBABILITY: p_now,
            col.CHANGE_POINTS: change,
            col.PREVIOUS_BAND: band_before,
            col.RISK_BAND: band_now,
        }
    )
    frame = frame[frame[col.MOVEMENT] != ""]
    frame[col.REASON] = [_reason(row) for row in frame.itertuples(index=False)]
    for band in (col.PREVIOUS_BAND, col.RISK_BAND):
        frame[band] = frame[band].replace("", None)
    frame = _order(frame)
    counts = {m: int((frame[col.MOVEMENT] == m).sum()) for m in MOVEMENTS}
    moved = counts[NEWLY_AT_RISK] + counts[NO_LONGER_AT_RISK] + counts[RISK_UP] + counts[RISK_DOWN]
    return Movers(frame.reset_index(drop=True), counts, int(kept.sum()) - moved, id_column, points)


def _reason(row: tuple) -> str:
    """A mover's reason in words (the row holds the id, then ``MOVER_COLUMNS`` but reason;
    a band is "" when its list has none)."""
    _, movement, before, now, change, band_before, band_now = row
    risk = f"{_pct(now)} ({band_now})" if band_now else _pct(now)
    was = f"{_pct(before)}, {band_before}" if band_before else _pct(before)
    moved = f"{_pct(now)} {'up' if change >= 0 else 'down'} from {_pct(before)} ({change:+.0f} pts)"
    if movement == NEW_IN_FILE:
        return f"New in this month's file: risk {risk}."
    if movement == GONE_FROM_FILE:
        return f"Not in this month's file (was {was}): left, or missing from the export."
    if movement == NEWLY_AT_RISK:
        return f"Now High risk (was {band_before}): {moved}."
    if movement == NO_LONGER_AT_RISK:
        return f"No longer High risk (now {band_now}): {moved}."
    if band_now and band_now == band_before:
        return f"Risk {moved}; still {band_now}."
    if band_now and band_before:
        return f"Risk {moved}; now {band_now} (was {band_before})."
    return f"Risk {moved}."


def _pct(p: float) -> str:
    return f"{p:.0%}"


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    """Movements in ``MOVEMENTS`` order; within one, the biggest change (or risk) first."""
    rank = frame[col.MOVEMENT].map({m: i for i, m in enumerate(MOVEMENTS)}).to_numpy()
    size = (
        frame[col.CHANGE_POINTS]
        .abs()
        .fillna(100 * frame[col.CHURN_PROBABILITY].fillna(frame[col.PREVIOUS_PROBABILITY]))
    )
    order = np.lexsort((-size.to_numpy(float), rank))
    return frame.iloc[order].reset_index(drop=True)
