"""How one segment is shown: a card with its size, churn, revenue, predicted risk, CLV, play."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from churn_core.columns import CHURN_RATE, CLV, CUSTOMERS, MONTHLY_REVENUE, PREDICTED_RISK, SHARE
from ui.feedback import escape_markdown


def segment_card(
    number: int, row: pd.Series, overall: pd.Series, revenue_column: str | None, play: str
) -> None:
    """Name, size, then churn rate and revenue (and predicted risk and CLV when a model scored
    this data), each against all customers, and the play."""
    st.markdown(f"**{number + 1}. {escape_markdown(row['segment'])}**")
    st.caption(f"{row[CUSTOMERS]:,} customers ({row[SHARE]:.0%} of all)")
    churn, money = st.columns(2)
    if _known(row, CHURN_RATE):
        churn.metric(
            "Churn rate",
            f"{row[CHURN_RATE]:.0%}",
            f"{(row[CHURN_RATE] - overall[CHURN_RATE]) * 100:+.0f} pts vs all",
            delta_color="inverse",
        )
    if _known(row, MONTHLY_REVENUE):
        money.metric(
            f"Avg {revenue_column}",
            f"{row[MONTHLY_REVENUE]:,.2f}",
            f"{row[MONTHLY_REVENUE] - overall[MONTHLY_REVENUE]:+,.2f} vs all",
        )
    risk, value = st.columns(2)
    if _known(row, PREDICTED_RISK):
        risk.metric(
            "Predicted risk",
            f"{row[PREDICTED_RISK]:.0%}",
            f"{(row[PREDICTED_RISK] - overall[PREDICTED_RISK]) * 100:+.0f} pts vs all",
            delta_color="inverse",
            help="The churn model's average probability for the segment's customers.",
        )
    if _known(row, CLV):
        value.metric(
            "Avg CLV",
            f"{row[CLV]:,.0f}",
            f"{row[CLV] - overall[CLV]:+,.0f} vs all",
            help="Average customer lifetime value (see the Retention & CLV page).",
        )
    st.markdown(f"**Play:** {escape_markdown(play)}")


def _known(row: pd.Series, name: str) -> bool:
    return name in row.index and pd.notna(row[name])
