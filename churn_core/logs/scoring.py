"""Score a log: every customer as of its last day, one row each, lapsed ones marked, not dropped.

The log is rolled up the way the model learned (its card keeps the log roles and the event
types it counted), each customer is scored and valued as ``churn_core.risk`` does for a customer
table, and the list is ranked. Customers already silent for longer than the churn window have
churned by the model's own definition: they stay in the list, after the others, with
``lapsed = Yes`` and the day of their last activity: a win-back list rather than a save list.

A customer's value (``customer_value``) is their CLV from BG/NBD and Gamma-Gamma fitted on the
log up to the day scored (:mod:`churn_core.logs.purchases`), with the app's CLV assumptions;
a customer with no purchase yet is worth 0. A log without money, or one the BTYD models cannot
be fitted to, is valued as a customer table is (the model card's ``value``), and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.btyd import BtydForecast
from churn_core.errors import ChurnDataError, Problem, plural, verb
from churn_core.logs.activity import Activity, prepare_activity
from churn_core.logs.customers import CustomerTable, get_customer_table
from churn_core.logs.purchases import fit_activity_btyd
from churn_core.logs.training import BTYD_VALUE
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
    #: How ``customer_value`` was worked out, in words.
    value_note: str = ""

    @property
    def lapsed(self) -> int:
        return int(self.customers.lapsed.sum())

    @property
    def revenue_at_risk(self) -> float | None:
        """Churn probability x value summed over the customers not yet lapsed (None when no
        customer has a value)."""
        frame = self.at_risk.frame
        active = frame[col.LAPSED].ne("Yes")
        at_risk = frame.loc[active, col.EXPECTED_VALUE_AT_RISK]
        return None if at_risk.isna().all() else float(at_risk.sum())

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
    forecast: BtydForecast | None = None,
) -> ScoredLog:
    """Every customer of the log as of ``as_of`` (default: its last day), scored and ranked:
    customers still active first (by value at risk, then probability), then the lapsed.

    ``forecast``: the BTYD forecast of this log up to ``as_of`` with these assumptions, when
    the caller has it already (else fitted here).
    """
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
    values, value_note = value_log_customers(
        activity, model, customers, clv_assumptions, forecast=forecast
    )
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
    return ScoredLog(at_risk, customers, value_note)


def value_log_customers(
    activity: Activity,
    model: ChurnModel,
    customers: CustomerTable,
    assumptions: ClvAssumptions | None = None,
    *,
    forecast: BtydForecast | None = None,
) -> tuple[np.ndarray, str]:
    """Each customer's value (in the order of ``customers.frame``) and how it was worked out:
    their BTYD CLV up to ``customers.as_of`` (see the module docstring)."""
    fallback = value_customers(model, customers.frame, assumptions)
    if model.card.get("log", {}).get("value") != BTYD_VALUE:
        return fallback, "the model card's customer value"
    if activity.amount is None:
        return fallback, "unknown: the log has no money, so CLV cannot be worked out"
    if forecast is None:
        try:
            forecast = fit_activity_btyd(activity, assumptions, calibration_end=customers.as_of)
        except ChurnDataError as error:
            return fallback, (
                "CLV from each customer's average monthly spend and the retention curve, "
                f"because BG/NBD could not be fitted: {error.problems[0].message}"
            )
    elif forecast.purchases.calibration_end.date() != customers.as_of:
        raise ValueError(
            f"The forecast runs to {forecast.purchases.calibration_end.date()}, not to the day "
            f"scored ({customers.as_of}); fit it up to that day."
        )
    clv = pd.Series(
        forecast.customers[col.CLV].to_numpy(float),
        index=pd.Index(forecast.customers[forecast.id_column], dtype=object),
    )
    ids = pd.Index(customers.frame[activity.customer_column], dtype=object)
    values = np.nan_to_num(clv.reindex(ids).to_numpy(float), nan=0.0)  # no purchase yet: 0
    return values, (
        "each customer's CLV from BG/NBD and Gamma-Gamma (expected purchases x expected "
        f"spend), with {forecast.assumptions.describe()}"
    )
