"""Which value of a two-valued column means "this customer left".

Churn labels come in every spelling: Yes/No, 1/0, True/False, "Attrited Customer"/"Existing
Customer", Churned/Active, Closed/Open. A column named for staying (``IsActive``, ``Retained``)
means the opposite. When the words do not tell, the rarer value is taken as churn and the
mapping is marked as a guess so the app can ask the user to confirm it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

CHURN_WORDS = frozenset(
    [
        "yes",
        "y",
        "true",
        "t",
        "1",
        "churn",
        "churned",
        "churner",
        "exited",
        "exit",
        "left",
        "leaver",
        "attrited",
        "attrition",
        "cancelled",
        "canceled",
        "cancel",
        "closed",
        "lost",
        "inactive",
        "former",
        "gone",
        "lapsed",
        "terminated",
        "departed",
        "quit",
        "discontinued",
        "lapsed",
    ]
)
STAY_WORDS = frozenset(
    [
        "no",
        "n",
        "false",
        "f",
        "0",
        "stayed",
        "stay",
        "active",
        "existing",
        "retained",
        "current",
        "open",
        "renewed",
        "loyal",
        "continuing",
        "remained",
    ]
)
_NEGATIONS = frozenset({"not", "no", "non"})
#: Column-name words that mean the column says the customer is still here.
STAY_NAME_WORDS = frozenset({"active", "retained", "existing", "current", "stayed", "renewed"})


@dataclass(frozen=True)
class LabelMapping:
    """How the label column's two values map to churned / stayed.

    ``churned_value`` and ``stayed_value`` are the values as the file spells them (as text).
    ``guessed`` is True when neither words nor numbers told which is which.
    """

    churned_value: str
    stayed_value: str
    guessed: bool = False

    def describe(self, column: str) -> str:
        return f'{column} = "{self.churned_value}" means the customer left'


def value_key(value: Any) -> str:
    """Normalise one label value for comparison: ``1.0`` -> ``"1"``, ``" Yes "`` -> ``"yes"``."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | float | np.integer | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip().lower()


def display_value(value: Any) -> str:
    """A label value as the user would write it: ``1.0`` -> ``"1"``, ``"Yes"`` stays."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | float | np.integer | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def word_vote(key: str) -> int:
    """+1 if the value reads as churned, -1 as stayed, 0 if it does not say."""
    words = re.findall(r"[a-z0-9]+", key)
    if key in CHURN_WORDS:
        return 1
    if key in STAY_WORDS:
        return -1
    vote = 0
    for i, word in enumerate(words):
        negated = i > 0 and words[i - 1] in _NEGATIONS
        if word in CHURN_WORDS and len(word) > 1:
            vote += -1 if negated else 1
        elif word in STAY_WORDS and len(word) > 1 and word not in _NEGATIONS:
            vote += 1 if negated else -1
    return int(np.sign(vote))


def label_counts(series: pd.Series) -> pd.Series:
    """Rows per value as the user writes it (``1`` and ``1.0`` count together), most first."""
    counts = series.value_counts(dropna=True)  # most common first
    spelled: dict[str, str] = {}  # key -> its most common spelling ("yes" and "Yes" are one)
    for value in counts.index:
        spelled.setdefault(value_key(value), display_value(value))
    counts.index = [spelled[value_key(v)] for v in counts.index]
    return counts.groupby(level=0, sort=False).sum().sort_values(ascending=False, kind="stable")


def infer_label_mapping(series: pd.Series, column: str) -> LabelMapping | None:
    """Map a two-valued column to churned/stayed; None unless it has exactly two values."""
    counts = label_counts(series)
    if len(counts) != 2:
        return None
    a, b = counts.index[0], counts.index[1]  # a is the more common value
    vote_a, vote_b = word_vote(value_key(a)), word_vote(value_key(b))
    stay_named = bool(set(name_words(column)) & STAY_NAME_WORDS)
    if vote_a != vote_b and (vote_a or vote_b):
        churned, stayed = (a, b) if vote_a > vote_b else (b, a)
        if (
            stay_named
            and {value_key(a), value_key(b)} <= CHURN_WORDS | STAY_WORDS
            and _is_yes_no(a, b)
        ):
            churned, stayed = stayed, churned  # "IsActive = Yes" means the customer stayed
        return LabelMapping(churned, stayed)
    return LabelMapping(churned_value=b, stayed_value=a, guessed=True)


def _is_yes_no(a: str, b: str) -> bool:
    pairs = [{"yes", "no"}, {"y", "n"}, {"1", "0"}, {"true", "false"}, {"t", "f"}]
    return {value_key(a), value_key(b)} in pairs


def churn_indicator(series: pd.Series, mapping: LabelMapping) -> pd.Series:
    """A nullable boolean Series: True churned, False stayed, NA for blank or other values.

    Spellings of one value match (``1``, ``1.0``, ``"1.0"``; ``True`` and ``1``)::

        >>> mapping = LabelMapping(churned_value="1", stayed_value="0")
        >>> churn_indicator(pd.Series([1.0, "0", True, "false", None, "Y"]), mapping).tolist()
        [True, False, True, False, <NA>, <NA>]
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    keys = np.array([_comparable(v) for v in uniques] + [""], dtype=object)[codes]
    values = np.full(len(series), pd.NA, dtype=object)
    values[keys == _comparable(mapping.churned_value)] = True
    values[keys == _comparable(mapping.stayed_value)] = False
    return pd.Series(values, index=series.index, dtype="boolean")


def _comparable(value: Any) -> str:
    """``value_key``, with number text as numbers and True/False as 1/0."""
    key = value_key(value)
    try:
        number = float(key)
    except ValueError:
        return {"true": "1", "false": "0"}.get(key, key)
    return str(int(number)) if number.is_integer() else key


def name_words(name: str) -> list[str]:
    """Split a column name into lowercase words: ``"CustomerId"`` -> ``["customer", "id"]``.

    >>> name_words("SupportTickets90d")
    ['support', 'tickets', '90', 'd']
    """
    spaced = re.sub(
        r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])",
        " ",
        name,
    )
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]
