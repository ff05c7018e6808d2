"""Widgets for choosing who to flag; returns a churn_core Policy."""

from __future__ import annotations

import streamlit as st

from churn_core.model import BEST_F1, CAPACITY, PROFIT, ChurnModel, Policy, describe_value

_CHOICES = {
    BEST_F1: "Best balance (F1)",
    CAPACITY: "We can contact a fixed number",
    PROFIT: "Only where an offer pays",
}


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
        a, b, c = st.columns(3)
        has_value = model.revenue_column is not None
        saved = a.number_input(
            "Value of a saved customer",
            min_value=0.0,
            value=500.0,
            step=50.0,
            disabled=has_value,
            key="saved_value",
            help=f"Used when a customer's own value is unknown. Here each customer's value is "
            f"{describe_value(model.card)}."
            if has_value
            else "What keeping one customer is worth to you.",
        )
        cost = b.number_input(
            "Cost of an offer", min_value=0.0, value=20.0, step=5.0, key="offer_cost"
        )
        rate = c.slider(
            "Offer success rate",
            0.0,
            1.0,
            0.3,
            0.05,
            key="success_rate",
            help="Share of would-be leavers an offer keeps.",
        )
        return Policy(PROFIT, saved_value=saved, offer_cost=cost, success_rate=rate)
    return Policy(BEST_F1)
