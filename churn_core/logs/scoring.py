"""Score a log: every customer as of its last day, one row each, lapsed ones marked, not dropped.

The log is rolled up the way the model learned (its card keeps the log roles and the event
types it counted), each customer is scored and valued as ``churn_core.risk`` does for a customer
table, and the list is ranked. Customers already silent for longer than the churn window have
churned by the model's own definition: they stay in the list, after the others, with
``lapsed = Yes`` and the day of their last activity: a win-back list rather than a save list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError, Problem, plural, verb
from churn_core.logs.activity import Activity, prepare_activity
from churn_core.logs.customers import CustomerTable, get_customer_table
from churn_core.model import ChurnModel, Policy
from churn_core.risk import AtRiskList, rank_customers, score_customers, value_customers
from churn_core.schema import LogRoles
from churn_core.survival import ClvAssumptions


@dataclass
class ScoredLog:
    """The at-risk list of a log and the customer table it was scored from.

    ``at_risk.positions`` index ``customers.frame``, so reasons are added with
    ``churn_core.risk.add_reasons(scored.at_risk, scored.customers.frame, explainer)``.
    """

    at_risk: AtRiskList
    customers: CustomerTable

    @property
    def lapsed(self) -> int:
        return int(self.customers.lapsed.sum())

    def describe(self) -> str:
        """``"1,204 customers as of 30 June 2026; 310 lapsed customers (no activity for over 60
        days, or a trigger event) are listed last, to win back."``"""
        n, lapsed = len(self.at_risk.frame), self.lapsed
        return (
            f"{plural(n, 'customer')} as of {self.customers.as_of:%-d %B %Y}; "
            f"{plural(lapsed, 'lapsed customer')} (no activity for over "
            f"{self.customers.window_days} days) {verb(lapsed, 'is', 'are')} listed last, "
            "to win back."
        )


def is_log_model(model: ChurnModel) -> bool:
    """True for a model trained on a log (its card says how to roll one up)."""
    return "log" in model.card and "churn_definition" in model.card


def prepare_for_model(frame: pd.DataFrame, model: ChurnModel) -> Activity:
    """A new log prepared with the log roles the model learned from."""
    if not is_log_model(model):
        raise ChurnDataError(
            [
                Problem(
                    "This model was trained on a customer table, not on a log, so it cannot "
                    "score a log.",
                    fix="Train a model on a log first (python -m churn_core train LOG).",
                    code="not_a_log_model",
                )
            ]
        )
    return prepare_activity(frame, roles=LogRoles.from_dict(model.card["log"]["roles"]))


def score_log(
    activity: Activity,
    model: ChurnModel,
    *,
    as_of: date | None = None,
    policy: Policy | None = None,
    clv_assumptions: ClvAssumptions | None = None,
) -> ScoredLog:
    """Every customer of the log as of ``as_of`` (default: its last day), scored and ranked:
    customers still active first (by value at risk, then probability), then the lapsed."""
    definition = model.card["churn_definition"]
    customers = get_customer_table(
        activity,
        as_of=as_of,
        window_days=int(definition["window_days"]),
        triggers=list(definition.get("triggers", [])),
        event_types=list(model.card["log"]["event_types"]),
    )
    frame = customers.frame
    scores = score_customers(model, frame, id_column=activity.customer_column)
    values = value_customers(model, frame, clv_assumptions)
    ranked = rank_customers(model, scores, values, policy=policy, include_left=True)
    lapsed = customers.lapsed[ranked.positions]
    order = np.argsort(lapsed, kind="stable")  # active first, each part in its ranked order
    listed = ranked.frame.iloc[order].reset_index(drop=True)
    listed[col.RANK] = np.arange(1, len(listed) + 1)
    positions = ranked.positions[order]
    listed[col.LAPSED] = np.where(lapsed[order], "Yes", "No")
    listed[col.LAST_ACTIVE] = frame[col.LAST_ACTIVITY].to_numpy()[positions]
    flagging = replace(
        ranked.flagging,
        flagged=ranked.flagging.flagged[order],
        bands=ranked.flagging.bands[order],
    )
    at_risk = replace(ranked, frame=listed, flagging=flagging, positions=positions)
    return ScoredLog(at_risk, customers)
