"""Checks of the churn label column: which value means a customer left, and what about the
label would stop or weaken a churn model (no label, one value, more than two, blanks, too few
customers who left or stayed). ``churn_core.schema.labels`` reads the values; this module
judges them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from churn_core.errors import DataWarning, Problem, example_rows, file_row_numbers, plural
from churn_core.schema.labels import (
    LabelMapping,
    churn_indicator,
    display_value,
    infer_label_mapping,
    label_counts,
)

#: Fewest customers who left (and who stayed) to learn anything from.
MIN_CHURNERS = 10


def check_label(
    frame: pd.DataFrame,
    labels: list[str],
    churned_value: str | None,
    problems: list[Problem],
    warnings: list[DataWarning],
) -> LabelMapping | None:
    """Which value of the label column means a customer left (``churned_value`` if the user
    said), or None when there is no usable label; what is wrong goes to ``problems`` (no
    label, one value, more than two, no such value) and ``warnings`` (a guessed meaning,
    blanks, too few who left or stayed)."""
    if not labels:
        problems.append(
            Problem(
                "No churn label found: no column says whether each customer left, with two values "
                "such as Yes/No or 1/0 and a name like Churn, Exited or Cancelled.",
                fix='On the Data page, set the role of the column that says who left to "Churn '
                'label", or add such a column to the file.',
                code="no_label",
            )
        )
        return None
    if len(labels) > 1:
        return None  # reported with the other role choices (profile._check_user_roles)
    column = labels[0]
    series = frame[column]
    counts = label_counts(series)
    if counts.empty:
        problems.append(
            Problem(
                f"{column} is empty in every row: it says for no customer whether they left.",
                column=column,
                fix="Fill it in (who left, who stayed), or choose another label column. A file "
                "of customers to score needs no label: the model in use scores it as it is.",
                code="label_empty",
            )
        )
        return None
    if len(counts) == 1:
        problems.append(
            Problem(
                f'{column} has only one value ("{counts.index[0]}") in all '
                f"{plural(int(counts.iloc[0]), 'row')}"
                f"{' where it is filled in' if series.isna().any() else ''}; a churn model needs "
                "customers who left and customers who stayed.",
                column=column,
                fix="Export a file that includes both, or choose another label column.",
                code="label_one_class",
            )
        )
        return None
    if len(counts) != 2:
        rare = counts.index[-1]
        first = int(np.flatnonzero(series.map(display_value, na_action="ignore").eq(rare))[0])
        shown = ", ".join(f'"{v}"' for v in counts.index[:6])
        more = f" and {len(counts) - 6} more" if len(counts) > 6 else ""
        problems.append(
            Problem(
                f"{column} must have exactly two values (such as Yes/No or 1/0); found "
                f'{len(counts)}: {shown}{more} (e.g. "{rare}" on row {first + 2}).',
                column=column,
                rows=example_rows([first], numbers=file_row_numbers(frame)),
                fix="Recode it to two values (left / stayed), or choose another label column.",
                code="label_not_binary",
            )
        )
        return None
    mapping = infer_label_mapping(series, column)
    if mapping is None:  # cannot happen: two values were counted above
        return None
    values = (mapping.churned_value, mapping.stayed_value)
    if churned_value is not None and churned_value not in values:
        problems.append(
            Problem(
                f'{column} has no value "{churned_value}"; its values are "{values[0]}" and '
                f'"{values[1]}".',
                column=column,
                fix="Say which of those two means the customer left.",
                code="no_such_label_value",
            )
        )
        return None
    if churned_value is not None:
        other = values[1] if churned_value == values[0] else values[0]
        mapping = LabelMapping(churned_value, other, guessed=False)
    elif mapping.guessed:
        warnings.append(
            DataWarning(
                f'{column} has the values "{mapping.churned_value}" and "{mapping.stayed_value}"; '
                f'"{mapping.churned_value}", the rarer, is assumed to mean the customer left.',
                column=column,
                fix="Confirm or change which value means 'left' on the Data page.",
                code="label_guessed",
            )
        )
    _add_label_warnings(
        column, churn_indicator(series, mapping), series, warnings, file_row_numbers(frame)
    )
    return mapping


def _add_label_warnings(
    column: str,
    churned: pd.Series,
    series: pd.Series,
    warnings: list[DataWarning],
    numbers: Sequence[int] | None = None,
) -> None:
    blank = series.isna().to_numpy(bool)
    if blank.any():
        warnings.append(
            DataWarning(
                f"{column} is blank in {plural(int(blank.sum()), 'row')}; those customers are left "
                "out of churn rates and model training.",
                column=column,
                rows=example_rows(np.flatnonzero(blank), numbers=numbers),
                fix="Fill in whether those customers left, if known.",
                code="label_blank",
            )
        )
    n_churned = int(churned.sum())
    n_known = int(churned.notna().sum())
    if n_churned < MIN_CHURNERS or n_known - n_churned < MIN_CHURNERS:
        fewer = "left" if n_churned < MIN_CHURNERS else "stayed"
        count = n_churned if fewer == "left" else n_known - n_churned
        warnings.append(
            DataWarning(
                f"Only {plural(count, 'customer')} {fewer}; at least {MIN_CHURNERS} of each kind "
                "are needed to learn what drives churn, and a few hundred to learn it well.",
                column=column,
                fix="Use a longer period or more customers.",
                code="few_churners",
            )
        )
