"""Score customers and build the at-risk list (DESIGN.md section 7).

The list is ranked by expected value at risk (probability x customer value, where value is
the customer's CLV, see ``churn_core.clv``), then by probability; with no revenue column, by
probability alone. Customers whose label already says they left are not in the list (there is
no one left to keep), unless asked for. Reasons, segment and action columns are filled by
their own modules (``churn_core.reasons``, ``add_segments``); they stay empty here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.bundle import check_columns
from churn_core.clv import ClvAssumptions, get_table_clv
from churn_core.errors import DataWarning, file_row_numbers, plural, verb
from churn_core.features import get_feature_frame, get_unseen_levels
from churn_core.labels import LabelMapping, churn_indicator
from churn_core.model import ChurnModel
from churn_core.policies import Flagging, Policy, apply_policy
from churn_core.reading import iter_table_chunks
from churn_core.survival import RetentionCurve

CHUNK_ROWS = 100_000


@dataclass
class AtRiskList:
    """The ranked list, how the policy flagged it, and what was odd while scoring."""

    frame: pd.DataFrame
    flagging: Flagging
    id_column: str
    warnings: list[DataWarning] = field(default_factory=list)
    #: For each row of ``frame``, the customer's position (0-based) in the scored table or file.
    positions: np.ndarray = field(default_factory=lambda: np.array([], dtype=int))
    #: How many customers were left out because their label says they already left.
    left_out: int = 0
    #: The label's column and churned value (``Churned = "Yes"``) when ``left_out``.
    left_label: str = ""

    def describe_left_out(self) -> str:
        """``1,250 customers who already left (Churned = "Yes") are not in the list.``"""
        if not self.left_out:
            return ""
        return (
            f"{plural(self.left_out, 'customer')} who already left ({self.left_label}) "
            f"{verb(self.left_out, 'is', 'are')} not in the list."
        )

    def top(self, n: int) -> pd.DataFrame:
        return self.frame.head(n)


@dataclass
class _Scores:
    """Per-customer results before ranking; chunks of a large file are concatenated."""

    ids: np.ndarray
    p: np.ndarray
    values: np.ndarray
    left: np.ndarray  # True where the label says the customer already left
    unseen: dict[str, tuple[int, str]] = field(default_factory=dict)  # column -> (rows, example)
    not_numbers: dict[str, tuple[int, str]] = field(default_factory=dict)


def score_customers(
    model: ChurnModel,
    frame: pd.DataFrame,
    *,
    policy: Policy | None = None,
    id_column: str | None = None,
    clv_assumptions: ClvAssumptions | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """Score every customer of ``frame`` and rank them into the at-risk list; customers whose
    label says they already left are left out unless ``include_left``."""
    check_columns(model, frame)
    id_name = _id_name(model, frame, id_column)
    scores = _score(model, frame, id_name, clv_assumptions)
    return _rank(model, scores, id_name, policy or Policy(), include_left)


def score_file(
    path: str | Path,
    model: ChurnModel,
    *,
    policy: Policy | None = None,
    id_column: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    clv_assumptions: ClvAssumptions | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """Score a file of any size chunk by chunk, keeping only what the list needs in memory
    (customers who already left are left out unless ``include_left``)."""
    parts: list[_Scores] = []
    id_name = ""
    for chunk in iter_table_chunks(path, chunk_rows):
        if not parts:
            check_columns(model, chunk)
            id_name = _id_name(model, chunk, id_column)
        parts.append(_score(model, chunk, id_name, clv_assumptions))
    return _rank(model, _concat(parts), id_name, policy or Policy(), include_left)


def add_segments(at_risk: AtRiskList, segments: np.ndarray | pd.Series) -> AtRiskList:
    """A copy of ``at_risk`` with each customer's segment, given per row of the scored table."""
    frame = at_risk.frame.copy()
    frame[col.SEGMENT] = np.asarray(segments, dtype=object)[at_risk.positions]
    return replace(at_risk, frame=frame)


def _id_name(model: ChurnModel, frame: pd.DataFrame, id_column: str | None) -> str:
    for name in (id_column, model.id_column):
        if name and name in frame.columns:
            return name
    return col.ROW_NUMBER_ID


def estimate_customer_values(
    model: ChurnModel, frame: pd.DataFrame, assumptions: ClvAssumptions | None = None
) -> np.ndarray:
    """What keeping each customer is worth: their CLV from the training data's retention curve
    (``assumptions`` default to the model card's), or, when the training file gave no
    durations, a number of months of revenue. NaN without revenue."""
    value = model.card["value"]
    revenue = value.get("revenue_column")
    if not revenue or revenue not in frame.columns:
        return np.full(len(frame), np.nan)
    if value.get("kind") == "clv":
        curve = RetentionCurve.from_dict(value["retention_curve"])
        assumptions = assumptions or ClvAssumptions.from_dict(value["clv_assumptions"])
        return get_table_clv(frame, curve, revenue, assumptions)
    monthly = pd.to_numeric(frame[revenue], errors="coerce").to_numpy(float)
    return monthly * float(value["months"])


def _score(
    model: ChurnModel, frame: pd.DataFrame, id_name: str, assumptions: ClvAssumptions | None
) -> _Scores:
    features = get_feature_frame(frame, model.schema)
    p = model.predict_features(features)
    values = estimate_customer_values(model, frame, assumptions)
    if id_name in frame.columns:
        ids = frame[id_name].to_numpy(dtype=object)
    else:
        numbers = file_row_numbers(frame)
        ids = np.asarray(numbers) if numbers is not None else frame.index.to_numpy() + 2
    not_numbers = {}
    for name in model.schema.numeric:  # text where the model needs a number: scored as unknown
        bad = frame[name].notna().to_numpy(bool) & features[name].isna().to_numpy(bool)
        if bad.any():
            not_numbers[name] = (int(bad.sum()), str(frame[name][bad].iloc[0]))
    return _Scores(
        ids,
        p,
        values,
        _already_left(model, frame),
        get_unseen_levels(features, model.schema),
        not_numbers,
    )


def _already_left(model: ChurnModel, frame: pd.DataFrame) -> np.ndarray:
    """True where ``frame`` has the model's label and it says the customer left."""
    label = model.card["label"]
    if label["column"] not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    mapping = LabelMapping(str(label["churned_value"]), str(label["stayed_value"]))
    return churn_indicator(frame[label["column"]], mapping).fillna(False).to_numpy(bool)


def _concat(parts: list[_Scores]) -> _Scores:
    return _Scores(
        np.concatenate([p.ids for p in parts]),
        np.concatenate([p.p for p in parts]),
        np.concatenate([p.values for p in parts]),
        np.concatenate([p.left for p in parts]),
        _add_counts([p.unseen for p in parts]),
        _add_counts([p.not_numbers for p in parts]),
    )


def _add_counts(counts: list[dict[str, tuple[int, str]]]) -> dict[str, tuple[int, str]]:
    total: dict[str, tuple[int, str]] = {}
    for part in counts:
        for name, (count, example) in part.items():
            seen, first = total.get(name, (0, example))
            total[name] = (seen + count, first)
    return total


def _rank(
    model: ChurnModel, scores: _Scores, id_name: str, policy: Policy, include_left: bool
) -> AtRiskList:
    kept = np.arange(len(scores.p)) if include_left else np.flatnonzero(~scores.left)
    if len(kept) < len(scores.p):
        scores = replace(scores, ids=scores.ids[kept], p=scores.p[kept], values=scores.values[kept])
    at_risk = scores.p * scores.values
    # Highest value at risk first (missing last), then highest probability, then file order.
    order = np.lexsort((-scores.p, np.where(np.isnan(at_risk), np.inf, -at_risk)))
    flagging = apply_policy(
        scores.p,
        policy,
        threshold=model.threshold,
        base_rate=model.base_rate,
        values=scores.values,
        ranking=order,
    )
    frame = pd.DataFrame(
        {
            id_name: scores.ids[order],
            col.RANK: np.arange(1, len(order) + 1),
            col.CHURN_PROBABILITY: scores.p[order],
            col.RISK_BAND: flagging.bands[order],
            col.EXPECTED_VALUE_AT_RISK: at_risk[order],
            col.CUSTOMER_VALUE: scores.values[order],
            **{name: "" for name in col.AT_RISK_COLUMNS[5:]},
        }
    )
    flagging = replace(flagging, flagged=flagging.flagged[order], bands=flagging.bands[order])
    warnings = _unseen_warnings(scores.unseen) + _not_number_warnings(scores.not_numbers)
    left_out = len(scores.left) - len(kept)
    label = model.card["label"]
    return AtRiskList(
        frame,
        flagging,
        id_name,
        warnings,
        kept[order],
        left_out,
        f'{label["column"]} = "{label["churned_value"]}"' if left_out else "",
    )


def _unseen_warnings(unseen: dict[str, tuple[int, str]]) -> list[DataWarning]:
    return [
        DataWarning(
            f"{name} has {plural(count, 'customer')} with values the model never saw in "
            f'training (e.g. "{example}"); they were scored as if {name} were unknown.',
            column=name,
            fix="Retrain on recent data if such values are now common.",
            code="unseen_levels",
        )
        for name, (count, example) in unseen.items()
    ]


def _not_number_warnings(not_numbers: dict[str, tuple[int, str]]) -> list[DataWarning]:
    return [
        DataWarning(
            f"{name} must be a number for the model, but {plural(count, 'customer')} "
            f'{verb(count, "has", "have")} text there (e.g. "{example}"); they were scored '
            f"as if {name} were unknown.",
            column=name,
            fix="Remove units and words from those cells (a number only), then score again.",
            code="not_numbers",
        )
        for name, (count, example) in not_numbers.items()
    ]
