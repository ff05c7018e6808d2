"""How one segment is shown: a card with its size, churn, revenue, predicted risk, CLV, play."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from churn_core.columns import CHURN_RATE, CLV, CUSTOMERS, MONTHLY_REVENUE, PREDICTED_RISK, SHARE
from churn_core.segments import KChoice, Segmentation, plots
from ui.feedback import escape_markdown
from ui.model_views import FOR_ANALYSTS


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


def show_left_out(left_out: dict[str, str]) -> None:
    """ "Left out: InvoiceNo (an id: ...)": columns that look like numbers but measure nothing."""
    if left_out:
        shown = "; ".join(f"**{escape_markdown(c)}** ({why})" for c, why in left_out.items())
        st.caption(f"Left out: {shown}.")


def show_k_choice_for_analysts(choice: KChoice, k: int, customers: int) -> None:
    """How the number of segments was chosen, with its numbers and the silhouette and elbow
    charts, behind "For analysts"."""
    with st.expander(FOR_ANALYSTS, icon=":material/analytics:"):
        st.markdown(escape_markdown(choice.reason) + ".")
        if choice.rows_used < customers:
            st.caption(
                f"Measured on a fixed sample of {choice.rows_used:,} of {customers:,} "
                "customers to stay fast; the segments use every customer."
            )
        left, right = st.columns(2)
        left.plotly_chart(plots.plot_silhouette(choice.scores, choice.k, k), width="stretch")
        right.plotly_chart(plots.plot_elbow(choice.scores, choice.k, k), width="stretch")


def show_segment_differences(found: Segmentation, customers: int) -> None:
    """Each segment's average of every column; the z-score heatmap and the map of customers
    (PCA) for analysts."""
    st.caption("The average of each column in each segment, next to everyone's.")
    st.dataframe(found.averages_.style.format(precision=2), width="stretch")
    with st.expander(FOR_ANALYSTS, icon=":material/analytics:"):
        st.caption(
            "Colours are z-scores: how many typical spreads (standard deviations) a segment's "
            "average sits above or below everyone's. 0 is average; beyond ±1 is a clear "
            "difference."
        )
        st.plotly_chart(
            plots.plot_segment_profile(found.zscores_, found.averages_), width="stretch"
        )
        st.plotly_chart(
            plots.plot_segment_map(found.map_, found.names_, found.map_axes_, customers),
            width="stretch",
        )
        st.caption(
            "The map squeezes every chosen column into the two directions along which "
            "customers differ most (PCA), so overlapping colours can still be apart in other "
            "columns."
        )
