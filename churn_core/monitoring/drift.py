"""Drift in business words: how this month's customers differ from the data the model learned
from, column by column, and what that does to the predicted churn.

Each column gets a measure that fits the sample size, as Evidently does by default
(``evidently/legacy/calculations/stattests/registry.py``, ``_get_default_stattest``):

- **small samples** (the smaller file has 1,000 rows or fewer): a statistical test, drift when
  p < 0.05: two-sample Kolmogorov-Smirnov for numbers, chi-squared for categories and for
  numbers with five values or fewer;
- **large samples**: a distance with a threshold of 0.1, so that thousands of rows do not flag
  every trifle: the Wasserstein distance divided by the reference's standard deviation for
  numbers, the Jensen-Shannon distance (natural log) for categories.

Two differences from Evidently, on purpose: the regime follows the *smaller* file (Evidently
looks at the reference alone, but a test is what suits 300 new customers against 7,000
reference ones), and categories get one chi-squared test of homogeneity (a 2 x levels table,
no continuity correction) where Evidently tests the new counts against the reference's shares
as if those were exact, and uses a z-test for two levels (which this test equals).

With a model, each column also says how much the model relies on it (its mean absolute
contribution in probability points over reference customers, see ``churn_core.explain``) and
how much its change moved the average predicted churn: its mean contribution over the new
customers minus that over the reference. Every customer's points add up to their probability,
so these effects add up to the change in the average predicted churn (over the customers
explained: up to 1,000 from each file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

from churn_core import columns as col
from churn_core.errors import ChurnDataError, DataWarning, Problem, join_words, plural
from churn_core.explain import ChurnExplainer
from churn_core.model import ChurnModel
from churn_core.monitoring.lists import capital
from churn_core.monitoring.sentences import (
    CATEGORY,
    LEVELS,
    NUMBER,
    add_effect,
    describe_change,
)
from churn_core.schema import (
    FeatureSchema,
    get_feature_frame,
    profile_table,
    split_feature_columns,
)

#: Above this many rows in the smaller file, distances replace statistical tests.
SMALL_SAMPLE = 1000
#: Tests flag drift below this p-value.
P_VALUE_THRESHOLD = 0.05
#: Distances flag drift at or above this value.
DISTANCE_THRESHOLD = 0.1
#: Numbers with this many distinct values or fewer are compared like categories.
FEW_VALUES = 5
#: Customers explained from each file for importance and effects.
EXPLAIN_ROWS = 1000

TESTS = "statistical tests"
DISTANCES = "distances"
KS_TEST = "K-S p-value"
CHI2_TEST = "chi-squared p-value"
WASSERSTEIN = "Wasserstein distance (normed)"
JENSEN_SHANNON = "Jensen-Shannon distance"


@dataclass
class DriftReport:
    """Per-column drift between a reference file and a new one, and what it does to the model.

    ``frame`` has one row per compared column (``churn_core.columns.DRIFT_COLUMNS``), ranked
    by how much the model relies on each when a model was given, else drifted first.
    """

    frame: pd.DataFrame
    rows_reference: int
    rows_new: int
    regime: str
    reference_name: str
    predicted_rate_reference: float | None = None
    predicted_rate_new: float | None = None
    warnings: list[DataWarning] = field(default_factory=list)

    @property
    def drifted_columns(self) -> list[str]:
        return self.frame.loc[self.frame[col.DRIFTED], col.COLUMN].tolist()

    @property
    def share_drifted(self) -> float:
        """The share of compared columns that drifted."""
        return float(self.frame[col.DRIFTED].mean()) if len(self.frame) else 0.0

    @property
    def importance_share_drifted(self) -> float | None:
        """The share of what the model relies on that lies in drifted columns (None without a
        model)."""
        importance = self.frame[col.IMPORTANCE].to_numpy(float)
        if not np.isfinite(importance).any() or np.nansum(importance) <= 0:
            return None
        drifted = self.frame[col.DRIFTED].to_numpy(bool)
        return float(np.nansum(importance[drifted]) / np.nansum(importance))

    def describe_effect(self) -> str:
        """``The model predicts 24.1% churn for this file against 20.4% for the training
        data (+3.7 pts).`` ("" without a model)."""
        if self.predicted_rate_reference is None or self.predicted_rate_new is None:
            return ""
        change = 100 * (self.predicted_rate_new - self.predicted_rate_reference)
        return (
            f"The model predicts {self.predicted_rate_new:.1%} churn for this file against "
            f"{self.predicted_rate_reference:.1%} for {self.reference_name} ({change:+.1f} pts)."
        )

    def summary(self) -> str:
        """The whole report in two or three sentences."""
        drifted = self.drifted_columns
        compared = len(self.frame)
        if not drifted:
            text = f"None of the {plural(compared, 'column')} compared has drifted from "
            text += f"{self.reference_name}."
        else:
            text = (
                f"{len(drifted)} of {plural(compared, 'column')} ({self.share_drifted:.0%}) "
                f"drifted from {self.reference_name}: {join_words(drifted[:6])}"
                + (f" and {len(drifted) - 6} more" if len(drifted) > 6 else "")
                + "."
            )
            share = self.importance_share_drifted
            if share is not None:
                text += f" They carry {share:.0%} of what the model relies on."
        effect = self.describe_effect()
        return f"{text} {effect}".strip()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (NaN as None)."""
        return {
            "reference_rows": self.rows_reference,
            "new_rows": self.rows_new,
            "method": self.regime,
            "columns": [
                {key: _plain(value) for key, value in row.items()}
                for row in self.frame.to_dict(orient="records")
            ],
            "share_drifted": self.share_drifted,
            "drifted_columns": self.drifted_columns,
            "importance_share_drifted": self.importance_share_drifted,
            "predicted_churn_rate": None
            if self.predicted_rate_new is None
            else {"reference": self.predicted_rate_reference, "new": self.predicted_rate_new},
            "summary": self.summary(),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def get_drift(
    reference: pd.DataFrame,
    new: pd.DataFrame,
    *,
    model: ChurnModel | None = None,
    explainer: ChurnExplainer | None = None,
    reference_name: str | None = None,
    new_name: str = "the new file",
    p_value: float = P_VALUE_THRESHOLD,
    number_threshold: float = DISTANCE_THRESHOLD,
    category_threshold: float = DISTANCE_THRESHOLD,
    explain_rows: int = EXPLAIN_ROWS,
    seed: int = 0,
) -> DriftReport:
    """Compare ``new`` with ``reference`` column by column (see the module docstring).

    Parameters
    ----------
    reference, new : pandas.DataFrame
        The reference (usually the model's training data) and this month's customers.
    model : ChurnModel, optional
        Compare the model's input columns, rank them by how much the model relies on each,
        and give the effect on the predicted churn. Without one, the reference's feature
        columns (by its profile) are compared.
    explainer : ChurnExplainer, optional
        The model's explainer, when the caller already has one (it is costly to build).
    reference_name, new_name : str
        How sentences and messages name the two files.
    p_value, number_threshold, category_threshold : float
        Drift when a test's p-value is below ``p_value`` (small samples), or a distance is at
        or above its threshold (numbers: Wasserstein; categories: Jensen-Shannon). Evidently's
        defaults: 0.05, 0.1 and 0.1.

    Raises
    ------
    ChurnDataError
        When ``new`` (or ``reference``) lacks columns the other or the model needs.
    """
    reference_name = reference_name or ("the training data" if model else "the reference file")
    schema, warnings = _compared_columns(reference, new, model, reference_name, new_name)
    ref_values = get_feature_frame(reference, schema)
    new_values = get_feature_frame(new, schema)
    small = min(len(reference), len(new)) <= SMALL_SAMPLE
    limits = (p_value, p_value) if small else (number_threshold, category_threshold)
    rows = [
        _compare(name, ref_values[name], new_values[name], name in schema.numeric, small, limits)
        for name in schema.columns
    ]
    frame = pd.DataFrame(rows, columns=col.DRIFT_COLUMNS)
    frame[col.SENTENCE] = [
        describe_change(
            row[col.COLUMN],
            ref_values[row[col.COLUMN]],
            new_values[row[col.COLUMN]],
            reference_name,
            drifted=row[col.DRIFTED],
            kind=_reading(row[col.KIND], ref_values[row[col.COLUMN]], new_values[row[col.COLUMN]]),
        )
        for row in rows
    ]
    rate_ref = rate_new = None
    if model is not None:
        explainer = explainer or ChurnExplainer(model)
        importance, effect = _importance_and_effect(explainer, reference, new, explain_rows, seed)
        frame[col.IMPORTANCE] = frame[col.COLUMN].map(importance).astype(float)
        frame[col.EFFECT_POINTS] = frame[col.COLUMN].map(effect).astype(float)
        frame[col.SENTENCE] = [
            add_effect(s, e, d)
            for s, e, d in zip(
                frame[col.SENTENCE], frame[col.EFFECT_POINTS], frame[col.DRIFTED], strict=True
            )
        ]
        rate_ref = float(model.predict_proba(reference).mean())
        rate_new = float(model.predict_proba(new).mean())
    frame = _rank(frame, small, ranked_by_importance=model is not None)
    return DriftReport(
        frame,
        len(reference),
        len(new),
        TESTS if small else DISTANCES,
        reference_name,
        rate_ref,
        rate_new,
        warnings,
    )


def _compared_columns(
    reference: pd.DataFrame,
    new: pd.DataFrame,
    model: ChurnModel | None,
    reference_name: str,
    new_name: str,
) -> tuple[FeatureSchema, list[DataWarning]]:
    """The columns to compare, as numbers and categories; a problem when a file lacks any."""
    for name, frame in ((reference_name, reference), (new_name, new)):
        if frame.empty:
            raise ChurnDataError(
                [
                    Problem(
                        f"{capital(name)} has no customers to compare.",
                        fix="Choose a file with customer rows.",
                        code="drift_no_rows",
                    )
                ]
            )
    if model is not None:
        schema = model.schema
    else:
        numbers, categories = split_feature_columns(profile_table(reference))
        schema = FeatureSchema(tuple(numbers), tuple(categories))
    problems = []
    for name, frame, other in ((reference_name, reference, new_name), (new_name, new, None)):
        missing = [c for c in schema.columns if c not in frame.columns]
        if not missing:
            continue
        needs = "the model needs" if model is not None else f"{reference_name} has"
        problems.append(
            Problem(
                f"{capital(name)} and {other or reference_name} have different columns: "
                f"{name} lacks {join_words(missing)}, which {needs}.",
                fix="Export both files with the same columns under the same names, or compare "
                "with a reference that has this file's columns.",
                code="drift_columns_differ",
            )
        )
    if problems:
        raise ChurnDataError(problems)
    if not schema.columns:
        raise ChurnDataError(
            [
                Problem(
                    f"{capital(reference_name)} has no column that describes customers to "
                    "compare (each is an id, the label, a date, personal data or constant).",
                    fix="Compare files with plan, usage, charges or tenure columns.",
                    code="drift_no_columns",
                )
            ]
        )
    skipped = [
        c
        for c in new.columns
        if c not in schema.columns and c not in reference.columns and not str(c).startswith("_")
    ]
    warnings = []
    if skipped:
        warnings.append(
            DataWarning(
                f"{capital(new_name)} has {plural(len(skipped), 'column')} that "
                f"{reference_name} lacks ({join_words([str(c) for c in skipped[:6]])}"
                + (f" and {len(skipped) - 6} more" if len(skipped) > 6 else "")
                + "); they are not compared.",
                fix="Nothing to do, unless a column was renamed: then use the same name in both.",
                code="drift_new_columns",
            )
        )
    return schema, warnings


def _compare(
    name: str,
    ref: pd.Series,
    new: pd.Series,
    is_number: bool,
    small: bool,
    limits: tuple[float, float],
) -> dict[str, Any]:
    """One column's measure, threshold and verdict (``limits``: for numbers, categories)."""
    numbers, categories = limits
    if is_number:
        ref_known, new_known = ref.dropna().to_numpy(float), new.dropna().to_numpy(float)
        levels = np.unique(np.concatenate([ref_known, new_known]))
        if len(ref_known) == 0 or len(new_known) == 0:  # blank in one file (or both)
            one_blank = len(ref_known) + len(new_known) > 0
            measure, value, threshold, drifted = _measure_name(small), np.nan, numbers, one_blank
        elif len(levels) > FEW_VALUES:
            measure, value, threshold, drifted = _number_measure(
                ref_known, new_known, small, numbers
            )
        else:
            measure, value, threshold, drifted = _category_measure(
                pd.Series(ref_known), pd.Series(new_known), small, categories
            )
    else:
        measure, value, threshold, drifted = _category_measure(ref, new, small, categories)
    return {
        col.COLUMN: name,
        col.KIND: NUMBER if is_number else CATEGORY,
        col.MEASURE: measure,
        col.VALUE: float(value),
        col.THRESHOLD: threshold,
        col.DRIFTED: bool(drifted),
        col.IMPORTANCE: np.nan,
        col.EFFECT_POINTS: np.nan,
        col.SENTENCE: "",
    }


def _measure_name(small: bool) -> str:
    return KS_TEST if small else WASSERSTEIN


def _number_measure(
    ref: np.ndarray, new: np.ndarray, small: bool, threshold: float
) -> tuple[str, float, float, bool]:
    """K-S p-value for small samples, else the Wasserstein distance in reference SDs.

    >>> measure, value, threshold, drifted = _number_measure(
    ...     np.arange(2000.0), np.arange(2000.0) + 400, small=False, threshold=0.1
    ... )
    >>> measure, round(value, 4), threshold, drifted
    ('Wasserstein distance (normed)', 0.6928, 0.1, True)
    """
    if small:
        p = float(ks_2samp(ref, new).pvalue)
        return KS_TEST, p, threshold, p < threshold
    distance = float(wasserstein_distance(ref, new) / max(float(np.std(ref)), 0.001))
    return WASSERSTEIN, distance, threshold, distance >= threshold


def _category_measure(
    ref: pd.Series, new: pd.Series, small: bool, threshold: float
) -> tuple[str, float, float, bool]:
    """Chi-squared p-value (homogeneity) for small samples, else the Jensen-Shannon distance.

    >>> a = pd.Series(["x"] * 60 + ["y"] * 40)
    >>> b = pd.Series(["x"] * 40 + ["y"] * 60)
    >>> m, p, t, d = _category_measure(a, b, small=True, threshold=0.05)
    >>> m, round(p, 4), d
    ('chi-squared p-value', 0.0047, True)
    """
    counts = pd.concat(
        [ref.value_counts(), new.value_counts()], axis=1, keys=["ref", "new"]
    ).fillna(0)
    if small:
        if len(counts) < 2:
            return CHI2_TEST, 1.0, threshold, False
        p = float(chi2_contingency(counts.to_numpy().T, correction=False).pvalue)
        return CHI2_TEST, p, threshold, p < threshold
    shares = counts / counts.sum()
    distance = float(jensenshannon(shares["ref"], shares["new"]))
    return JENSEN_SHANNON, distance, threshold, distance >= threshold


def _reading(kind: str, ref: pd.Series, new: pd.Series) -> str:
    """How to word a column's change: numbers with a few values read as categories."""
    if kind == CATEGORY:
        return CATEGORY
    return NUMBER if pd.concat([ref, new]).dropna().nunique() > FEW_VALUES else LEVELS


def _importance_and_effect(
    explainer: ChurnExplainer,
    reference: pd.DataFrame,
    new: pd.DataFrame,
    rows: int,
    seed: int,
) -> tuple[dict[str, float], dict[str, float]]:
    """Per column: mean absolute points over reference customers, and mean points over new
    customers minus mean points over reference ones."""
    ref_points = explainer.explain(_sample(reference, rows, seed)).points
    new_points = explainer.explain(_sample(new, rows, seed)).points
    columns = explainer.model.schema.columns
    importance = dict(zip(columns, np.abs(ref_points).mean(axis=0).tolist(), strict=True))
    shift = new_points.mean(axis=0) - ref_points.mean(axis=0)
    return importance, dict(zip(columns, shift.tolist(), strict=True))


def _sample(frame: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    return frame if len(frame) <= rows else frame.sample(n=rows, random_state=seed)


def _rank(frame: pd.DataFrame, small: bool, *, ranked_by_importance: bool) -> pd.DataFrame:
    """Most relied-on first with a model; else drifted first, the strongest drift first."""
    if ranked_by_importance:
        order = np.argsort(-frame[col.IMPORTANCE].fillna(0).to_numpy(), kind="stable")
    else:
        order = np.lexsort((-_severity(frame, small), ~frame[col.DRIFTED].to_numpy(bool)))
    return frame.iloc[order].reset_index(drop=True)


def _severity(frame: pd.DataFrame, small: bool) -> np.ndarray:
    """How far past its threshold each column's measure is (above 1: drifted; NaN: a file
    blank in that column, the most drifted of all)."""
    value = frame[col.VALUE].to_numpy(float)
    threshold = frame[col.THRESHOLD].to_numpy(float)
    with np.errstate(divide="ignore", over="ignore"):
        ratio = threshold / value if small else value / threshold
    return np.where(np.isnan(ratio), np.inf, ratio)


def _plain(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value
