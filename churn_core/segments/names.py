"""Short names for segments, from how each segment's centre differs from the average customer.

A segment's centre is, per column, how far its average sits from everyone's average, in
standard deviations (a *z-score*: 0 is average, +1 is one typical spread above). Columns at
least :data:`TRAIT_Z` away become words in the user's own column names, strongest first, at
most :data:`MAX_TRAITS` of them: "New, many support tickets 90d, low monthly charges".

How a column reads depends on what it holds (see :class:`~churn_core.segments.inputs.Feature`):

=========  ===========================  ===========================
kind       above average                below average
=========  ===========================  ===========================
tenure     long tenure                  new
count      many support tickets         few support tickets
flag       mostly senior citizen        rarely senior citizen
amount     high monthly charges         low monthly charges
level      mostly Month-to-month        (not used: "not X" says little)
           contract
=========  ===========================  ===========================

Names are made unique by adding the next strongest difference, then by numbering.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from churn_core.segments.inputs import COUNT, COUNT_WORDS, FLAG, LEVEL, TENURE, Feature

#: How far from average (in standard deviations) a column must be to name a segment by it.
TRAIT_Z = 0.5
MAX_TRAITS = 3
AVERAGE_NAME = "Close to average"
_UNITS = {"pct", "percent", "perc", "usd", "eur", "gbp"}
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+[A-Za-z]*")


def describe_column(name: str) -> str:
    """A column name as plain words: ``"SupportTickets90d"`` -> ``"support tickets 90d"``.

    Acronyms keep their capitals (``"MRR"``); separators and camel case become spaces.

    >>> describe_column("LoginsLast30d"), describe_column("Total_Trans_Amt")
    ('logins last 30d', 'total trans amt')
    >>> describe_column("ARPU_eur")
    'ARPU eur'
    """
    words = _WORD.findall(str(name))
    if not words:
        return str(name)
    return " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)


def describe_trait(feature: Feature, z: float) -> str:
    """One difference in words: ``(MonthlyCharges, +1.2)`` -> ``"high monthly charges"``."""
    words = describe_column(feature.column)
    above = z > 0
    if feature.kind == TENURE:
        return "long tenure" if above else "new"
    if feature.kind == LEVEL:
        return f"mostly {feature.level} {words}"
    if feature.kind == COUNT:
        kept = [w for w in words.split() if w.lower() not in COUNT_WORDS] or words.split()
        return f"{'many' if above else 'few'} {' '.join(kept)}"
    if feature.kind == FLAG:
        first, _, rest = words.partition(" ")
        if first == "is" and rest:
            return f"mostly {rest}" if above else f"mostly not {rest}"
        if first == "has" and rest:
            return f"with {rest}" if above else f"without {rest}"
        return f"{'mostly' if above else 'rarely'} {words}"
    kept = [w for w in words.split() if w.lower() not in _UNITS] or words.split()
    return f"{'high' if above else 'low'} {' '.join(kept)}"


def name_segments(zscores: np.ndarray, features: Sequence[Feature]) -> list[str]:
    """One unique short name per segment (row of ``zscores``), from its centre's z-scores.

    Parameters
    ----------
    zscores : np.ndarray
        Segments x features: each segment's average of the standardised features. Category
        levels hold the standardised share of customers at that level.
    features : sequence of Feature
        What each column of ``zscores`` is.

    Returns
    -------
    list of str
        Names such as ``"Long tenure, high monthly charges"``; ``"Close to average"`` for a
        segment with no clear difference.
    """
    ranked = [_ranked_traits(row, features) for row in np.atleast_2d(zscores)]
    counts = [min(MAX_TRAITS, sum(abs(z) >= TRAIT_Z for z, _ in traits)) for traits in ranked]
    names = [_name(traits, n) for traits, n in zip(ranked, counts, strict=True)]
    while True:
        repeated = {name for name, n in Counter(names).items() if n > 1}
        grow = [
            i for i, name in enumerate(names) if name in repeated and counts[i] < len(ranked[i])
        ]
        if not grow:
            break
        for i in grow:
            counts[i] += 1
            names[i] = _name(ranked[i], counts[i])
    totals, seen = Counter(names), Counter[str]()
    for i, name in enumerate(names):  # still the same after every difference: number them
        if totals[name] > 1:
            seen[name] += 1
            names[i] = f"{name} ({seen[name]})"
    return names


def _ranked_traits(row: np.ndarray, features: Sequence[Feature]) -> list[tuple[float, str]]:
    """Every usable difference, strongest first: one per column; levels only when common."""
    traits: dict[str, tuple[float, str]] = {}
    for z, feature in sorted(zip(row, features, strict=True), key=lambda p: -abs(p[0])):
        if feature.column in traits or (feature.kind == LEVEL and z <= 0):
            continue
        traits[feature.column] = (float(z), describe_trait(feature, float(z)))
    return list(traits.values())


def _name(traits: list[tuple[float, str]], n: int) -> str:
    if n == 0:
        return AVERAGE_NAME
    words = [
        phrase if abs(z) >= TRAIT_Z else f"slightly {_soften(phrase)}" for z, phrase in traits[:n]
    ]
    text = ", ".join(words)
    return text[0].upper() + text[1:]


def _soften(phrase: str) -> str:
    """``"high charges"`` -> ``"higher charges"`` after "slightly"."""
    for plain, softer in (
        ("high ", "higher "),
        ("low ", "lower "),
        ("many ", "more "),
        ("few ", "fewer "),
        ("long tenure", "longer tenure"),
        ("new", "newer"),
    ):
        if phrase.startswith(plain):
            return softer + phrase[len(plain) :]
    return phrase
