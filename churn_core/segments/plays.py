"""A suggested retention play for each segment: from what sets the segment apart, or from a
small table of rules the user can edit.

**From its traits** (the default, :func:`get_trait_plays`): the segment's differences from the
average customer, strongest first, are read as levers (see :mod:`churn_core.schema.levers`):
few transactions is an engagement play, few products a cross-sell, many support calls a service
recovery, mostly month-to-month a commitment offer, mostly new an onboarding journey. A segment
that leaves less than average gets a play that protects what works.

**From the rules table** (when the user edits it): each rule says, for churn rate, monthly
revenue and tenure, whether the segment must be ``High`` (at least :data:`MARGIN` above the
average customer), ``Low`` (at least that much below) or ``Any``, and the play to suggest.
The first rule that fits a segment wins, so put the specific rules first and a catch-all
last. Without a churn label, the average predicted risk stands in for the churn rate when the
caller has it.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from churn_core.columns import CHURN_RATE, MONTHLY_REVENUE, PREDICTED_RISK, TENURE
from churn_core.schema.levers import (
    ADD,
    DOWN,
    ENGAGEMENT,
    LONGER,
    PAYMENT,
    PLAN,
    PRICE,
    PRODUCT,
    SERVICE,
    TENURE_STAGE,
    UP,
    commitment,
    guess_lever,
    is_no,
)
from churn_core.segments.inputs import LEVEL, Feature
from churn_core.segments.inputs import TENURE as TENURE_KIND
from churn_core.segments.names import describe_trait

HIGH, LOW, ANY = "High", "Low", "Any"
CONDITIONS: tuple[str, ...] = (ANY, HIGH, LOW)
#: How far (relative to the average customer) a segment must be to count as High or Low.
MARGIN = 0.15

#: Rule column -> the summary columns it compares, first available wins.
RULE_MEASURES: dict[str, tuple[str, ...]] = {
    "Churn rate": (CHURN_RATE, PREDICTED_RISK),
    "Monthly revenue": (MONTHLY_REVENUE,),
    "Tenure": (TENURE,),
}
PLAY_COLUMN = "Play"
NO_PLAY = "No rule fits: add one to the plays table."

_RULES = [
    (HIGH, HIGH, ANY, "Personal call from an account manager: review what they pay and use, "
     "and ask what would keep them."),
    (HIGH, ANY, LOW, "Early-life save: a personal check-in to fix open issues and show the "
     "features they have not used yet."),
    (HIGH, ANY, ANY, "Save campaign: a targeted email or SMS offer matched to what they use, "
     "before they decide to leave."),
    (LOW, HIGH, ANY, "Reward and protect: VIP perks, early access and a thank-you; ask for "
     "referrals."),
    (ANY, ANY, LOW, "Welcome journey: onboarding emails, how-to guides and a check-in after "
     "the first bill."),
    (ANY, ANY, HIGH, "Thank loyal customers: an anniversary perk, and ask for a review."),
    (ANY, LOW, ANY, "Grow: suggest an upgrade or add-on that fits how they use the service."),
    (ANY, ANY, ANY, "Keep in touch: a regular newsletter and a yearly satisfaction check-in."),
]  # fmt: skip


def get_default_plays() -> pd.DataFrame:
    """The starting rules: one row per rule, columns Churn rate, Monthly revenue, Tenure, Play."""
    return pd.DataFrame(_RULES, columns=[*RULE_MEASURES, PLAY_COLUMN])


def get_segment_plays(
    summary: pd.DataFrame, overall: pd.Series, rules: pd.DataFrame | None = None
) -> list[str]:
    """The first fitting rule's play for each segment (row of ``summary``).

    Parameters
    ----------
    summary : pd.DataFrame
        One row per segment with any of the columns in :data:`RULE_MEASURES`.
    overall : pd.Series
        The same measures for all customers together, to compare with.
    rules : pd.DataFrame, optional
        Edited rules; blank or unknown conditions count as ``Any``, rows without a play are
        skipped. :func:`get_default_plays` when omitted.

    >>> s = pd.DataFrame({"churn_rate": [0.5, 0.1], "monthly_revenue": [80.0, 20.0]})
    >>> get_segment_plays(s, pd.Series({"churn_rate": 0.3, "monthly_revenue": 50.0}))[0][:13]
    'Personal call'
    """
    table = get_default_plays() if rules is None else rules
    plays = []
    for _, segment in summary.iterrows():
        levels = {
            rule: _level(segment, overall, measures) for rule, measures in RULE_MEASURES.items()
        }
        plays.append(
            next((play for play, conditions in _rules(table) if _fits(conditions, levels)), NO_PLAY)
        )
    return plays


def _rules(table: pd.DataFrame) -> list[tuple[str, dict[str, str]]]:
    out = []
    for _, row in table.iterrows():
        play = row.get(PLAY_COLUMN)
        if not isinstance(play, str) or not play.strip():
            continue
        conditions = {}
        for rule in RULE_MEASURES:
            value = row.get(rule)
            conditions[rule] = value if value in CONDITIONS else ANY
        out.append((play.strip(), conditions))
    return out


def _level(segment: pd.Series, overall: pd.Series, measures: tuple[str, ...]) -> str | None:
    """HIGH, LOW, or None (about average, or not measured)."""
    for measure in measures:
        value, average = segment.get(measure), overall.get(measure)
        if value is None or average is None or _missing(value) or _missing(average):
            continue
        if value >= average * (1 + MARGIN) and value > average:
            return HIGH
        if value <= average * (1 - MARGIN) and value < average:
            return LOW
        return None
    return None


def _fits(conditions: dict[str, str], levels: dict[str, str | None]) -> bool:
    return all(want == ANY or levels[rule] == want for rule, want in conditions.items())


def _missing(value: object) -> bool:
    return not isinstance(value, numbers.Real) or bool(pd.isna(value))


#: How far from average (standard deviations) a trait must be to choose a play by it.
PLAY_Z = 0.3
#: (lever kind, "act" or "keep") -> play; {what} is the trait in words, {column} the column,
#: {level} the category value that sets the segment apart.
TRAIT_PLAYS: dict[tuple[str, str], str] = {
    (ENGAGEMENT, "act"): "Re-engagement campaign ({what}): usage tips, reminders and an offer "
    "tied to using what they have.",
    (PRODUCT, "act"): "Cross-sell ({what}): offer the next product that fits them, with a "
    "bundle price.",
    (SERVICE, "act"): "Service recovery ({what}): a proactive call from senior support to fix "
    "open issues before they decide.",
    (PRICE, "act"): "Value review ({what}): check each is on the best-value plan; loyalty "
    "pricing for the riskiest.",
    (PLAN, "act"): "Commitment offer (mostly {level} {column}): a discount to move to a longer "
    "{column}.",
    (PAYMENT, "act"): "Billing clean-up ({what}): help them fix failed payments and move to "
    "automatic payment.",
    (TENURE_STAGE, "act"): "Onboarding journey ({what}): a welcome call, how-to guides and a "
    "check after the first bills.",
    (ENGAGEMENT, "keep"): "Reward and protect ({what}): thank them, early access to what is "
    "new, and ask for referrals.",
    (PRODUCT, "keep"): "Reward and protect ({what}): loyalty perks for customers who hold "
    "much with you.",
    (TENURE_STAGE, "keep"): "Thank loyal customers ({what}): an anniversary perk, and review "
    "their plan before renewal.",
}
KEEP_IN_TOUCH = "Keep in touch: a regular newsletter and a yearly satisfaction check-in."


def get_trait_plays(
    zscores: np.ndarray, features: Sequence[Feature], summary: pd.DataFrame, overall: pd.Series
) -> list[str]:
    """Each segment's play from what sets it apart (see the module docstring).

    A segment that leaves at least :data:`MARGIN` less often than average gets a "keep" play
    from its strongest trait that has one; any other segment an "act" play from its strongest
    trait that needs acting on (few transactions, many support calls...). With neither, the
    rules table decides.
    """
    fallback = get_segment_plays(summary, overall)
    plays = []
    for i, row in enumerate(np.atleast_2d(zscores)):
        churn = _level(summary.iloc[i], overall, RULE_MEASURES["Churn rate"])
        wanted = "keep" if churn == LOW else "act"
        play = ""
        for z, feature in sorted(zip(row, features, strict=True), key=lambda p: -abs(p[0])):
            if abs(z) >= PLAY_Z and (play := _trait_play(feature, float(z), wanted)):
                break
        plays.append(play or (KEEP_IN_TOUCH if wanted == "keep" else fallback[i]))
    return plays


def _trait_play(feature: Feature, z: float, wanted: str) -> str:
    """The play this trait calls for, if it is a lever in the ``wanted`` state, else ""."""
    is_level = feature.kind == LEVEL
    if is_level and z <= 0:
        return ""  # "fewer on Month-to-month" says little
    lever = guess_lever(
        feature.column,
        [feature.level] if is_level and feature.level is not None else [],
        numeric=not is_level,
        tenure=feature.kind == TENURE_KIND,
    )
    if not lever.kind:
        return ""
    state = _state(lever.kind, lever.direction, feature, z)
    template = TRAIT_PLAYS.get((lever.kind, wanted)) if state == wanted else None
    if template is None:
        return ""
    what = describe_trait(feature, z)
    return template.format(what=what, column=feature.column, level=feature.level or "")


def _state(kind: str, direction: str, feature: Feature, z: float) -> str:
    """ "act" when the trait is on the side a business wants to move, "keep" on the good side."""
    if feature.kind == LEVEL:
        level = feature.level or ""
        if kind == PLAN:
            months = commitment(level)
            return "act" if months is not None and months <= 1 else "keep"
        if kind == PAYMENT:
            return "keep" if "automatic" in level.lower() else "act"
        return "act" if is_no(level) and direction in (ADD, LONGER) else ""
    if kind == TENURE_STAGE:
        return "act" if z < 0 else "keep"
    if direction == UP:
        return "act" if z < 0 else "keep"
    if direction == DOWN:
        return "act" if z > 0 else "keep"
    return ""
