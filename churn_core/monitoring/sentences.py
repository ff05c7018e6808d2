"""Drift in words a manager reads: which value's share moved most, where the median went,
how blank a column became, and what that did to the predicted churn.

``This file has 35% fewer customers with Contract "Month-to-month" than the training data (41%
of customers against 63%).`` -- ``The median MonthlyCharges moved from 33.76 in the training
data to 40.51 in this file (+20%).`` Columns and values are the user's own; nothing is encoded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_core.explain import format_value
from churn_core.schema import BLANK

#: A column's blank share must move this much to be mentioned.
BLANK_SHIFT = 0.05
#: How ``describe_change`` reads a column: a number, a number with a few values, a category.
NUMBER = "number"
LEVELS = "levels"
CATEGORY = "category"


def describe_change(
    name: str,
    ref: pd.Series,
    new: pd.Series,
    reference_name: str,
    *,
    drifted: bool,
    kind: str,
) -> str:
    """What changed in a column, in words, naming the user's column and values: for a
    category (or a number with a few values, ``kind="levels"``), the value whose share moved
    most; for a number, its median (or average); and a blank share that moved."""
    if kind == NUMBER:
        text = describe_number(name, ref, new, reference_name, drifted)
    elif kind == LEVELS:
        as_levels = ref.dropna().map(format_value), new.dropna().map(format_value)
        text = describe_levels(name, *as_levels, reference_name, drifted)
    else:
        return describe_levels(name, ref, new, reference_name, drifted)
    return text + describe_blanks(name, ref, new, reference_name)


def describe_levels(
    name: str, ref: pd.Series, new: pd.Series, reference_name: str, drifted: bool
) -> str:
    """The value whose share moved most, its change relative to its share in the reference:
    ``This file has 35% fewer customers with Contract "Month-to-month" than the training data
    (41% of customers against 63%).``"""
    if len(new) == 0:
        return f"{name} is blank for every customer in this file."
    if len(ref) == 0:
        return f"{name} is blank for every customer in {reference_name}."
    ref_share = ref.value_counts(normalize=True)
    new_share = new.value_counts(normalize=True)
    shares = pd.concat([ref_share, new_share], axis=1, keys=["ref", "new"]).fillna(0.0)
    moved = (shares["new"] - shares["ref"]).abs()
    level = moved.idxmax()
    before, after = float(shares.loc[level, "ref"]), float(shares.loc[level, "new"])
    who = f"customers with {name} blank" if level == BLANK else f'customers with {name} "{level}"'
    if not drifted:
        return f"No drift flagged: {after:.0%} of {who} against {before:.0%} in {reference_name}."
    if before == 0:
        return f"This file has {after:.0%} of {who}, a value {reference_name} never had."
    if after == 0:
        return f"This file has no {who} ({before:.0%} in {reference_name})."
    ratio = after / before
    versus = f"({after:.0%} of customers against {before:.0%})"
    if ratio >= 2:
        return f"This file has {ratio:.1f} times as many {who} as {reference_name} {versus}."
    more = "more" if ratio >= 1 else "fewer"
    return f"This file has {abs(ratio - 1):.0%} {more} {who} than {reference_name} {versus}."


def describe_number(
    name: str, ref: pd.Series, new: pd.Series, reference_name: str, drifted: bool
) -> str:
    """The median moved (or, when medians agree, the average): ``The median MonthlyCharges
    moved from 33.76 in the training data to 40.51 in this file (+20%).``"""
    ref, new = ref.dropna(), new.dropna()
    if len(new) == 0:
        return f"{name} is blank for every customer in this file."
    if len(ref) == 0:
        return f"{name} is blank for every customer in {reference_name}."
    statistic, before, after = "median", float(ref.median()), float(new.median())
    if before == after:
        statistic, before, after = "average", float(ref.mean()), float(new.mean())
    change = f" ({after / before - 1:+.0%})" if before != 0 else ""
    if not drifted:
        return (
            f"No drift flagged: {statistic} {name} {format_value(after)} against "
            f"{format_value(before)} in {reference_name}."
        )
    return (
        f"The {statistic} {name} moved from {format_value(before)} in {reference_name} to "
        f"{format_value(after)} in this file{change}."
    )


def describe_blanks(name: str, ref: pd.Series, new: pd.Series, reference_name: str) -> str:
    before, after = float(ref.isna().mean()), float(new.isna().mean())
    if abs(after - before) < BLANK_SHIFT:
        return ""
    return (
        f" {name} is blank for {after:.0%} of customers against {before:.0%} in {reference_name}."
    )


def add_effect(sentence: str, effect: float, drifted: bool) -> str:
    if not drifted or not np.isfinite(effect) or abs(effect) < 0.05:
        return sentence
    return f"{sentence} This moves the average predicted churn by {effect:+.1f} pts."
