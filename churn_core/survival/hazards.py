"""What makes customers leave sooner: Cox proportional hazards on the model's features.

A hazard ratio says how much faster one kind of customer leaves than another, at any point in
their lifetime: 2.8 means "leave 2.8x as fast". Categories are compared with their most common
value (the reference level); numbers are read per a round step near their spread ("per 10
MonthlyCharges"), so the ratios read in units a business user recognises; a number with two
values (a 0/1 flag such as IsActiveMember) is read as two groups ("customers with
IsActiveMember = 0 (no) leave 1.9x as fast as those with IsActiveMember = 1 (yes)"). A small ridge
penalty keeps the fit stable with many or correlated columns.

The proportional-hazards check (do effects stay the same over a customer's lifetime?) runs on a
fixed random subset of customers: lifelines' test grows with the square of the rows, and on
very many rows it flags differences too small to matter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from churn_core.columns import (
    COLUMN,
    HAZARD_RATIO,
    LOWER,
    P_VALUE,
    READING,
    SIGNIFICANT,
    TERM,
    UPPER,
)
from churn_core.errors import DataWarning, join_words
from churn_core.schema import Profile, Role, get_feature_frame, get_feature_schema
from churn_core.survival.durations import SurvivalData

PENALIZER = 0.01
MAX_LEVELS = 10  # per category column; rarer levels are pooled into "Other"
MIN_LEVEL_SIZE = 20
PH_CHECK_ROWS = 5000
PH_CHECK_P = 0.01
SEED = 0
_DURATION, _EVENT, _ENTRY = "__months", "__left", "__entry"


@dataclass
class Hazards:
    """Hazard ratios with 95 % intervals and plain readings, strongest first."""

    ratios: pd.DataFrame
    warnings: list[DataWarning] = field(default_factory=list)
    failed_ph: list[str] = field(default_factory=list)


def fit_hazards(frame: pd.DataFrame, profile: Profile, data: SurvivalData) -> Hazards:
    """Fit Cox proportional hazards of leaving on the profile's features.

    The duration columns themselves (tenure, dates) are not features here: they are the time.
    Returns an empty frame with a warning when nobody left or no feature can be used.
    """
    # One BLAS thread: on two busy cores, lifelines' Newton steps measured 1.0-1.3 s on 100k
    # customers with one thread against 2.7-9 s with two (threads spin waiting for a core).
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(frame, profile, data)


def _fit(frame: pd.DataFrame, profile: Profile, data: SurvivalData) -> Hazards:
    excluded = {data.source.tenure_column, *profile.columns_with(Role.TENURE)}
    # A derived column (TotalCharges = tenure x MonthlyCharges) read "holding the others
    # fixed" is circular: never a hazard ratio, even when the user keeps it in the model.
    excluded |= {d.column for d in profile.derived}
    columns = [c for c in profile.feature_columns if c not in excluded]
    if data.churners < 2 or not columns:
        why = "fewer than 2 customers left" if data.churners < 2 else "no feature is left"
        return Hazards(_empty(), [_warning(f"What drives leaving sooner cannot be fitted: {why}.")])
    design, readings = _design(frame.loc[data.usable], profile, columns)
    if design.shape[1] == 0:
        return Hazards(_empty(), [_warning("No feature varies enough to compare customers.")])
    design[_DURATION] = np.maximum(data.durations, 1e-3)  # lifelines needs positive times
    design[_EVENT] = data.events.astype(float)
    entry = None
    if data.truncation is not None:  # left-truncated: each customer counts from their entry
        # lifelines wants entry < duration; one entering and leaving in the same month counts
        design[_ENTRY] = np.clip(data.entries, 0.0, design[_DURATION].to_numpy() * (1 - 1e-6))
        entry = _ENTRY
    # Imported here: lifelines takes a second to import, and scoring never needs it.
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError

    cox = CoxPHFitter(penalizer=PENALIZER)
    try:
        cox.fit(design, _DURATION, _EVENT, entry_col=entry)
    except ConvergenceError:
        return Hazards(_empty(), [_warning("The hazard model did not converge on this data.")])
    ratios = _ratios(cox, readings)
    failed = _check_proportional(design.drop(columns=[_ENTRY], errors="ignore"), readings)
    warnings = []
    if failed:
        warnings.append(
            DataWarning(
                f"The effect of {join_words(failed)} changes over a customer's lifetime, so "
                "read it as an average over the whole lifetime (for analysts: the "
                "proportional-hazards check fails).",
                fix="Compare the retention curves of its groups to see when the difference "
                "appears.",
                code="ph_check_failed",
            )
        )
    return Hazards(ratios, warnings, failed)


#: Readings in the plain summary of what makes customers leave sooner.
SUMMARY_READINGS = 3


def describe_hazards(hazards: Hazards, top: int = SUMMARY_READINGS) -> str:
    """What makes customers leave sooner, in plain words: the clearest differences first.

    The main reading for the page; the ratios, intervals and p-values stay in
    ``hazards.ratios`` for analysts.
    """
    ratios = hazards.ratios
    if ratios.empty:
        return "How fast customers leave could not be compared across their columns."
    clear = ratios[ratios[SIGNIFICANT].astype(bool)] if SIGNIFICANT in ratios else ratios.iloc[:0]
    if clear.empty:
        return (
            "No column makes a clear difference to how fast customers leave: the differences "
            "seen could be chance."
        )
    shown = " ".join(clear[READING].head(top))
    more = len(clear) - min(top, len(clear))
    tail = (
        f" ({more} more clear {'difference' if more == 1 else 'differences'} below.)"
        if more
        else ""
    )
    return f"The clearest differences in how fast customers leave: {shown}{tail}"


def describe_ratio(hazard_ratio: float, subject: str, reference: str = "") -> str:
    """One hazard ratio in words; below 1, a category is read the other way round.

    >>> describe_ratio(2.83, "Contract = Month-to-month", "Contract = Two year")
    'Customers with Contract = Month-to-month leave 2.8x as fast as those with Contract = Two year.'
    >>> describe_ratio(0.25, "Contract = Two year", "Contract = Month-to-month")
    'Customers with Contract = Month-to-month leave 4x as fast as those with Contract = Two year.'
    >>> describe_ratio(0.62, "each 10 more UsageTrendPct")
    'Each 10 more UsageTrendPct: customers leave 38% slower (0.62x as fast).'
    """
    if not reference:
        subject = subject[:1].upper() + subject[1:]
        if hazard_ratio >= 1:
            return f"{subject}: customers leave {_times(hazard_ratio)} as fast."
        return (
            f"{subject}: customers leave {1 - hazard_ratio:.0%} slower "
            f"({_times(hazard_ratio)} as fast)."
        )
    if hazard_ratio < 1:
        hazard_ratio, subject, reference = 1 / hazard_ratio, reference, subject
    return (
        f"Customers with {subject} leave {_times(hazard_ratio)} as fast as those with {reference}."
    )


def _times(ratio: float) -> str:
    return f"{ratio:.2g}x" if ratio < 10 else f"{ratio:.0f}x"


def _design(
    frame: pd.DataFrame, profile: Profile, columns: list[str]
) -> tuple[pd.DataFrame, dict[str, tuple[str, str, str]]]:
    """Model matrix (one-hot categories against their most common level, scaled numbers)."""
    schema = get_feature_schema(frame, profile)
    features = get_feature_frame(frame, schema)
    out: dict[str, np.ndarray] = {}
    readings: dict[str, tuple[str, str, str]] = {}  # term -> (column, subject, reference)
    for name in [c for c in schema.numeric if c in columns]:
        values = features[name].to_numpy(float)
        if np.isnan(values).all() or np.nanstd(values) == 0:
            continue
        known = values[~np.isnan(values)]
        two = np.unique(known)
        if len(two) == 2:  # a yes/no flag (IsActiveMember 0/1): read as two groups, not a step
            low, high = (float(v) for v in two)
            common = high if (known == high).mean() > 0.5 else low
            out[name] = (np.where(np.isnan(values), common, values) == high).astype(float)
            readings[name] = (name, *_flag_groups(name, low, high))
            continue
        step = _round_step(float(known.std()), whole=bool((known == np.round(known)).all()))
        out[name] = (np.where(np.isnan(values), np.nanmedian(values), values)) / step
        readings[name] = (name, f"each {step:g} more {name}", "")
    for name in [c for c in schema.categorical if c in columns]:
        counts = features[name].value_counts()
        kept = counts[counts >= MIN_LEVEL_SIZE].index[:MAX_LEVELS]
        if len(kept) < 2:
            continue
        values = features[name].where(features[name].isin(kept), "Other").to_numpy()
        reference = str(kept[0])
        for level in kept[1:]:
            term = f"{name} = {level}"
            out[term] = (values == level).astype(float)
            readings[term] = (name, f"{name} = {level}", f"{name} = {reference}")
    return pd.DataFrame(out, index=frame.index), readings


def _flag_groups(name: str, low: float, high: float) -> tuple[str, str]:
    """The two groups of a two-valued number column, as a reading names them.

    >>> _flag_groups("IsActiveMember", 0.0, 1.0)
    ('IsActiveMember = 1 (yes)', 'IsActiveMember = 0 (no)')
    >>> _flag_groups("Floor", 1.0, 2.0)
    ('Floor = 2', 'Floor = 1')
    """
    if (low, high) == (0.0, 1.0):
        return f"{name} = 1 (yes)", f"{name} = 0 (no)"
    return f"{name} = {high:g}", f"{name} = {low:g}"


def _ratios(cox: Any, readings: dict[str, tuple[str, str, str]]) -> pd.DataFrame:
    summary = cox.summary
    rows = []
    for term, row in summary.iterrows():
        column, subject, reference = readings[str(term)]
        hr = float(row["exp(coef)"])
        low, high = float(row["exp(coef) lower 95%"]), float(row["exp(coef) upper 95%"])
        significant = bool(low > 1 or high < 1)
        reading = describe_ratio(hr, subject, reference)
        if not significant:
            reading += " Not a clear difference: it could be chance."
        rows.append((term, column, hr, low, high, float(row["p"]), reading, significant))
    ratios = pd.DataFrame(
        rows, columns=[TERM, COLUMN, HAZARD_RATIO, LOWER, UPPER, P_VALUE, READING, SIGNIFICANT]
    )
    strength = np.abs(np.log(ratios[HAZARD_RATIO].to_numpy()))
    return ratios.iloc[np.argsort(-strength, kind="stable")].reset_index(drop=True)


def _check_proportional(
    design: pd.DataFrame, readings: dict[str, tuple[str, str, str]]
) -> list[str]:
    """Columns whose effect changes over time, on a fixed subset of at most PH_CHECK_ROWS."""
    subset = design.sample(min(len(design), PH_CHECK_ROWS), random_state=SEED)
    varying = [c for c in subset.columns if subset[c].nunique() > 1 or c in (_DURATION, _EVENT)]
    if subset[_EVENT].sum() < 2 or len(varying) < 3:
        return []
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError
    from lifelines.statistics import proportional_hazard_test

    try:
        cox = CoxPHFitter(penalizer=PENALIZER).fit(subset[varying], _DURATION, _EVENT)
        test = proportional_hazard_test(cox, subset[varying], time_transform="rank")
    except (ConvergenceError, ValueError, np.linalg.LinAlgError):
        return []
    failing = test.summary.index[test.summary["p"] < PH_CHECK_P]
    return sorted({readings[str(term)][0] for term in failing if str(term) in readings})


def _round_step(spread: float, whole: bool = False) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``spread``; at least 1 for whole numbers.

    >>> _round_step(23.0), _round_step(0.8), _round_step(0.04), _round_step(0.8, whole=True)
    (20.0, 0.5, 0.02, 1.0)
    """
    if spread <= 0:
        return 1.0
    exponent = math.floor(math.log10(spread))
    base = spread / 10**exponent
    step = (5 if base >= 5 else 2 if base >= 2 else 1) * 10.0**exponent
    return max(step, 1.0) if whole else float(step)


def _warning(message: str) -> DataWarning:
    return DataWarning(message, fix="", code="no_hazards")


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[TERM, COLUMN, HAZARD_RATIO, LOWER, UPPER, P_VALUE, READING])
