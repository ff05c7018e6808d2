"""A log's customers as of a day: one row each, rolled up, lapsed or not, for every page.

Segments, Explore, Score a customer and Retention & CLV work on customer tables; a log gives
them one here: everything up to ``as_of`` (by default the log's last day, included) rolled up,
each customer marked ``Lapsed`` when their last activity is more than a churn window old, and
their lifetime (first activity to last for the lapsed, to ``as_of`` for the others).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.logs.activity import Activity, to_date, to_day
from churn_core.logs.churn_definition import get_lapsed, suggest_window
from churn_core.logs.rollup import roll_up
from churn_core.logs.training import NO, YES, get_customer_roles
from churn_core.schema import Profile, Role, profile_table, split_feature_columns


@dataclass
class CustomerTable:
    """One row per customer of a log as of a day, with the profiles the pages need.

    Attributes
    ----------
    frame : pd.DataFrame
        The roll-up (see :func:`churn_core.logs.roll_up`) plus ``Days as customer`` and
        ``Lapsed`` (Yes/No: silent for longer than the window, or a trigger event in it).
    profile : Profile
        For Segments, Explore and Score a customer: the log's customer column is the id, the
        roll-up's numbers and the latest plan are features; no label (a log has none: churn is
        defined by inactivity), so no "no label" problem either.
    retention_profile : Profile
        For Retention & CLV and the KPIs: ``Lapsed`` is the label (lapsed = churned),
        ``Days as customer`` the tenure, monthly spend the revenue.
    as_of : date
        The last day included.
    window_days : int
        Days without activity after which a customer is lapsed.
    """

    frame: pd.DataFrame
    profile: Profile
    retention_profile: Profile
    as_of: date
    window_days: int

    @property
    def lapsed(self) -> np.ndarray:
        return self.frame[col.LAPSED_LABEL].eq(YES).to_numpy(bool)

    @property
    def segment_columns(self) -> list[str]:
        """Recency, frequency, money and tenure (RFM): what segments of a log are built from;
        none is ever blank."""
        wanted = (
            col.DAYS_SINCE_LAST_ACTIVITY,
            col.ACTIVE_DAYS,
            col.SPEND_TOTAL if col.SPEND_TOTAL in self.frame.columns else col.EVENTS,
            col.DAYS_SINCE_FIRST_ACTIVITY,
        )
        return [c for c in wanted if c in self.frame.columns]

    def get_segment_profile(self) -> Profile:
        """The profile Segments groups these customers by: recency, frequency, money and
        tenure (:attr:`segment_columns`) and the monthly spend (the revenue segments are
        valued by) are its only number features, the other numbers left out; categories (the
        latest plan) stay, to add if wanted. ``Lapsed`` is the label, so a segment's churn rate
        is its share of lapsed customers."""
        roles = dict(self.profile.roles)
        numbers, _ = split_feature_columns(self.profile)
        kept = {*self.segment_columns, *self.profile.columns_with(Role.REVENUE)}
        roles.update({n: Role.IGNORED for n in numbers if n not in kept})
        roles[col.LAPSED_LABEL] = Role.LABEL  # a segment's churn rate: its share lapsed
        profile = profile_table(self.frame, roles=roles, churned_value=YES, shape="customers")
        # Lapsed is recency past the window by definition: no leak to warn about.
        profile.warnings = [w for w in profile.warnings if w.code != "leak_kept"]
        return profile


def get_customer_table(
    activity: Activity,
    *,
    as_of: date | None = None,
    window_days: int | None = None,
    triggers: Sequence[str] = (),
    event_types: Sequence[str] | None = None,
) -> CustomerTable:
    """Every customer active up to ``as_of`` (default: the log's last day), one row each.

    ``window_days`` and ``triggers`` say when a customer counts as lapsed (default: the
    suggested churn window, no triggers); ``event_types`` which event types get a column (a
    model's, to score).
    """
    as_of = as_of or activity.last_date
    window = window_days or suggest_window(activity)[0]
    cutoff = as_of + timedelta(days=1)
    frame = roll_up(activity, cutoff, event_types=event_types)
    since = frame[col.DAYS_SINCE_LAST_ACTIVITY].to_numpy()
    lapsed = get_lapsed(activity, cutoff, window, triggers)
    first = frame[col.DAYS_SINCE_FIRST_ACTIVITY].to_numpy()
    frame[col.LIFETIME_DAYS] = np.where(lapsed, first - since, first)
    frame[col.LAPSED_LABEL] = np.where(lapsed, YES, NO)
    base = get_customer_roles(frame, id_column=activity.customer_column)
    profile = profile_table(
        frame,
        roles={**base, col.LIFETIME_DAYS: Role.IGNORED, col.LAPSED_LABEL: Role.IGNORED},
        shape="customers",
    )
    profile.problems = [p for p in profile.problems if p.code != "no_label"]
    retention = profile_table(
        frame,
        roles={
            **base,
            col.DAYS_SINCE_FIRST_ACTIVITY: Role.NUMERIC,
            col.LIFETIME_DAYS: Role.TENURE,
            col.LAPSED_LABEL: Role.LABEL,
        },
        churned_value=YES,
        shape="customers",
    )
    return CustomerTable(frame, profile, retention, as_of, window)


def count_active(activity: Activity, as_of: date, days: int) -> int:
    """Customers with any activity in the ``days`` up to ``as_of`` (included)."""
    end = to_day(as_of)
    recent = (activity.day > end - days) & (activity.day <= end)
    return len(np.unique(activity.customer[recent]))


def describe_as_of(activity: Activity) -> str:
    """``"as of 30 June 1998 (the log's last day)"``."""
    return f"as of {to_date(activity.last_day):%-d %B %Y} (the log's last day)"
