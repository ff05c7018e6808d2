"""How the Retention & CLV page shows its parts: which column is the tenure, the CLV assumptions,
the KPI cards (a figure the data cannot support is blank, with why), and what makes customers
leave sooner (plain words first, hazard ratios for analysts)."""

from __future__ import annotations

import streamlit as st

from churn_core.columns import HAZARD_RATIO, LOWER, P_VALUE, READING, TERM, UPPER
from churn_core.errors import plural
from churn_core.kpis import RetentionKpis
from churn_core.schema import Role
from churn_core.survival import (
    UNIT_MONTHS,
    ClvAssumptions,
    Hazards,
    SurvivalData,
    describe_hazards,
    get_tenure_candidates,
    plots,
)
from ui import retention_state as rs
from ui.feedback import show_warnings
from ui.model_state import clv_assumptions, set_clv_assumptions
from ui.model_views import FOR_ANALYSTS
from ui.state import Dataset, set_roles

#: The tenure picker's widget key (its options follow the data).
TENURE_KEY = "retention_tenure_column"


def tenure_picker(dataset: Dataset, data: SurvivalData | None) -> None:
    """Which column counts time as a customer (number columns that could, most tenure-like
    first) and in what unit; a new choice sets that column's role to tenure."""
    candidates = get_tenure_candidates(dataset.frame, dataset.profile)
    source = None if data is None else data.source
    if not candidates or (source is not None and not source.tenure_column):
        return  # durations from signup and end dates, or no number column could serve
    current = None if source is None else source.tenure_column
    column, unit = st.columns([2, 1], vertical_alignment="bottom")
    chosen = column.selectbox(
        "Time as a customer is in",
        candidates,
        index=candidates.index(current) if current in candidates else None,
        key=f"{TENURE_KEY}|{dataset.key}",
        placeholder="Choose the column that counts time as a customer",
        help="Columns that could count how long each customer has been one, most likely "
        "first. Ids, the churn label and columns that give the answer away are never offered.",
    )
    if chosen is not None and chosen != current:
        set_roles({**dataset.roles, chosen: Role.TENURE}, dataset.churned_value)
        st.rerun()
    if source is not None and source.tenure_column:
        units = list(UNIT_MONTHS)
        unit.selectbox(
            f"{source.tenure_column} counts",
            units,
            units.index(source.tenure_unit),
            key=rs.unit_key(dataset),
        )


def clv_assumption_inputs() -> ClvAssumptions:
    """Margin, discount rate and horizon, remembered for the at-risk list's values."""
    with st.container(border=True):
        st.markdown("**CLV assumptions** (change them to see every value below update)")
        saved = clv_assumptions() or ClvAssumptions()
        a, b, c = st.columns(3)
        margin = a.number_input(
            "Margin %",
            1,
            100,
            round(100 * saved.margin),
            5,
            help="Share of revenue kept as profit.",
        )
        rate = b.number_input(
            "Annual discount rate %",
            0,
            50,
            round(100 * saved.annual_discount_rate),
            1,
            help="How much less money a year away is worth.",
        )
        horizon = c.number_input(
            "Horizon (months)",
            1,
            240,
            int(saved.horizon_months),
            6,
            help="How far ahead to count.",
        )
    assumptions = ClvAssumptions(margin / 100, rate / 100, int(horizon))
    set_clv_assumptions(assumptions)  # the at-risk list values customers the same way
    return assumptions


def _fmt(value: float | None, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


def _months(value: float) -> str:
    return f"{value:.0f}" if value == round(value) else f"{value:.1f}"


def describe_measurable_retention(kpis: RetentionKpis) -> str:
    """For a file that starts late in customers' lives (left truncation), the retention it
    can measure: "Of customers still with you at month 13: **99%** still with you at month
    24."; "" otherwise."""
    if kpis.retention.get(12) is not None:
        return ""
    known = [(m, v) for m, v in kpis.conditional_retention.items() if v is not None]
    if not known:
        return ""
    month, value = min(known)
    since = _months(kpis.measured_from_month)
    return (
        f"Of customers still with you at month {since}: **{value:.0%}** still with you at "
        f"month {month}."
    )


def show_kpi_cards(kpis: RetentionKpis, no_p_reason: str) -> None:
    """Six cards, each with its definition; a blank one says why, and when the data starts
    late in customers' lives, the retention it can measure is the card's second line."""
    notes = kpis.notes
    cards = [
        ("Churn rate", _fmt(kpis.churn_rate, "{:.1%}"),
         "Share of customers in the file who have left.", "", ""),
        ("Retention at 12 months", _fmt(kpis.retention.get(12), "{:.1%}"),
         "Share still customers one year after joining.", notes.get("retention_12", ""),
         describe_measurable_retention(kpis)),
        ("Median lifetime", _fmt(kpis.median_lifetime_months, "{:.0f} months"),
         "Time by which half of customers have left.", notes.get("median_lifetime", ""), ""),
        ("Average CLV", _fmt(kpis.average_clv, "{:,.0f}"),
         "Profit a current customer should bring from now on, in today's money.",
         notes.get("clv", ""), ""),
        ("Total CLV", _fmt(kpis.total_clv, "{:,.0f}"),
         f"Average CLV x {plural(kpis.current_customers, 'current customer')}.",
         notes.get("clv", ""), ""),
        ("Revenue at risk", _fmt(kpis.revenue_at_risk, "{:,.0f}"),
         "Sum over current customers of churn probability x CLV.",
         (kpis.average_clv is not None and no_p_reason) or notes.get("revenue_at_risk", ""),
         ""),
    ]  # fmt: skip
    slots = [*st.columns(3), *st.columns(3)]
    for slot, (label, value, definition, note, second) in zip(slots, cards, strict=True):
        slot.metric(label, value)
        if second:
            slot.markdown(second)
        slot.caption(definition if value != "—" else f"{definition} **Blank:** {note}")


def describe_overall_retention(kpis: RetentionKpis) -> str:
    """Retention at 3, 6, 12 and 24 months where the data can tell; for a file that starts late
    in customers' lives, among those still with you when it starts."""
    known = ", ".join(
        f"{m} months: **{v:.0%}**" for m, v in kpis.retention.items() if v is not None
    )
    if known:
        return f"Overall, still customers after {known}."
    among = ", ".join(
        f"{m} months: **{v:.0%}**" for m, v in kpis.conditional_retention.items() if v is not None
    )
    if among:
        since = _months(kpis.measured_from_month)
        return f"Of the customers still with you at month {since}, still customers after {among}."
    return next(iter(kpis.notes.values()), "")


def show_hazards(hazards: Hazards) -> None:
    """What makes customers leave sooner in plain words; the hazard ratios, their intervals
    and p-values, and the forest plot for analysts."""
    st.markdown(describe_hazards(hazards))
    show_warnings(hazards.warnings, expanded=bool(hazards.failed_ph))
    if hazards.ratios.empty:
        return
    with st.expander(FOR_ANALYSTS, icon=":material/analytics:"):
        st.caption(
            "Cox proportional hazards, using every other column at once. A hazard ratio says "
            "how much faster one kind of customer leaves than another at any point in their "
            "lifetime; the interval holds the true ratio with 95 % confidence."
        )
        st.plotly_chart(plots.plot_hazard_ratios(hazards.ratios), width="stretch")
        columns = (TERM, HAZARD_RATIO, LOWER, UPPER, P_VALUE, READING)
        st.dataframe(
            hazards.ratios[[c for c in columns if c in hazards.ratios]],
            hide_index=True,
            width="stretch",
            column_config={
                HAZARD_RATIO: st.column_config.NumberColumn("Hazard ratio", format="%.2f"),
                LOWER: st.column_config.NumberColumn("95 % low", format="%.2f"),
                UPPER: st.column_config.NumberColumn("95 % high", format="%.2f"),
                P_VALUE: st.column_config.NumberColumn("p-value", format="%.4f"),
                READING: st.column_config.TextColumn("Reading", width="large"),
            },
        )
