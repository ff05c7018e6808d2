"""How explanations are shown: what drives risk overall, why one customer is at risk, and what a
what-if suggests (or why it suggests nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from churn_core.explain import Explanation, WhatIf, format_value, get_importance_df
from churn_core.explain.plots import plot_beeswarm, plot_dependence, plot_importance, plot_waterfall
from churn_core.model import ChurnModel
from ui.feedback import escape_markdown

POINTS_DEFINITION = (
    "Effects are in **percentage points** of churn probability, measured from a typical "
    "customer: *+12 pts* means the column raises this customer's probability by 12 points "
    "(say from 25 % to 37 %)."
)


def show_drivers(explanation: Explanation, model: ChurnModel | None = None) -> None:
    """Global importance, the beeswarm, and one column's dependence chart; with the model, what
    it does with columns that follow others (left out, or kept by the user but no lever)."""
    st.markdown(
        f"What moves churn risk across {len(explanation):,} of your customers. " + POINTS_DEFINITION
    )
    if model is not None:
        show_derived_note(model)
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


def show_derived_note(model: ChurnModel) -> None:
    """Columns that follow from others: those the model leaves out (so price may not be a
    driver), and those the user kept (their effect is the model's, never a lever)."""
    left_out = [d for d in model.card.get("derived", []) if not d.get("in_model")]
    if left_out:
        shown = "; ".join(escape_markdown(str(d["description"])) for d in left_out)
        st.caption(
            f"Left out of the model because they follow other columns: {shown}. The model "
            "learns from those columns instead, so what they stand for shows up there."
        )
    kept = model.schema.derived
    if kept:
        shown = "; ".join(escape_markdown(why) for why in kept.values())
        st.caption(
            f"Kept in the model by your choice, though they follow other columns: {shown}. "
            "Their effects are the model's way of reading the customer, never a reason to act "
            "on or something to change."
        )


def show_customer_why(
    explanation: Explanation,
    i: int = 0,
    *,
    action: str | None = None,
    derived: Mapping[str, str] | None = None,
) -> None:
    """One customer's waterfall next to their reasons in words, and the suggested action.

    ``derived`` (column -> how it is derived: the model's ``schema.derived``) are columns kept in
    the model that follow others: they stay in the waterfall (the effects add up) but are never
    listed as reasons; a caption names them.
    """
    derived = derived or {}
    left, right = st.columns([3, 2])
    left.plotly_chart(plot_waterfall(explanation, i), width="stretch")
    one = explanation.get_customer_df(i)
    hidden = one[one["column"].isin(list(derived)) & (one["points"].abs() >= 0.05)]
    one = one[~one["column"].isin(list(derived))]
    raising = one[one["points"] >= 0.05].head(3)["reason"]
    lowering = one[one["points"] <= -0.05].head(3)["reason"]
    with right:
        st.markdown("**What raises their risk**")
        st.markdown(_bullets(raising, "Nothing: every column lowers their risk."))
        st.markdown("**What lowers it**")
        st.markdown(_bullets(lowering, "Nothing: every column raises their risk."))
        if action:
            st.info(f"**Suggested action:** {escape_markdown(action)}", icon=":material/call:")
        for row in hidden.itertuples():
            st.caption(
                f"{escape_markdown(str(row.column))} also moves their risk "
                f"({row.points:+.0f} pts in the chart), but it is not a reason: "
                f"{escape_markdown(derived[str(row.column)])}."
            )
        st.caption(
            f"{POINTS_DEFINITION} A typical customer's risk "
            f"({explanation.base_probability:.0%}) can sit below the average churn rate: a "
            "few very risky customers pull the average up."
        )


def show_what_if_advice(advice: WhatIf) -> None:
    """The smallest allowed lever move that lowers the band (with the derived columns that
    follow it), or why there is none; then the allowed moves the model says would raise risk,
    and why."""
    suggestion = advice.suggestion
    if suggestion is not None:
        lines = [
            f"**Smallest change that lowers the band:** {escape_markdown(suggestion.describe())}."
        ]
        if suggestion.recomputed:
            follows = ", ".join(
                f"{escape_markdown(c)} {format_value(a)} → {format_value(b)}"
                for c, (a, b) in suggestion.recomputed.items()
            )
            lines.append(f"Recomputed with it, as they follow the columns moved: {follows}.")
        st.success("\n\n".join(lines), icon=":material/lightbulb:")
    elif advice.why:
        st.info(escape_markdown(advice.why), icon=":material/info:")
    if advice.backfires:
        st.warning(
            "**Moves that would raise their risk in this model** (allowed, but not advice):\n"
            + "\n".join(f"- {escape_markdown(line)}" for line in advice.backfires),
            icon=":material/trending_up:",
        )
    st.caption(
        "Only levers move, and only in their allowed direction (see *Recommended actions* on "
        "the Churn risk page to change which columns are levers and how they may move)."
    )


def show_left_out_of_form(model: ChurnModel) -> None:
    """Why columns such as a price or a running total are not in the form."""
    left_out = [d for d in model.card.get("derived", []) if not d.get("in_model")]
    if left_out:
        names = ", ".join(f"**{escape_markdown(str(d['column']))}**" for d in left_out)
        why = "; ".join(escape_markdown(str(d["description"])) for d in left_out)
        st.caption(
            f"Not in the form: {names}. {why}. The model leaves them out because they follow "
            "other columns: change those (a service, the contract) to see what moves risk."
        )


def show_what_if_notes(notes: list[str], recomputed: Mapping[str, tuple[Any, Any]]) -> None:
    """What followed the typed changes, and plain notes on moves that are not what they seem."""
    if recomputed:
        st.markdown(
            "\n".join(
                f"- {escape_markdown(c)}: {format_value(a)} → {format_value(b)} (recomputed: it "
                "follows the columns you changed)"
                for c, (a, b) in recomputed.items()
            )
        )
    for note in notes:
        st.warning(escape_markdown(note), icon=":material/report:")


def _bullets(reasons: pd.Series, empty: str) -> str:
    lines = [f"- {escape_markdown(reason)}" for reason in reasons]
    return "\n".join(lines) if lines else empty
