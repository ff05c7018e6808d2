"""Widgets for choosing who to flag (returns a churn_core Policy), and what that choice is worth
in money: customers kept, the offers' cost, the value kept and the net."""

from __future__ import annotations

import streamlit as st

from churn_core import columns as col
from churn_core.errors import plural
from churn_core.model import (
    BEST_F1,
    CAPACITY,
    PROFIT,
    ChurnModel,
    Policy,
    describe_value,
    get_policy_value,
)
from churn_core.risk import AtRiskList

_CHOICES = {
    BEST_F1: "Best balance",
    CAPACITY: "We can contact a fixed number",
    PROFIT: "Only where an offer pays",
}
#: What an offer is worth until the user says otherwise.
DEFAULT_SAVED_VALUE, DEFAULT_OFFER_COST, DEFAULT_SUCCESS_RATE = 500.0, 20.0, 0.3


def policy_controls(model: ChurnModel, customers: int) -> Policy:
    kind = st.radio(
        "Who should be flagged?",
        list(_CHOICES),
        format_func=_CHOICES.get,
        horizontal=True,
        key="policy_kind",
        help="Best balance: the cut-off that best trades catching leavers against bothering "
        "stayers. Fixed number: the top of the list. Offer pays: probability x success rate x "
        "customer value is more than the offer's cost.",
    )
    if kind == CAPACITY:
        capacity = st.number_input(
            "How many customers can your team contact?",
            min_value=1,
            max_value=max(customers, 1),
            value=min(100, customers),
            step=50,
            key="capacity",
        )
        return Policy(CAPACITY, capacity=int(capacity))
    if kind == PROFIT:
        saved, cost, rate = offer_inputs(model)
        return Policy(PROFIT, saved_value=saved, offer_cost=cost, success_rate=rate)
    return Policy(BEST_F1)


def offer_inputs(model: ChurnModel) -> tuple[float, float, float]:
    """The value of a saved customer (when their own is unknown), an offer's cost and its
    success rate: ``(saved_value, offer_cost, success_rate)``."""
    a, b, c = st.columns(3)
    has_value = model.revenue_column is not None
    saved = a.number_input(
        "Value of a saved customer",
        min_value=0.0,
        value=DEFAULT_SAVED_VALUE,
        step=50.0,
        key="saved_value",
        help=f"Used for customers whose own value is unknown. Here each customer's value is "
        f"{describe_value(model.card)}."
        if has_value
        else "What keeping one customer is worth to you.",
    )
    cost = b.number_input(
        "Cost of an offer",
        min_value=0.0,
        value=DEFAULT_OFFER_COST,
        step=5.0,
        key="offer_cost",
        help="What one retention offer costs (discount, gift, a call's time).",
    )
    rate = c.slider(
        "Offer success rate",
        0.0,
        1.0,
        DEFAULT_SUCCESS_RATE,
        0.05,
        key="success_rate",
        help="Share of would-be leavers an offer keeps.",
    )
    return float(saved), float(cost), float(rate)


def show_policy_value(
    model: ChurnModel, at_risk: AtRiskList, policy: Policy, currency: str = ""
) -> None:
    """What an offer to the flagged customers is worth: four figures and a sentence. Under
    "Only where an offer pays" from its own inputs; otherwise the inputs sit in an expander."""
    if policy.kind == PROFIT:
        saved, cost, rate = policy.saved_value, policy.offer_cost, policy.success_rate
        box = st.container(border=True)
    else:
        box = st.expander(
            f"What would an offer to these {at_risk.flagging.count:,} customers be worth?",
            icon=":material/payments:",
        )
        with box:
            saved, cost, rate = offer_inputs(model)
    frame = at_risk.frame
    value = get_policy_value(
        frame[col.CHURN_PROBABILITY].to_numpy(float),
        at_risk.flagging.flagged,
        values=frame[col.CUSTOMER_VALUE].to_numpy(float),
        saved_value=saved,
        offer_cost=cost,
        success_rate=rate,
        currency=currency or None,
    )
    with box:
        kept, spent, worth, net = st.columns(4)
        kept.metric(
            "Customers kept",
            f"{value.expected_saved:,.1f}" if value.expected_saved < 10 else
            f"{value.expected_saved:,.0f}",
            help="Expected: each flagged customer's churn probability x the success rate, "
            "added up.",
        )  # fmt: skip
        spent.metric("Cost of the offers", value.money(value.offer_cost))
        worth.metric(
            "Value kept",
            value.money(value.value_saved),
            help="Each flagged customer's probability x success rate x their value, added up.",
        )
        net.metric("Net", value.money(value.net_value), help="Value kept minus the offers' cost.")
        st.markdown(value.describe())


def show_flagged(model: ChurnModel, at_risk: AtRiskList, policy: Policy, currency: str) -> None:
    """Who the policy flags, how many of them are expected to leave, what an offer to them is
    worth, and who is not in the list."""
    flagging = at_risk.flagging
    st.markdown(
        f"**{policy.describe(model.threshold).capitalize()}**: {flagging.count:,} "
        f"customers flagged. This list of {flagging.count:,} holds about "
        f"**{flagging.expected_churners:,.0f} expected churners** (the sum of their "
        "calibrated probabilities)."
    )
    show_policy_value(model, at_risk, policy, currency)
    if at_risk.left_out:
        st.caption(
            f"{at_risk.describe_left_out()} The list ranks the other "
            f"{plural(len(at_risk.frame), 'customer')}: there is no one left to keep among "
            "those who left."
        )
