"""What segments are built from: chosen columns, blanks filled, every column on one scale.

Segments use number columns that describe behaviour and value (tenure, charges, usage...),
optionally category columns one-hot encoded; never the customer id, the churn label, dates, or
ignored columns (personal data, free text), nor numbers that only look like measurements: ids,
codes and dates written as numbers (``19970101``). A table with repeated customer ids (a
purchase or event log) is refused with the fix. Blanks are filled with the column's median and
counted in a warning; columns that are the same for everyone are left out with a warning.

Rows are put in a canonical order (sorted by their values) before anything is computed, so the
same customers in any order give exactly the same numbers, samples and segments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churn_core.errors import (
    ChurnDataError,
    DataWarning,
    Problem,
    example_rows,
    file_row_numbers,
    format_rows,
    join_words,
    plural,
    verb,
)
from churn_core.explore import format_number
from churn_core.schema import (
    BLANK,
    Profile,
    Role,
    check_one_row_per_customer,
    describe_kind,
    display_value,
    get_non_measures,
    name_words,
    split_feature_columns,
)

#: What a column's value means when a segment is named (see :mod:`churn_core.segments.names`).
TENURE, COUNT, FLAG, AMOUNT, LEVEL = "tenure", "count", "flag", "amount", "level"
#: Words that mark a column as a count ("NumOfProducts", "Total_Trans_Ct"); names drop them.
COUNT_WORDS = {"num", "number", "count", "cnt", "ct", "no", "nr", "nb", "n", "of"}
_NOT_ALLOWED = {
    Role.ID: "the customer id",
    Role.LABEL: "the churn label",
    Role.SIGNUP_DATE: "a date",
    Role.END_DATE: "a date",
    Role.IGNORED: "ignored",
}


@dataclass(frozen=True)
class Feature:
    """One input the segments see: a number column, or one level of a category column."""

    column: str
    kind: str  # TENURE, COUNT, FLAG, AMOUNT or LEVEL
    level: str | None = None

    @property
    def label(self) -> str:
        """``"MonthlyCharges"`` or ``"Contract: Month-to-month"``."""
        return self.column if self.level is None else f"{self.column}: {self.level}"


@dataclass(frozen=True)
class SegmentInputs:
    """How a table becomes the matrix segments are found in; reused to place new customers."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    features: tuple[Feature, ...]
    medians: np.ndarray
    means: np.ndarray  # of every feature, after filling blanks
    scales: np.ndarray  # standard deviation of number features; 1 for category levels
    levels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The standardised matrix for any customers with the same columns, in their order.

        Raises ChurnDataError when a column is missing. Blanks and text in number columns get
        the median learned when the segments were fitted.
        """
        missing = [c for c in (*self.numeric, *self.categorical) if c not in frame.columns]
        if missing:
            raise ChurnDataError(
                [
                    Problem(
                        f"These customers lack {plural(len(missing), 'column')} the segments were "
                        f"built from: {join_words(missing)}.",
                        column=missing[0],
                        fix="Use a file with the same columns, or build the segments again on "
                        "this one.",
                        code="segment_columns_missing",
                    )
                ]
            )
        numbers = _numbers(frame, self.numeric)
        raw = _raw_matrix(numbers, _texts(frame, self.categorical), self.medians, self.levels)
        return (raw - self.means) / self.scales


def get_segment_columns(
    profile: Profile, frame: pd.DataFrame | None = None
) -> tuple[list[str], list[str]]:
    """The number and category columns segments may use: ``(numbers, categories)``.

    Numbers are the default; categories can be added. Ids, the label, dates and ignored
    columns are never offered, nor ids, codes and dates kept as numbers (see
    :func:`get_left_out_columns`; without ``frame``, only those their names give away).
    """
    numbers, categories = split_feature_columns(profile)
    left_out = get_left_out_columns(profile, frame)
    return [n for n in numbers if n not in left_out], [c for c in categories if c not in left_out]


def get_left_out_columns(profile: Profile, frame: pd.DataFrame | None = None) -> dict[str, str]:
    """Feature columns segments never use, and why: ids, codes, dates written as numbers."""
    numbers, categories = split_feature_columns(profile)
    if frame is None:  # names only
        frame = pd.DataFrame({name: pd.Series(dtype=object) for name in [*numbers, *categories]})
    return get_non_measures(frame, [*numbers, *categories])


def prepare_segment_inputs(
    frame: pd.DataFrame,
    profile: Profile,
    numeric: Sequence[str] | None = None,
    categorical: Sequence[str] = (),
) -> tuple[SegmentInputs, np.ndarray, np.ndarray, list[DataWarning]]:
    """Check the chosen columns and build the standardised matrix, rows in canonical order.

    Returns
    -------
    inputs : SegmentInputs
        What was learned (medians, means, scales, levels), to place new customers later.
    matrix : np.ndarray
        One row per customer in canonical order, one column per feature.
    order : np.ndarray
        ``matrix[i]`` is the customer at position ``order[i]`` of ``frame``.
    warnings : list of DataWarning
        Blanks filled and constant columns left out, with counts and example rows.
    """
    check_one_row_per_customer(frame, profile, "Segments need")
    numeric = list(get_segment_columns(profile, frame)[0] if numeric is None else numeric)
    categorical = list(categorical)
    _check_columns(frame, profile, numeric, categorical)
    numbers, texts = _numbers(frame, numeric), _texts(frame, categorical)
    blanks = np.isnan(numbers)  # in the file's order, for example rows
    order = _canonical_order(numbers, texts)
    numbers, texts = numbers[order], texts[order]
    warnings: list[DataWarning] = []
    medians = _fill_blanks(frame, numeric, numbers, blanks, warnings)
    keep = [i for i, name in enumerate(numeric) if _varies(name, numbers[:, i], warnings)]
    if not keep:
        shown = [f"{name} = {_number(medians[i])}" for i, name in enumerate(numeric)]
        raise ChurnDataError(
            [
                Problem(
                    f"Every chosen number column is the same for all customers "
                    f"({', '.join(shown[:5])}), so there is nothing to tell groups apart by.",
                    column=numeric[0],
                    fix="Choose number columns whose values differ between customers.",
                    code="segment_columns_constant",
                )
            ],
            [w for w in warnings if w.code == "segment_blanks_filled"],
        )
    levels = {name: tuple(sorted(set(texts[:, i]))) for i, name in enumerate(categorical)}
    kept_categories = []
    for name in categorical:
        if len(levels[name]) > 1:
            kept_categories.append(name)
        else:
            warnings.append(_constant_warning(name))
    kept_levels = {name: levels[name] for name in kept_categories}
    kinds = [_kind(name, profile, numbers[:, i]) for i, name in enumerate(numeric)]
    features = [Feature(numeric[i], kinds[i]) for i in keep] + [
        Feature(name, LEVEL, level) for name in kept_categories for level in levels[name]
    ]
    positions = [categorical.index(n) for n in kept_categories]
    raw = _raw_matrix(numbers[:, keep], texts[:, positions], medians[keep], kept_levels)
    scales = np.ones(len(features))  # category levels stay 0/1: one level apart is one unit
    scales[: len(keep)] = raw[:, : len(keep)].std(axis=0)
    inputs = SegmentInputs(
        tuple(numeric[i] for i in keep),
        tuple(kept_categories),
        tuple(features),
        medians[keep],
        raw.mean(axis=0),
        scales,
        kept_levels,
    )
    return inputs, (raw - inputs.means) / inputs.scales, order, warnings


def _raw_matrix(
    numbers: np.ndarray,
    texts: np.ndarray,
    medians: np.ndarray,
    levels: dict[str, tuple[str, ...]],
) -> np.ndarray:
    """Numbers with blanks filled, then one 0/1 column per category level."""
    parts = [np.where(np.isnan(numbers), medians, numbers)]
    for i, name in enumerate(levels):
        parts.append((texts[:, i : i + 1] == np.asarray(levels[name], dtype=object)).astype(float))
    return np.hstack(parts)


def _check_columns(
    frame: pd.DataFrame,
    profile: Profile,
    numeric: list[str],
    categorical: list[str],
) -> None:
    problems: list[Problem] = []
    roles = profile.roles
    left_out = get_non_measures(frame, [c for c in (*numeric, *categorical) if c in frame])
    for name in (*numeric, *categorical):
        if name not in frame.columns:
            problems.append(
                Problem(
                    f'There is no column "{name}"; the columns are: '
                    f"{', '.join(map(str, frame.columns[:20]))}.",
                    column=name,
                    fix="Check the spelling (it is case-sensitive).",
                    code="no_such_column",
                )
            )
        elif roles.get(name) in _NOT_ALLOWED:
            problems.append(
                Problem(
                    f"{name} is {_NOT_ALLOWED[roles[name]]}; segments never use ids, the churn "
                    "label, dates or ignored columns.",
                    column=name,
                    fix="Leave it out, or change its role on the Data page if it describes "
                    "customers.",
                    code="segment_column_not_allowed",
                )
            )
        elif name in left_out:
            problems.append(
                Problem(
                    f"{name} is {left_out[name].split(':')[0]}; segments group customers by "
                    "what they do and are worth, never by ids, codes or dates.",
                    column=name,
                    fix="Leave it out of the segments.",
                    code="segment_column_not_allowed",
                )
            )
        elif name in numeric and describe_kind(frame[name]) not in {"number", "yes/no"}:
            example = frame[name].dropna()
            shown = f' such as "{display_value(example.iloc[0])}"' if len(example) else ""
            problems.append(
                Problem(
                    f"{name} must hold numbers to be a number column; it holds "
                    f"{describe_kind(frame[name])}{shown}.",
                    column=name,
                    fix="Use it as a category instead, or fix its values in the file.",
                    code="segment_column_not_number",
                )
            )
    if not numeric and not get_segment_columns(profile, frame)[0]:
        problems.append(
            Problem(
                "This data has no number columns that describe customers (ids, the label, dates, "
                "personal data and columns that are the same for everyone are left out); "
                "segments are found from numbers such as tenure, charges or usage.",
                fix="Add such columns to the file, or set a column's role to Number feature on "
                "the Data page.",
                code="no_segment_numbers",
            )
        )
    elif not numeric:
        problems.append(
            Problem(
                "No number columns were chosen; segments are found from numbers such as tenure, "
                "charges or usage.",
                fix="Choose at least one number column"
                + (" (categories alone cannot be averaged)." if categorical else "."),
                code="no_segment_numbers",
            )
        )
    if problems:
        raise ChurnDataError(problems)


def _numbers(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    out = np.empty((len(frame), len(columns)))
    for i, name in enumerate(columns):
        out[:, i] = pd.to_numeric(frame[name], errors="coerce").astype("float64").to_numpy()
    out[~np.isfinite(out)] = np.nan
    return out


def _texts(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    out = np.empty((len(frame), len(columns)), dtype=object)
    for i, name in enumerate(columns):
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        shown = np.array([display_value(v) for v in uniques] + [BLANK], dtype=object)
        out[:, i] = shown[codes]
    return out


def _canonical_order(numbers: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """Row positions sorted by value (blanks last): the same for the same rows in any order."""
    keys = [
        np.where(np.isnan(numbers[:, i]), np.inf, numbers[:, i]) for i in range(numbers.shape[1])
    ]
    keys += [np.isnan(numbers[:, i]) for i in range(numbers.shape[1])]
    keys += [
        np.unique(texts[:, i].astype(str), return_inverse=True)[1] for i in range(texts.shape[1])
    ]
    if not keys:
        return np.arange(len(numbers))
    return np.lexsort(keys[::-1])


def _fill_blanks(
    frame: pd.DataFrame,
    columns: list[str],
    numbers: np.ndarray,
    blanks: np.ndarray,
    warnings: list[DataWarning],
) -> np.ndarray:
    """Medians of each column (NaN when all blank); warns for each column with blanks."""
    medians = np.full(len(columns), np.nan)
    positions = file_row_numbers(frame)
    for i, name in enumerate(columns):
        blank = blanks[:, i]
        if blank.all():
            continue
        medians[i] = float(np.nanmedian(numbers[:, i]))
        if blank.any():
            rows = example_rows(np.flatnonzero(blank), numbers=positions)
            n = int(blank.sum())
            warnings.append(
                DataWarning(
                    f"{name} is blank for {plural(n, 'customer')} ({format_rows(rows)}"
                    f"{', ...' if n > len(rows) else ''}); "
                    f"{verb(n, 'it was', 'they were')} given the middle value "
                    f"({_number(medians[i])}) so every customer gets a segment.",
                    column=name,
                    rows=rows,
                    fix=f"Fill in {name} in the source file, or leave it out of the segments.",
                    code="segment_blanks_filled",
                )
            )
    return medians


def _number(value: float) -> str:
    """``3.0`` -> ``"3"``, ``9.5`` -> ``"9.5"``, ``1234.567`` -> ``"1,234.57"``."""
    text = format_number(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _varies(name: str, values: np.ndarray, warnings: list[DataWarning]) -> bool:
    present = values[~np.isnan(values)]
    if len(present) and np.ptp(present) > 0:
        return True
    warnings.append(_constant_warning(name))
    return False


def _constant_warning(name: str) -> DataWarning:
    return DataWarning(
        f"{name} is the same for every customer, so it cannot tell groups apart; it was "
        "left out of the segments.",
        column=name,
        fix="Nothing to do, or choose other columns.",
        code="segment_column_constant",
    )


def _kind(name: str, profile: Profile, values: np.ndarray) -> str:
    """How a name reads this column: tenure, a count, a yes/no flag, or an amount."""
    if profile.roles.get(name) is Role.TENURE:
        return TENURE
    present = values[~np.isnan(values)]
    if set(np.unique(present)) <= {0.0, 1.0}:
        return FLAG
    if profile.roles.get(name) is Role.REVENUE:
        return AMOUNT
    words = name_words(name)
    whole = bool(np.all(np.mod(present, 1) == 0)) and bool((present >= 0).all())
    counted = bool(set(words) & COUNT_WORDS) or any(w.endswith("s") and len(w) > 3 for w in words)
    return COUNT if whole and counted else AMOUNT
