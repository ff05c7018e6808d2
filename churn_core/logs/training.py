"""Train a churn model on a log, leak-free by construction and tested later in time.

At each cutoff of the churn definition, the customers still active are rolled up from the rows
before the cutoff (the features) and labelled from the window after it (churned or not). The
training cutoffs' customers are stacked; the held-out cutoff's customers, whose window comes
after every training window, are the test: the card's figures are a model judged on a later
period it never saw, as it will be used. Training itself is ``churn_core.model``'s, unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError, Problem
from churn_core.logs.activity import Activity
from churn_core.logs.benchmark import add_benchmarks, count_flagged, get_btyd_benchmarks
from churn_core.logs.churn_definition import ChurnDefinition, define_churn, label_customers
from churn_core.logs.rollup import choose_event_types, roll_up
from churn_core.model import ChurnModel, Progress, fit_churn_model
from churn_core.schema import Profile, Role, profile_table

YES, NO = "Yes", "No"
#: A log model values customers by their BTYD CLV when it scores (``card["log"]["value"]``).
BTYD_VALUE = "btyd_clv"


@dataclass
class TrainingTable:
    """Stacked roll-ups with their label, ready for ``fit_churn_model``.

    Attributes
    ----------
    frame : pd.DataFrame
        One row per customer and cutoff: the features, ``Cutoff`` and ``Churned`` (Yes/No).
        The customer id is kept apart (``ids``): a customer may be on several rows.
    profile : Profile
        The frame's roles: ``Churned`` is the label, days since first activity the tenure,
        average monthly spend the revenue; the dates are not features.
    held_out : np.ndarray
        True for the rows of the held-out (latest) cutoff.
    ids : np.ndarray
        The customer of each row.
    event_types : tuple of str
        The event types counted into columns.
    """

    frame: pd.DataFrame
    profile: Profile
    held_out: np.ndarray
    ids: np.ndarray
    event_types: tuple[str, ...]


def get_customer_roles(
    frame: pd.DataFrame, label: str | None = None, id_column: str | None = None
) -> dict[str, Role]:
    """Every column of a roll-up with its role, so nothing about it is guessed: numbers are
    number features (a column that is 0 for everyone too), the latest plan and customer details
    are categories, days since first activity the tenure, monthly spend the revenue, the dates
    and the cutoff are not features."""
    fixed: dict[str, Role] = {
        col.FIRST_ACTIVITY: Role.SIGNUP_DATE,
        col.LAST_ACTIVITY: Role.IGNORED,
        col.CUTOFF: Role.IGNORED,
        col.DAYS_SINCE_FIRST_ACTIVITY: Role.TENURE,
        col.AVERAGE_MONTHLY_SPEND: Role.REVENUE,
    }
    roles: dict[str, Role] = {}
    for name in frame.columns:
        if name == label:
            roles[name] = Role.LABEL
        elif name == id_column:
            roles[name] = Role.ID
        elif name in fixed:
            roles[name] = fixed[name]
        elif pd.api.types.is_numeric_dtype(frame[name]):
            roles[name] = Role.NUMERIC
        else:
            roles[name] = Role.CATEGORICAL
    return roles


def get_training_table(
    activity: Activity, definition: ChurnDefinition, event_types: Sequence[str] | None = None
) -> TrainingTable:
    """Each cutoff's active customers rolled up and labelled, stacked oldest first.

    Raises
    ------
    ChurnDataError
        ``no_active_customers`` when a cutoff has nobody active to learn from or test on.
    """
    types = (
        choose_event_types(activity, definition.triggers)
        if event_types is None
        else tuple(event_types)
    )
    parts, ids, held_out = [], [], []
    for cutoff in definition.cutoffs:
        rolled = roll_up(activity, cutoff, event_types=types)
        active, churned = label_customers(
            activity, cutoff, definition.window_days, definition.triggers
        )
        if not active.any():
            raise ChurnDataError(
                [
                    Problem(
                        f"No customer was active in the {definition.window_days} days before "
                        f"{cutoff:%-d %B %Y}, so there is no one to learn from there.",
                        fix="Choose a longer churn window.",
                        code="no_active_customers",
                    )
                ]
            )
        part = rolled[active].copy()
        ids.append(part.pop(activity.customer_column).to_numpy())
        part.insert(0, col.CUTOFF, pd.Timestamp(cutoff))
        part[col.CHURNED_IN_WINDOW] = np.where(churned[active], YES, NO)
        parts.append(part)
        held_out.append(np.full(len(part), cutoff == definition.held_out_cutoff))
    frame = pd.concat(parts, ignore_index=True)
    roles = get_customer_roles(frame, col.CHURNED_IN_WINDOW)
    profile = profile_table(frame, roles=roles, churned_value=YES, shape="customers")
    return TrainingTable(frame, profile, np.concatenate(held_out), np.concatenate(ids), types)


def get_labelled_customers(
    activity: Activity, definition: ChurnDefinition, event_types: Sequence[str] | None = None
) -> TrainingTable:
    """The customers active at the definition's latest (held-out) cutoff, rolled up and
    labelled: one row each, what Explore shows churn rates by column on."""
    latest = replace(definition, cutoffs=(definition.held_out_cutoff,))
    return get_training_table(activity, latest, event_types)


def fit_log_model(
    activity: Activity,
    definition: ChurnDefinition | None = None,
    *,
    seed: int = 42,
    progress: Progress | None = None,
) -> ChurnModel:
    """Train and test a churn model on a log (see the module docstring).

    Parameters
    ----------
    activity : Activity
        The prepared log.
    definition : ChurnDefinition, optional
        Window, cutoffs and triggers; by default :func:`define_churn`'s (the window from the
        log's own rhythm).

    Returns
    -------
    ChurnModel
        Its card holds ``churn_definition`` (fields and words), ``log``: the roles, shape
        and event types needed to roll up a new log the same way when scoring, and
        ``benchmarks``: BG/NBD's 1 - P(alive) and chance of no activity in the window on
        the same held-out customers (:mod:`churn_core.logs.benchmark`).
    """
    definition = definition or define_churn(activity)
    table = get_training_table(activity, definition)
    model = fit_churn_model(
        table.frame, table.profile, seed=seed, progress=progress, held_out=table.held_out
    )
    model.card["id_column"] = activity.customer_column
    model.card["churn_definition"] = definition.to_dict()
    model.card["log"] = get_log_card(activity, table)
    model.card["data"]["held_out"] = (
        f"customers active on {definition.held_out_cutoff:%-d %B %Y} (the latest cutoff), "
        "judged on the window after it, later than anything seen in training"
    )
    held_out = table.held_out
    churned = table.frame[col.CHURNED_IN_WINDOW].to_numpy()[held_out] == YES
    benchmarks = get_btyd_benchmarks(
        activity,
        definition.held_out_cutoff,
        definition.window_days,
        table.ids[held_out],
        churned,
        count_flagged(model),
    )
    add_benchmarks(model, benchmarks)
    return model


def get_log_card(activity: Activity, table: TrainingTable) -> dict[str, Any]:
    """What scoring needs to roll up a new log as the model learned it, and what it learned from."""
    return {
        "shape": activity.shape,
        "roles": activity.roles.to_dict(),
        "event_types": list(table.event_types),
        "customers": len(np.unique(table.ids)),
        "rows": activity.rows,
        "first": activity.first_date.isoformat(),
        "last": activity.last_date.isoformat(),
        "training_rows": int((~table.held_out).sum()),
        "held_out_rows": int(table.held_out.sum()),
        # customer_value when this model scores a log: BTYD CLV (churn_core.logs.scoring)
        "value": BTYD_VALUE,
    }
