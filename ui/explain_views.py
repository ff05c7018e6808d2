"""How explanations are shown: what drives risk overall, and why one customer is at risk."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from churn_core.explain import Explanation, get_importance_df
from churn_core.explain.plots import plot_beeswarm, plot_dependence, plot_importance, plot_waterfall
from ui.feedback import escape_markdown

POINTS_DEFINITION = (
    "Effects are in **percentage points** of churn probability, measured from a typical "
    "customer: *+12 pts* means the column raises this customer's probability by 12 points "
    "(say from 25 % to 37 %)."
)


def show_drivers(explanation: Explanation) -> None:
    """Global importance, the beeswarm, and one column's dependence chart."""
    st.markdown(
        f"What moves churn risk across {len(explanation):,} of your customers. " + POINTS_DEFINITION
    )
    left, right = st.columns(2)
    left.plotly_chart(plot_importance(explanation), width="stretch")
    right.plotly_chart(plot_beeswarm(explanation), width="stretch")
    right.caption(
        "Dot colour is the customer's value in that column: orange high, blue low, grey for a "
        "category (hover a dot to see it)."
    )
    column = st.selectbox(
        "How does this column move risk?",
        get_importance_df(explanation)["column"].tolist(),
        key="driver_column",
    )
    st.plotly_chart(plot_dependence(explanation, column), width="stretch")


def show_customer_why(explanation: Explanation, i: int = 0, *, action: str | None = None) -> None:
    """One customer's waterfall next to their reasons in words, and the suggested action."""
    left, right = st.columns([3, 2])
    left.plotly_chart(plot_waterfall(explanation, i), width="stretch")
    one = explanation.get_customer_df(i)
    raising = one[one["points"] >= 0.05].head(3)["reason"]
    lowering = one[one["points"] <= -0.05].head(3)["reason"]
    with right:
        st.markdown("**What raises their risk**")
        st.markdown(_bullets(raising, "Nothing: every column lowers their risk."))
        st.markdown("**What lowers it**")
        st.markdown(_bullets(lowering, "Nothing: every column raises their risk."))
        if action:
            st.info(f"**Suggested action:** {escape_markdown(action)}", icon=":material/call:")
        st.caption(
            f"{POINTS_DEFINITION} A typical customer's risk "
            f"({explanation.base_probability:.0%}) can sit below the average churn rate: a "
            "few very risky customers pull the average up."
        )


def _bullets(reasons: pd.Series, empty: str) -> str:
    lines = [f"- {escape_markdown(reason)}" for reason in reasons]
    return "\n".join(lines) if lines else empty
