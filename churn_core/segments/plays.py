"""A suggested retention play for each segment, from a small table of rules the user can edit.

Each rule says, for churn rate, monthly revenue and tenure, whether the segment must be
``High`` (at least :data:`MARGIN` above the average customer), ``Low`` (at least that much
below) or ``Any``, and the play to suggest. The first rule that fits a segment wins, so
put the specific rules first and a catch-all last. Without a churn label, the average
predicted risk stands in for the churn rate when the caller has it.
"""

from __future__ import annotations

import numbers

import pandas as pd

from churn_core.columns import CHURN_RATE, MONTHLY_REVENUE, PREDICTED_RISK, TENURE

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
    (HIGH, HIGH, ANY, "Personal call from an account manager: review their plan and offer a "
     "loyalty discount or a longer contract at a better price."),
    (HIGH, ANY, LOW, "Early-life save: a personal check-in to fix open issues and show the "
     "features they have not used yet."),
    (HIGH, ANY, ANY, "Save campaign: a targeted email or SMS offer (a discount for a longer "
     "contract) before they decide to leave."),
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
