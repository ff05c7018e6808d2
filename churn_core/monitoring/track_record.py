"""The track record of a delivered list: did the customers it flagged really leave, as many as
it expected? This, not the held-out figure from training, is the model's real quality.

Probabilities are calibrated, so their sum over a group of customers is the number expected to
leave; set against the number who did, group by group (risk band, segment, probability bin),
it says whether the list can be trusted. Precision is the share of flagged (High band)
customers who left; lift is that precision over the churn rate of everyone whose outcome is
known (how many times better than calling customers at random).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score

from churn_core import columns as col
from churn_core.errors import DataWarning, plural, verb
from churn_core.model import get_calibration_bins, top_decile_lift
from churn_core.monitoring.lists import read_list
from churn_core.monitoring.outcomes import Outcomes, read_outcomes

#: Groups of similar probabilities in the calibration table.
CALIBRATION_BINS = 10


@dataclass
class TrackRecord:
    """How a delivered list turned out, over the listed customers whose outcome is known."""

    #: Listed customers whose outcome is known, and those whose outcome is not.
    listed: int
    unknown: int
    expected_churners: float
    actual_churners: int
    #: Flagged = the High band (every listed customer when the list has no bands).
    flagged: int
    flagged_expected: float
    flagged_actual: int
    base_rate: float | None
    by_band: pd.DataFrame
    by_segment: pd.DataFrame
    calibration: pd.DataFrame
    #: The known customers' outcomes (True = left) and probabilities, in list order.
    y: np.ndarray = field(repr=False, default_factory=lambda: np.array([], dtype=bool))
    p: np.ndarray = field(repr=False, default_factory=lambda: np.array([], dtype=float))
    warnings: list[DataWarning] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """Share of the flagged who left."""
        return self.flagged_actual / self.flagged if self.flagged else None

    @property
    def lift(self) -> float | None:
        """Precision over the churn rate of everyone whose outcome is known (None when that
        rate is unknown, zero, or only over the flagged themselves)."""
        if self.precision is None or not self.base_rate:
            return None
        return self.precision / self.base_rate

    @property
    def roc_auc(self) -> float | None:
        return float(roc_auc_score(self.y, self.p)) if len(np.unique(self.y)) == 2 else None

    @property
    def brier(self) -> float | None:
        return (
            float(brier_score_loss(self.y, self.p, labels=[False, True])) if self.listed else None
        )

    @property
    def top_decile_lift(self) -> float | None:
        """Churn rate among the 10% most at risk over that of all known listed customers."""
        if not self.listed or not self.y.any():
            return None
        return top_decile_lift(self.y, self.p)

    def summary(self) -> str:
        """The record in two sentences a manager reads."""
        text = (
            f"Of the {plural(self.listed, 'customer')} on the list whose outcome is known, "
            f"{self.actual_churners:,} left; the list expected {self.expected_churners:,.0f}."
        )
        if self.flagged and self.flagged != self.listed:
            text += (
                f" Of the {self.flagged:,} flagged, {self.flagged_actual:,} left (expected "
                f"{self.flagged_expected:,.0f})"
            )
        elif self.flagged:
            text += " All were flagged"
        precision, lift = self.precision, self.lift
        if precision is not None:
            text += f": precision {precision:.0%}"
            if lift is not None and self.base_rate is not None:
                text += f", {lift:.1f} times the churn rate of all customers ({self.base_rate:.1%})"
            text += "."
        if self.unknown:
            text += (
                f" {plural(self.unknown, 'listed customer')} {verb(self.unknown, 'has', 'have')}"
                " no known outcome yet."
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (NaN as None)."""
        return {
            "listed": self.listed,
            "unknown": self.unknown,
            "expected_churners": self.expected_churners,
            "actual_churners": self.actual_churners,
            "flagged": self.flagged,
            "flagged_expected_churners": self.flagged_expected,
            "flagged_actual_churners": self.flagged_actual,
            "precision": self.precision,
            "base_rate": self.base_rate,
            "lift": self.lift,
            "top_decile_lift": self.top_decile_lift,
            "roc_auc": self.roc_auc,
            "brier": self.brier,
            "by_band": _records(self.by_band, "band"),
            "by_segment": _records(self.by_segment, "segment"),
            "calibration": _records(self.calibration),
            "summary": self.summary(),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def get_track_record(
    listed: pd.DataFrame,
    outcomes: Outcomes,
    *,
    base_rate: float | None = None,
    bins: int = CALIBRATION_BINS,
) -> TrackRecord:
    """The record of ``listed`` given ``outcomes`` (from ``read_outcomes`` on the same list).

    ``base_rate`` is the churn rate lift is measured against (default: the rate among every
    customer the later file tells about, unless those are the flagged alone).
    """
    view = read_list(listed, id_column=outcomes.id_column)
    known = outcomes.left.notna().to_numpy(bool)
    y = outcomes.left.to_numpy(dtype=bool, na_value=False)[known]
    p = view[col.CHURN_PROBABILITY].to_numpy(float)[known]
    bands = view[col.RISK_BAND].to_numpy(dtype=object)[known]
    has_bands = pd.notna(bands).any()
    flagged = bands == col.HIGH if has_bands else np.ones(len(y), dtype=bool)
    if base_rate is None and outcomes.population > flagged.sum():
        base_rate = outcomes.base_rate  # else it is the precision itself: nothing to compare
    return TrackRecord(
        listed=int(known.sum()),
        unknown=int((~known).sum()),
        expected_churners=float(p.sum()),
        actual_churners=int(y.sum()),
        flagged=int(flagged.sum()),
        flagged_expected=float(p[flagged].sum()),
        flagged_actual=int(y[flagged].sum()),
        base_rate=base_rate,
        by_band=_by_group(y, p, bands, base_rate, col.RISK_BANDS),
        by_segment=_by_group(y, p, view[col.SEGMENT].to_numpy(dtype=object)[known], base_rate),
        calibration=get_calibration_bins(y, p, bins),
        y=y,
        p=p,
        warnings=list(outcomes.warnings),
    )


def check_list(listed: pd.DataFrame, later: pd.DataFrame, **options: Any) -> TrackRecord:
    """``read_outcomes`` then ``get_track_record``: the record of a list in one call (options
    go to ``read_outcomes``)."""
    return get_track_record(listed, read_outcomes(listed, later, **options))


def get_track_history(records: Mapping[str, TrackRecord]) -> pd.DataFrame:
    """One row per past list (named by the mapping's keys, e.g. its date), oldest first as
    given: customers, expected and actual churners, precision, lift."""
    return pd.DataFrame(
        {
            col.GROUP: list(records),
            col.CUSTOMERS: [r.listed for r in records.values()],
            col.EXPECTED_CHURNERS: [r.expected_churners for r in records.values()],
            col.ACTUAL_CHURNERS: [r.actual_churners for r in records.values()],
            "precision": [_nan(r.precision) for r in records.values()],
            col.LIFT: [_nan(r.lift) for r in records.values()],
        }
    )


def _by_group(
    y: np.ndarray,
    p: np.ndarray,
    groups: np.ndarray,
    base_rate: float | None,
    order: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Customers, expected and actual churners, churn rate and lift per group (``order``
    first, then the others by size); empty when no customer has a group."""
    present = pd.notna(groups)
    if not present.any():
        return pd.DataFrame({name: [] for name in col.TRACK_COLUMNS})
    frame = pd.DataFrame({"g": groups[present], "y": y[present], "p": p[present]})
    table = frame.groupby("g", sort=False).agg(
        customers=("y", "size"), actual=("y", "sum"), expected=("p", "sum")
    )
    ranked = [g for g in order if g in table.index]
    rest = table.drop(index=ranked).sort_values("customers", ascending=False, kind="stable")
    table = table.loc[ranked + rest.index.tolist()]
    rate = table["actual"] / table["customers"]
    return pd.DataFrame(
        {
            col.GROUP: table.index.astype(str),
            col.CUSTOMERS: table["customers"].to_numpy(int),
            col.EXPECTED_CHURNERS: table["expected"].to_numpy(float),
            col.ACTUAL_CHURNERS: table["actual"].to_numpy(int),
            col.CHURN_RATE: rate.to_numpy(float),
            col.LIFT: (rate / base_rate).to_numpy(float) if base_rate else np.nan,
        }
    )


def _records(frame: pd.DataFrame, group_name: str | None = None) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        record = {}
        for key, value in row.items():
            name = group_name if key == col.GROUP and group_name else str(key)
            if isinstance(value, float | np.floating):
                value = None if not np.isfinite(value) else float(value)
            elif isinstance(value, np.integer):
                value = int(value)
            record[name] = value
        out.append(record)
    return out


def _nan(value: float | None) -> float:
    return float("nan") if value is None else value
