"""Who on a delivered list really left, read from a later file.

The later file is either

- an **outcomes file**: one row per customer with a churn label in any spelling (Yes/No, 1/0,
  Churned/Active, ...), read as ``churn_core.schema`` reads labels; or
- **next month's customer file**, without a label: a listed customer still in it stayed. One
  missing from it left, but only when the caller says so (``missing_means_left``): a customer
  can also be missing because the export changed, so the app asks the user to confirm first.

Customers are matched on the id column, as a person writes ids (see ``monitoring.lists``).
Listed customers the later file does not mention have an unknown outcome (or left, with
``missing_means_left``) and stay out of the track record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from churn_core.errors import ChurnDataError, DataWarning, Problem, plural, verb
from churn_core.monitoring.lists import (
    KEY,
    capital,
    check_unique,
    get_id_keys,
    read_list,
    show_ids,
)
from churn_core.schema import (
    LabelMapping,
    churn_indicator,
    display_value,
    infer_label_mapping,
    name_words,
    profile_table,
    value_key,
    word_vote,
)

#: Below this share of the list found in the later file, the match is called poor.
FEW_MATCHED = 0.5
#: An outcome label has two values; a column with more than this many is not one.
MAX_LABEL_VALUES = 20


@dataclass
class Outcomes:
    """Each listed customer's outcome, in list order: True left, False stayed, NA unknown."""

    left: pd.Series
    id_column: str
    #: The later file's label column; None when outcomes come from who is still in the file.
    label_column: str | None
    #: Listed customers found in the later file.
    matched: int
    #: Churn rate among every customer whose outcome the later file tells (None: unknown).
    base_rate: float | None
    #: How many customers ``base_rate`` is over.
    population: int
    warnings: list[DataWarning] = field(default_factory=list)

    @property
    def listed(self) -> int:
        return len(self.left)

    def describe_source(self, later_name: str = "the later file") -> str:
        """How outcomes were read, in words."""
        if self.label_column:
            return f"{self.label_column} in {later_name} says who left"
        return f"customers missing from {later_name} are counted as left"


def read_outcomes(
    listed: pd.DataFrame,
    later: pd.DataFrame,
    *,
    id_column: str | None = None,
    label: str | None = None,
    churned_value: str | None = None,
    learned: LabelMapping | None = None,
    missing_means_left: bool = False,
    list_name: str = "the list",
    later_name: str = "the outcomes file",
) -> Outcomes:
    """Who on ``listed`` (an at-risk list) left, according to ``later``.

    Parameters
    ----------
    listed : pandas.DataFrame
        The list as delivered (see ``monitoring.lists.read_list``).
    later : pandas.DataFrame
        An outcomes file, or next month's customer file (see the module docstring).
    id_column : str, optional
        The id column, in both files (default: the list's first column).
    label : str, optional
        The later file's churn label (the app passes the model's when the file has it filled
        in). By default a detected one, whose name must say churn (``Exited``, ``Churn``,
        ``Attrition``...): a yes/no column such as ``IsActiveMember`` is not taken for one.
    churned_value : str, optional
        Which label value means "left", when its words do not say.
    learned : LabelMapping, optional
        The label values the model learned; other values are reported as never seen.
    missing_means_left : bool, default False
        Count listed customers missing from ``later`` as left (the user confirmed it).

    Raises
    ------
    ChurnDataError
        No id column to match on, no listed customer found, an unreadable label, or next
        month's file without ``missing_means_left``.
    """
    view = read_list(listed, id_column=id_column, name=list_name)
    id_column = str(view.attrs["id_column"])
    later_id = _later_id_column(later, id_column, later_name)
    later_keys = get_id_keys(later[later_id])
    check_unique(later_keys, later_id, later_name)
    label_column, warnings = _label_column(later, label, later_name)
    found = _positions(later_keys, view[KEY])
    in_later = found >= 0
    _check_matches(view, later_keys, in_later, id_column, list_name, later_name)
    if label_column is None:
        left, base_rate, population = _from_presence(
            in_later, missing_means_left, list_name, later_name, warnings
        )
    else:
        indicator, label_warnings = read_outcome_label(
            later[label_column], label_column, churned_value=churned_value, learned=learned
        )
        warnings += label_warnings
        left = pd.Series(pd.NA, index=view.index, dtype="boolean")
        left[in_later] = indicator.to_numpy(dtype=object)[found[in_later]]
        extra = int((~in_later).sum()) if missing_means_left else 0
        if extra:
            left[~in_later] = True
        known = indicator.dropna()
        population = len(known) + extra
        base_rate = (float(known.sum()) + extra) / population if population else None
    warnings += _match_warnings(
        view, later_keys, in_later, missing_means_left, list_name, later_name
    )
    return Outcomes(
        left.astype("boolean"),
        id_column,
        label_column,
        int(in_later.sum()),
        base_rate,
        population,
        warnings,
    )


def read_outcome_label(
    series: pd.Series,
    column: str,
    *,
    churned_value: str | None = None,
    learned: LabelMapping | None = None,
) -> tuple[pd.Series, list[DataWarning]]:
    """Each row's outcome from a label in any spelling: True left, False stayed, NA unknown.

    A value reads as left or stayed by what the model learned (``learned``), by
    ``churned_value``, or by its words (Yes, Churned, Exited / No, Active, Stayed...). When two
    values remain and nothing tells, the rarer is taken as left, with a warning.

    >>> ind, _ = read_outcome_label(pd.Series(["Attrited", "Existing", None]), "Status")
    >>> ind.tolist()
    [True, False, <NA>]
    """
    uniques = pd.unique(series.dropna())
    if len(uniques) == 0:
        raise _error(
            f"{column} is empty: it says for no customer whether they left.",
            "Fill it in, or give next month's customer file instead (customers missing from it "
            "count as left once you confirm).",
            "outcome_label_empty",
            column,
        )
    if len(uniques) > MAX_LABEL_VALUES:
        raise _error(
            f"{column} has {len(uniques):,} different values; a label that says who left has "
            f'two (such as "Yes"/"No" or 1/0).',
            "Choose the column that says whether each customer left.",
            "outcome_label_not_binary",
            column,
        )
    verdict = {value: _read_value(value, churned_value, learned) for value in uniques}
    undecided = [v for v, seen in verdict.items() if seen is None]
    warnings: list[DataWarning] = []
    if undecided and len(uniques) == 2 and (churned_value is not None or learned is None):
        mapping = infer_label_mapping(series, column)
        if churned_value is not None:
            for value in undecided:
                verdict[value] = False
        elif mapping is not None:
            for value in uniques:
                verdict[value] = display_value(value) == mapping.churned_value
            warnings.append(
                DataWarning(
                    f'{column} has the values "{mapping.churned_value}" and '
                    f'"{mapping.stayed_value}"; "{mapping.churned_value}", the rarer, is '
                    "assumed to mean the customer left.",
                    column=column,
                    fix="Say which value means left if that is wrong.",
                    code="label_guessed",
                )
            )
        undecided = []
    if all(seen is None for seen in verdict.values()):
        shown = ", ".join(f'"{display_value(v)}"' for v in uniques[:6])
        learned_text = (
            f'; the model learned "{learned.churned_value}" for left and '
            f'"{learned.stayed_value}" for stayed'
            if learned
            else ""
        )
        raise _error(
            f"{column} has the values {shown}: none says whether a customer left{learned_text}.",
            "Say which value means left, or write "
            + (
                f'"{learned.churned_value}" and "{learned.stayed_value}"'
                if learned
                else '"Yes" and "No"'
            )
            + f" in {column}.",
            "outcome_label_unreadable",
            column,
        )
    indicator = series.map(verdict, na_action="ignore").astype("boolean")
    if undecided:
        unknown = series.isin(undecided).to_numpy(bool)
        count, example = int(unknown.sum()), display_value(undecided[0])
        seen = (
            f'; the model learned "{learned.churned_value}" for left and '
            f'"{learned.stayed_value}" for stayed'
            if learned
            else ""
        )
        warnings.append(
            DataWarning(
                f"{column} says neither left nor stayed for {plural(count, 'customer')} "
                f'(e.g. "{example}"){seen}; their outcome is '
                "unknown, so they are left out of the track record.",
                column=column,
                fix=f"Write whether those customers left in {column}, if known.",
                code="unknown_outcome",
            )
        )
    return indicator, warnings


def _positions(later_keys: pd.Series, keys: pd.Series) -> np.ndarray:
    """For each key, its row in the later file, or -1 when the file does not have it."""
    rows = np.flatnonzero(later_keys.notna().to_numpy(bool))
    found = pd.Index(later_keys.iloc[rows]).get_indexer(keys.fillna("\0"))
    return np.where(found >= 0, rows[found], -1)


def _read_value(value: Any, churned_value: str | None, learned: LabelMapping | None) -> bool | None:
    one = pd.Series([value])
    if learned is not None:
        known = churn_indicator(one, learned).iloc[0]
        if known is not pd.NA:
            return bool(known)
    if churned_value is not None:
        said = churn_indicator(one, LabelMapping(churned_value, "\0")).iloc[0]
        if said is not pd.NA and bool(said):
            return True
    vote = word_vote(value_key(value))
    return True if vote > 0 else False if vote < 0 else None


def _later_id_column(later: pd.DataFrame, id_column: str, later_name: str) -> str:
    if id_column in later.columns:
        return id_column
    detected = profile_table(later).id_column if len(later.columns) else None
    if detected is not None:
        return detected
    shown = ", ".join(str(c) for c in later.columns[:12])
    raise _error(
        f'{capital(later_name)} has no column "{id_column}" to find the listed customers by, '
        f"and no other column identifies customers; its columns are: {shown}.",
        f"Name the customer id column {id_column} in both files.",
        "no_id_to_match",
        id_column,
    )


def _label_column(
    later: pd.DataFrame, label: str | None, later_name: str
) -> tuple[str | None, list[DataWarning]]:
    """The later file's label column, or None for a file without one (next month's)."""
    if label is not None:
        if label not in later.columns:
            shown = ", ".join(str(c) for c in later.columns[:12])
            raise _error(
                f'{capital(later_name)} has no column "{label}"; its columns are: {shown}.',
                "Check the spelling (it is case-sensitive).",
                "no_such_column",
                label,
            )
        return label, []
    detected = profile_table(later).label_column
    if detected is None or later[detected].isna().all():
        return None, []
    if any(word_vote(word) > 0 for word in name_words(detected)):
        return detected, []
    return None, [
        DataWarning(
            f"{detected} has two values but its name does not say who left, so it is not read "
            "as the outcome; customers are matched by who is still in the file.",
            column=detected,
            fix=f"If {detected} says who left, name it as the label.",
            code="label_not_named",
        )
    ]


def _check_matches(
    view: pd.DataFrame,
    later_keys: pd.Series,
    in_later: np.ndarray,
    id_column: str,
    list_name: str,
    later_name: str,
) -> None:
    if in_later.any():
        return
    raise _error(
        f"None of the {plural(len(view), 'customer')} on {list_name} is in {later_name} "
        f"(matched on {id_column}). Ids on {list_name} look like {show_ids(view[KEY])}; in "
        f"{later_name} like {show_ids(later_keys)}.",
        "Check that both files hold the same customers under the same id column.",
        "ids_match_none",
        id_column,
    )


def _from_presence(
    in_later: np.ndarray,
    missing_means_left: bool,
    list_name: str,
    later_name: str,
    warnings: list[DataWarning],
) -> tuple[pd.Series, float | None, int]:
    missing = int((~in_later).sum())
    if missing and not missing_means_left:
        raise _error(
            f"{capital(later_name)} has no churn label, so it reads as next month's customer "
            f"file: {plural(missing, 'customer')} on {list_name} "
            f"{verb(missing, 'is', 'are')} missing from it. A customer missing from it is "
            "counted as left only when you say so.",
            "If the customers missing from this file have left, confirm it; otherwise give a "
            "file with a churn label.",
            "missing_not_confirmed",
        )
    left = pd.Series(~in_later, dtype="boolean")
    return left, float(left.mean()), len(left)


def _match_warnings(
    view: pd.DataFrame,
    later_keys: pd.Series,
    in_later: np.ndarray,
    missing_means_left: bool,
    list_name: str,
    later_name: str,
) -> list[DataWarning]:
    matched, listed = int(in_later.sum()), len(view)
    if matched >= FEW_MATCHED * listed:
        return []
    not_found = view.loc[~in_later, KEY]
    others = later_keys[~later_keys.isin(view[KEY].dropna())]
    counted = (
        f"the other {plural(listed - matched, 'customer')} are counted as left"
        if missing_means_left
        else f"the track record covers those {matched:,} only"
    )
    return [
        DataWarning(
            f"Only {matched:,} of the {plural(listed, 'customer')} on {list_name} "
            f"({matched / listed:.0%}) are in {later_name}; {counted}. Not found: "
            f"{show_ids(not_found)}; ids in {later_name} not on {list_name}: {show_ids(others)}.",
            fix="Check that the later file covers the customers of the list (same export, same "
            "id column).",
            code="ids_match_few",
        )
    ]


def _error(message: str, fix: str, code: str, column: str | None = None) -> ChurnDataError:
    return ChurnDataError([Problem(message, column=column, fix=fix, code=code)])
