"""Score customers and build the at-risk list (DESIGN.md section 7).

The list is ranked by expected value at risk (probability x customer value, where value is
the customer's CLV, see ``churn_core.survival.clv``), then by probability; with no revenue
column, by probability alone. Customers whose label already says they left are not in the
list (there is no one left to keep), unless asked for. Reasons, segment and action columns
are filled by their own modules (``churn_core.risk.reasons``, ``add_segments``); they stay
empty here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError, DataWarning, file_row_numbers, plural, verb
from churn_core.io import iter_table_chunks
from churn_core.model import ChurnModel, Flagging, Policy, apply_policy, check_columns
from churn_core.schema import (
    churn_indicator,
    find_repeated_ids,
    get_feature_frame,
    get_unseen_levels,
)
from churn_core.survival import ClvAssumptions, RetentionCurve, get_table_clv

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
class CustomerScores:
    """Every customer's score and value in file order, before ranking (chunks of a large file
    are concatenated); ``rank_customers`` turns them into the at-risk list."""

    ids: np.ndarray
    p: np.ndarray
    values: np.ndarray  # CLV (or months of revenue); NaN without revenue
    left: np.ndarray  # True where the label says the customer already left
    id_name: str = col.ROW_NUMBER_ID
    unseen: dict[str, tuple[int, str]] = field(default_factory=dict)  # column -> (rows, example)
    not_numbers: dict[str, tuple[int, str]] = field(default_factory=dict)
    unknown_labels: dict[str, tuple[int, str]] = field(default_factory=dict)


def get_at_risk_list(
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
    scores = score_customers(model, frame, id_column=id_column, clv_assumptions=clv_assumptions)
    return rank_customers(model, scores, policy=policy, include_left=include_left)


def score_customers(
    model: ChurnModel,
    frame: pd.DataFrame,
    *,
    id_column: str | None = None,
    clv_assumptions: ClvAssumptions | None = None,
) -> CustomerScores:
    """Every customer's churn probability and value, in the frame's own row order."""
    check_columns(model, frame)
    return _score(model, frame, _id_name(model, frame, id_column), clv_assumptions)


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
    parts: list[CustomerScores] = []
    id_name = ""
    for chunk in iter_table_chunks(path, chunk_rows):
        if not parts:
            check_columns(model, chunk)
            id_name = _id_name(model, chunk, id_column)
        parts.append(_score(model, chunk, id_name, clv_assumptions))
    return rank_customers(model, _concat(parts), policy=policy, include_left=include_left)


def rank_customers(
    model: ChurnModel,
    scores: CustomerScores,
    *,
    policy: Policy | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """The at-risk list: highest value at risk first (missing last), then highest probability,
    then file order; flagged and banded by ``policy`` among the customers listed."""
    if scores.id_name != col.ROW_NUMBER_ID:  # one row per customer, or a clear refusal
        repeated = find_repeated_ids(scores.ids, scores.id_name, "The at-risk list needs")
        if repeated is not None:
            raise ChurnDataError([repeated])
    kept = np.arange(len(scores.p)) if include_left else np.flatnonzero(~scores.left)
    p, values = scores.p[kept], scores.values[kept]
    at_risk = p * values
    order = np.lexsort((-p, np.where(np.isnan(at_risk), np.inf, -at_risk)))
    flagging = apply_policy(
        p,
        policy or Policy(),
        threshold=model.threshold,
        base_rate=model.base_rate,
        values=values,
        ranking=order,
    )
    frame = pd.DataFrame(
        {
            scores.id_name: scores.ids[kept][order],
            col.RANK: np.arange(1, len(order) + 1),
            col.CHURN_PROBABILITY: p[order],
            col.RISK_BAND: flagging.bands[order],
            col.EXPECTED_VALUE_AT_RISK: at_risk[order],
            col.CUSTOMER_VALUE: values[order],
            **{name: "" for name in col.AT_RISK_COLUMNS[5:]},
        }
    )
    flagging = replace(flagging, flagged=flagging.flagged[order], bands=flagging.bands[order])
    warnings = score_warnings(model, scores)
    left_out = len(scores.p) - len(kept)
    mapping = model.label_mapping
    return AtRiskList(
        frame,
        flagging,
        scores.id_name,
        warnings,
        kept[order],
        left_out,
        f'{model.label_column} = "{mapping.churned_value}"' if left_out else "",
    )


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
) -> CustomerScores:
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
    left, unknown_labels = _already_left(model, frame)
    return CustomerScores(
        ids,
        p,
        values,
        left,
        id_name,
        get_unseen_levels(features, model.schema),
        not_numbers,
        unknown_labels,
    )


def _already_left(
    model: ChurnModel, frame: pd.DataFrame
) -> tuple[np.ndarray, dict[str, tuple[int, str]]]:
    """True where ``frame`` has the model's label and it says the customer left; and the
    label's filled cells that say neither left nor stayed (count, example)."""
    name = model.label_column
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool), {}
    churned = churn_indicator(frame[name], model.label_mapping)
    unknown = churned.isna().to_numpy(bool) & frame[name].notna().to_numpy(bool)
    if unknown.any():  # blank text is no answer, like an empty cell
        unknown[unknown] = frame[name][unknown].astype(str).str.strip().ne("").to_numpy(bool)
    found = {name: (int(unknown.sum()), str(frame[name][unknown].iloc[0]))} if unknown.any() else {}
    return churned.fillna(False).to_numpy(bool), found


def _concat(parts: list[CustomerScores]) -> CustomerScores:
    return CustomerScores(
        np.concatenate([p.ids for p in parts]),
        np.concatenate([p.p for p in parts]),
        np.concatenate([p.values for p in parts]),
        np.concatenate([p.left for p in parts]),
        parts[0].id_name,
        _add_counts([p.unseen for p in parts]),
        _add_counts([p.not_numbers for p in parts]),
        _add_counts([p.unknown_labels for p in parts]),
    )


def _add_counts(counts: list[dict[str, tuple[int, str]]]) -> dict[str, tuple[int, str]]:
    total: dict[str, tuple[int, str]] = {}
    for part in counts:
        for name, (count, example) in part.items():
            seen, first = total.get(name, (0, example))
            total[name] = (seen + count, first)
    return total


def score_warnings(model: ChurnModel, scores: CustomerScores) -> list[DataWarning]:
    """What was odd in the scored rows: values the model never saw, text where it needs
    numbers, label values that say neither left nor stayed."""
    return (
        _unseen_warnings(scores.unseen)
        + _not_number_warnings(scores.not_numbers)
        + _unknown_label_warnings(model, scores.unknown_labels)
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


def _unknown_label_warnings(
    model: ChurnModel, unknown: dict[str, tuple[int, str]]
) -> list[DataWarning]:
    mapping = model.label_mapping
    return [
        DataWarning(
            f"{name} says neither left nor stayed for {plural(count, 'customer')} "
            f'(e.g. "{example}"); the model learned "{mapping.churned_value}" for left and '
            f'"{mapping.stayed_value}" for stayed, so they are listed as still with you.',
            column=name,
            fix=f'Write "{mapping.churned_value}" or "{mapping.stayed_value}" in {name} (or '
            "leave it blank for customers still with you), or train on this file.",
            code="unknown_label",
        )
        for name, (count, example) in unknown.items()
    ]
