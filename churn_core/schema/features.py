"""From a profiled table to model inputs: which columns, of what kind, with which levels.

The schema is what a model remembers about its training data, so that a later file is read the
same way: numbers as numbers, categories as text (missing as ``"(blank)"``), nothing else.
Categories are one-hot encoded for every model: it keeps SHAP explanations exact for trees
(native categorical splits do not; see docs/architecture.md) and, on our data, scores the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from churn_core.schema.labels import display_value
from churn_core.schema.profile import Profile
from churn_core.schema.roles import Role

BLANK = "(blank)"


@dataclass(frozen=True)
class FeatureSchema:
    """The model's inputs: number columns, category columns and the levels seen in training."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    levels: dict[str, list[str]] = field(default_factory=dict)
    #: Per number column: min, p10, p25, median, p75, p90, max, a step a person would type in,
    #: and whole (1.0 when every value is a whole number, else 0.0).
    ranges: dict[str, dict[str, float]] = field(default_factory=dict)
    #: Per category column: its most common level in training (the typical customer's).
    typical: dict[str, str] = field(default_factory=dict)
    #: Inputs that are about a function of others (kept by the user's choice): column -> how.
    derived: dict[str, str] = field(default_factory=dict)
    #: The input that is the customer's tenure, if any.
    tenure: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return self.numeric + self.categorical

    def to_dict(self) -> dict[str, Any]:
        return {
            "numeric": list(self.numeric),
            "categorical": list(self.categorical),
            "levels": self.levels,
            "ranges": self.ranges,
            "typical": self.typical,
            "derived": self.derived,
            "tenure": self.tenure,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSchema:
        return cls(
            tuple(data["numeric"]),
            tuple(data["categorical"]),
            dict(data["levels"]),
            dict(data.get("ranges", {})),
            dict(data.get("typical", {})),
            dict(data.get("derived", {})),
            data.get("tenure"),
        )

    def typical_customer(self) -> dict[str, Any]:
        """The typical customer: median numbers, most common categories."""
        out: dict[str, Any] = {}
        for name in self.numeric:
            out[name] = self.ranges.get(name, {}).get("median")
        for name in self.categorical:
            levels = self.levels.get(name) or [BLANK]
            out[name] = self.typical.get(name, levels[0])
        return out


def split_feature_columns(profile: Profile) -> tuple[list[str], list[str]]:
    """The profile's feature columns as ``(numbers, categories)``: numbers and yes/no columns
    are numbers unless the user set them to Category."""
    numbers: list[str] = []
    categories: list[str] = []
    for name in profile.feature_columns:
        column = profile.column(name)
        is_number = column.role is not Role.CATEGORICAL and column.kind in {"number", "yes/no"}
        (numbers if is_number else categories).append(name)
    return numbers, categories


def get_feature_schema(frame: pd.DataFrame, profile: Profile) -> FeatureSchema:
    """Number and category features from the profile's roles, with training levels and ranges."""
    numeric, categorical = split_feature_columns(profile)
    features = get_feature_frame(frame, FeatureSchema(tuple(numeric), tuple(categorical)))
    levels = {c: sorted(features[c].unique().tolist()) for c in categorical}
    ranges = {c: _number_range(features[c]) for c in numeric if features[c].notna().any()}
    typical = {c: str(features[c].mode().iloc[0]) for c in categorical}
    derived = {d.column: d.describe() for d in profile.derived if d.column in features.columns}
    tenure = profile.column_for(Role.TENURE)
    return FeatureSchema(
        tuple(numeric),
        tuple(categorical),
        levels,
        ranges,
        typical,
        derived,
        tenure if tenure in features.columns else None,
    )


def _number_range(values: pd.Series) -> dict[str, float]:
    """Quantiles a form and the what-if search use, and a step a person would type in.

    >>> r = _number_range(pd.Series([1.0, 2.0, 3.0, 4.0, 100.0]))
    >>> r["median"], r["max"], r["step"], r["whole"]
    (3.0, 100.0, 1.0, 1.0)
    >>> _number_range(pd.Series([19.99, 29.5, 45.0, 60.25]))["whole"]
    0.0
    """
    known = values.dropna().to_numpy(float)
    quantiles = np.quantile(known, [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
    whole = bool(np.all(known == np.round(known)))
    spread = float(quantiles[5] - quantiles[1]) or float(quantiles[6] - quantiles[0])
    step = 1.0 if whole else float(10 ** np.floor(np.log10(spread / 20))) if spread > 0 else 0.01
    names = ("min", "p10", "p25", "median", "p75", "p90", "max")
    out = {k: float(v) for k, v in zip(names, quantiles, strict=True)}
    return {**out, "step": step, "whole": float(whole)}


def get_feature_frame(frame: pd.DataFrame, schema: FeatureSchema) -> pd.DataFrame:
    """The schema's columns as the model reads them: floats, and text with blanks named."""
    out = {}
    for name in schema.numeric:
        out[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    for name in schema.categorical:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        text = np.array([display_value(v) for v in uniques] + [BLANK], dtype=object)
        out[name] = text[codes]  # code -1 picks the final BLANK
    return pd.DataFrame(out, index=frame.index)


def get_unseen_levels(features: pd.DataFrame, schema: FeatureSchema) -> dict[str, tuple[int, str]]:
    """Per category column: rows whose value never appeared in training, and one such value.

    The model scores them as if the value were unknown; the caller warns with these counts.
    """
    unseen = {}
    for name in schema.categorical:
        new = ~features[name].isin(schema.levels.get(name, []))
        if new.any():
            unseen[name] = (int(new.sum()), str(features[name][new].iloc[0]))
    return unseen
