"""Churn defined by inactivity: no activity in the N days after a cutoff (or a trigger event).

A log has no churn column, so churn is defined from behaviour: a customer active before a
cutoff *churned* when they did nothing in the ``window_days`` after it, or did one of the
``triggers`` the user picked (e.g. ``Cancel``, ``Submit Downgrade``) in them. Customers already
silent for a whole window at the cutoff (or with a trigger event in the window before it) have
churned before it and are left out there.

The default window comes from the data's own rhythm: the smallest of 30/60/90/180/365 days
within which 4 of 5 returns happen (the gaps between a customer's active days), as long as the
log is long enough. Cutoffs step back one window at a time from the latest one whose window is
fully seen; the latest is held out to test the model, the earlier ones train it, so the model
never sees anything on or after the held-out cutoff's window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from churn_core.errors import ChurnDataError, Problem, join_words, plural
from churn_core.logs.activity import Activity, to_date, to_day

#: Windows the default is chosen from, in days.
WINDOW_CHOICES: tuple[int, ...] = (30, 60, 90, 180, 365)
#: Share of returns the default window must cover (the 80th percentile of gaps).
RETURN_SHARE = 0.8
#: Days of history the earliest training cutoff needs before it.
MIN_HISTORY_DAYS = 30
#: Training cutoffs at most (the newest ones), so a long log does not repeat customers endlessly.
MAX_TRAINING_CUTOFFS = 6


@dataclass(frozen=True)
class ChurnDefinition:
    """When a customer of a log counts as churned, and the cutoffs a model learns and is tested at.

    Attributes
    ----------
    window_days : int
        Days without activity after a cutoff that make a customer churned.
    cutoffs : tuple of date
        Training cutoffs, oldest first, then the held-out cutoff (the latest).
    triggers : tuple of str
        Event types that mean churned when they happen in the window, whatever else happens.
    reason : str
        Why this window, in words.
    """

    window_days: int
    cutoffs: tuple[date, ...]
    triggers: tuple[str, ...] = ()
    reason: str = ""

    @property
    def held_out_cutoff(self) -> date:
        return self.cutoffs[-1]

    @property
    def training_cutoffs(self) -> tuple[date, ...]:
        return self.cutoffs[:-1]

    def describe(self) -> str:
        """The definition and how the model is tested, in two sentences."""
        trigger = f", or do {join_words(list(self.triggers))} in them" if self.triggers else ""
        training = self.training_cutoffs
        when = (
            f"on {training[0]:%-d %B %Y}"
            if len(training) == 1
            else f"at {len(training)} cutoffs from {training[0]:%-d %B %Y} to "
            f"{training[-1]:%-d %B %Y}"
        )
        return (
            f"A customer has churned when they have no activity in the {self.window_days} days "
            f"after a cutoff{trigger}. The model learns from customers active {when}, and is "
            f"tested on those active on {self.held_out_cutoff:%-d %B %Y}, whose next "
            f"{self.window_days} days it never saw."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "window_days": self.window_days,
            "cutoffs": [d.isoformat() for d in self.cutoffs],
            "held_out_cutoff": self.held_out_cutoff.isoformat(),
            "triggers": list(self.triggers),
            "reason": self.reason,
            "description": self.describe(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChurnDefinition:
        return cls(
            int(data["window_days"]),
            tuple(date.fromisoformat(d) for d in data["cutoffs"]),
            tuple(data.get("triggers", ())),
            str(data.get("reason", "")),
        )


def get_return_gaps(activity: Activity) -> np.ndarray:
    """Days between each customer's consecutive active days, over the whole log."""
    who, day = activity.customer_days
    same = who[1:] == who[:-1]
    return (day[1:] - day[:-1])[same]


def needed_days(window: int) -> int:
    """Days a log must span to train and test with this window."""
    return MIN_HISTORY_DAYS + 2 * window


def suggest_window(activity: Activity) -> tuple[int, str]:
    """The default churn window from the log's own rhythm, and why, in words."""
    gaps = get_return_gaps(activity)
    fits = [w for w in WINDOW_CHOICES if needed_days(w) <= activity.span_days]
    if len(gaps) == 0:
        window = fits[-1] if fits else WINDOW_CHOICES[0]
        return window, (
            f"No customer came back on a second day, so the rhythm is unknown; {window} days "
            "is the longest window the log allows."
        )
    typical = float(np.quantile(gaps, RETURN_SHARE))
    ideal = next((w for w in WINDOW_CHOICES if w >= typical), WINDOW_CHOICES[-1])
    reason = (
        f"4 returns in 5 come within {typical:.0f} days of a customer's previous active day, "
        f"so {ideal} days without any activity is taken as churn."
    )
    if ideal in fits or not fits:
        return ideal, reason
    shorter = max(w for w in fits if w < ideal) if any(w < ideal for w in fits) else fits[0]
    return shorter, (
        f"4 returns in 5 come within {typical:.0f} days, which suggests {ideal} days; the log "
        f"spans {activity.span_days} days, too short for that ({needed_days(ideal)} needed), so "
        f"{shorter} days without any activity is taken as churn."
    )


def plan_cutoffs(activity: Activity, window: int) -> tuple[date, ...]:
    """Training cutoffs (oldest first) and the held-out one, one window apart.

    Raises
    ------
    ChurnDataError
        ``log_too_short`` when the log cannot give one training and one held-out cutoff.
    """
    held_out = activity.last_day + 1 - window  # its window ends on the log's last day
    cutoffs = [held_out]
    while len(cutoffs) <= MAX_TRAINING_CUTOFFS:
        earlier = cutoffs[-1] - window
        if earlier - activity.first_day < MIN_HISTORY_DAYS:
            break
        cutoffs.append(earlier)
    if len(cutoffs) < 2:
        raise ChurnDataError([too_short_problem(activity, window)])
    return tuple(to_date(d) for d in reversed(cutoffs))


def too_short_problem(activity: Activity, window: int) -> Problem:
    """The log spans less time than training and testing with this window need."""
    fits = [w for w in WINDOW_CHOICES if needed_days(w) <= activity.span_days]
    shorter = f" or choose a shorter window ({fits[-1]} days fits)" if fits else ""
    return Problem(
        f"The log covers {plural(activity.span_days, 'day')} ({activity.first_date:%-d %B %Y} "
        f"to {activity.last_date:%-d %B %Y}); a {window}-day churn window needs at least "
        f"{needed_days(window)}: {MIN_HISTORY_DAYS} days of history, {window} days to see who "
        f"churned after a training cutoff, and {window} more to test the model on later "
        "customers.",
        fix=f"Export a longer history{shorter}, then train again.",
        code="log_too_short",
    )


def define_churn(
    activity: Activity, window_days: int | None = None, triggers: Sequence[str] = ()
) -> ChurnDefinition:
    """The churn definition for this log: the given window (else the suggested one), its
    cutoffs, and the trigger events (which must be event types of the log)."""
    unknown = [t for t in triggers if t not in activity.event_names]
    if unknown:
        kinds = join_words([f'"{n}"' for n in activity.event_names[:12]]) or "none"
        raise ChurnDataError(
            [
                Problem(
                    f"{join_words([f'{t!r}' for t in unknown])} "
                    f"{'is not an event type' if len(unknown) == 1 else 'are not event types'} "
                    f"of this log; its event types are {kinds}.",
                    fix="Pick trigger events among those.",
                    code="unknown_trigger",
                )
            ]
        )
    if window_days is None:
        window_days, reason = suggest_window(activity)
    else:
        if window_days < 1:
            raise ValueError(f"window_days must be 1 or more; got {window_days} instead.")
        reason = "the window you chose"
    return ChurnDefinition(
        window_days, plan_cutoffs(activity, window_days), tuple(triggers), reason
    )


def label_customers(
    activity: Activity, cutoff: date, window_days: int, triggers: Sequence[str] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """For each customer with activity before ``cutoff`` (in roll-up order): still a customer
    at the cutoff (some activity in the window before it, and no trigger event there), and
    churned after it (nothing in the window after it, or a trigger event in it)."""
    cut = to_day(cutoff)
    n = activity.customers
    before = activity.day < cut
    seen = np.flatnonzero(np.bincount(activity.customer[before], minlength=n) > 0)
    recent = before & (activity.day >= cut - window_days)
    active = np.bincount(activity.customer[recent], minlength=n)[seen] > 0
    active &= ~_triggered(activity, recent, triggers)[seen]
    after = (activity.day >= cut) & (activity.day < cut + window_days)
    came_back = np.bincount(activity.customer[after], minlength=n)[seen] > 0
    churned = ~came_back | _triggered(activity, after, triggers)[seen]
    return active, churned


def _triggered(activity: Activity, rows: np.ndarray, triggers: Sequence[str]) -> np.ndarray:
    """Per customer: did one of ``rows`` hold a trigger event."""
    if not triggers or activity.event is None:
        return np.zeros(activity.customers, dtype=bool)
    codes = [activity.event_names.index(t) for t in triggers if t in activity.event_names]
    hit = rows & np.isin(activity.event, codes)
    return np.bincount(activity.customer[hit], minlength=activity.customers) > 0


def get_lapsed(
    activity: Activity, cutoff: date, window_days: int, triggers: Sequence[str] = ()
) -> np.ndarray:
    """For each customer with activity before ``cutoff`` (in roll-up order): churned already,
    by the definition (silent for the whole window before it, or a trigger event in it)."""
    active, _ = label_customers(activity, cutoff, window_days, triggers)
    return ~active
