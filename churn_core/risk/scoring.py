"""Score customers: each row's churn probability and what keeping the customer is worth.

The first steps of the one pass from a table to the explained at-risk list (see
``docs/architecture.md``)::

    score_customers  features -> calibrated probabilities (and ids, who already left)
    value_customers  -> each customer's value (CLV, or months of revenue)
    rank_customers   -> ranking and policy: the at-risk list (churn_core.risk.ranking)
    add_reasons      -> reasons and actions for the rows a person reads (churn_core.risk.reasons)

Each step takes the previous step's output, so a cache can hold each one: a new value
assumption re-values and re-ranks without re-scoring, a new policy only re-ranks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import DataWarning, file_row_numbers, plural, verb
from churn_core.model import ChurnModel, check_columns
from churn_core.schema import LabelMapping, churn_indicator, get_feature_frame, get_unseen_levels
from churn_core.survival import ClvAssumptions, RetentionCurve, get_table_clv

#: Per column: how many rows, and one example value.
Counts = dict[str, tuple[int, str]]


@dataclass
class CustomerScores:
    """Every customer's churn probability in file order (chunks of a large file concatenated),
    with their id and whether their label says they already left."""

    ids: np.ndarray
    p: np.ndarray
    left: np.ndarray  # True where the label says the customer already left
    id_name: str = col.ROW_NUMBER_ID
    label_mapping: LabelMapping | None = None
    unseen: Counts = field(default_factory=dict)  # category values never seen in training
    not_numbers: Counts = field(default_factory=dict)  # text where the model needs a number
    unknown_labels: Counts = field(default_factory=dict)  # labels that say neither

    @property
    def warnings(self) -> list[DataWarning]:
        """What was odd in the scored rows: values the model never saw, text where it needs
        numbers, label values that say neither left nor stayed."""
        return (
            _unseen_warnings(self.unseen)
            + _not_number_warnings(self.not_numbers)
            + _unknown_label_warnings(self.label_mapping, self.unknown_labels)
        )

    @classmethod
    def concat(cls, parts: list[CustomerScores]) -> CustomerScores:
        """The scores of a file's chunks, in file order."""
        return cls(
            np.concatenate([p.ids for p in parts]),
            np.concatenate([p.p for p in parts]),
            np.concatenate([p.left for p in parts]),
            parts[0].id_name,
            parts[0].label_mapping,
            _add_counts([p.unseen for p in parts]),
            _add_counts([p.not_numbers for p in parts]),
            _add_counts([p.unknown_labels for p in parts]),
        )


def score_customers(
    model: ChurnModel, frame: pd.DataFrame, *, id_column: str | None = None
) -> CustomerScores:
    """Every customer's calibrated churn probability, in the frame's own row order.

    Raises ChurnDataError when the frame lacks columns the model needs.
    """
    check_columns(model, frame)
    return _score(model, frame, _id_name(model, frame, id_column))


def value_customers(
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


def _id_name(model: ChurnModel, frame: pd.DataFrame, id_column: str | None) -> str:
    for name in (id_column, model.id_column):
        if name and name in frame.columns:
            return name
    return col.ROW_NUMBER_ID


def _score(model: ChurnModel, frame: pd.DataFrame, id_name: str) -> CustomerScores:
    features = get_feature_frame(frame, model.schema)
    p = model.predict_features(features)
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
        left,
        id_name,
        model.label_mapping,
        get_unseen_levels(features, model.schema),
        not_numbers,
        unknown_labels,
    )


def _already_left(model: ChurnModel, frame: pd.DataFrame) -> tuple[np.ndarray, Counts]:
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


def _add_counts(counts: list[Counts]) -> Counts:
    total: Counts = {}
    for part in counts:
        for name, (count, example) in part.items():
            seen, first = total.get(name, (0, example))
            total[name] = (seen + count, first)
    return total


def _unseen_warnings(unseen: Counts) -> list[DataWarning]:
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


def _not_number_warnings(not_numbers: Counts) -> list[DataWarning]:
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


def _unknown_label_warnings(mapping: LabelMapping | None, unknown: Counts) -> list[DataWarning]:
    if mapping is None:
        return []
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
