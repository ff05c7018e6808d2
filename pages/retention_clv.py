"""Retention & CLV: how long customers stay, what they are worth, and the revenue at risk."""

import streamlit as st

from churn_core.errors import ChurnDataError, plural
from churn_core.kpis import get_high_value_high_risk
from churn_core.survival import (
    UNIT_MONTHS,
    ClvAssumptions,
    describe_logrank,
    get_at_risk_table,
    plots,
)
from ui import retention_state as rs
from ui.feedback import show_data_error, show_warnings
from ui.frame import require_frame
from ui.model_state import clv_assumptions, set_clv_assumptions
from ui.settings_state import save_clv_button
from ui.state import current_dataset

require_frame()

dataset = current_dataset()
st.title("Retention & CLV")
st.markdown(
    "How long customers stay, what each current customer is worth from now on, and how much "
    "of that is at risk of walking out."
)
try:
    data = rs.survival(dataset)
except ChurnDataError as error:
    show_data_error(error, "Retention needs to know how long customers stayed")
    st.stop()
source = data.source
info, unit = st.columns([3, 1], vertical_alignment="bottom")
info.caption(
    f"Time as a customer from **{source.describe()}**; {plural(data.customers, 'customer')} "
    f"used, {data.churners:,} of whom left"
    + (f"; active customers counted to {data.as_of:%Y-%m-%d}." if source.signup_column else ".")
)
if source.tenure_column:
    units = list(UNIT_MONTHS)
    index = units.index(source.tenure_unit)
    unit.selectbox(f"{source.tenure_column} counts", units, index, key=rs.unit_key(dataset))

with st.container(border=True):
    st.markdown("**CLV assumptions** (change them to see every value below update)")
    saved = clv_assumptions() or ClvAssumptions()
    a, b, c = st.columns(3)
    margin = a.number_input(
        "Margin %", 1, 100, round(100 * saved.margin), 5, help="Share of revenue kept as profit."
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
        "Horizon (months)", 1, 240, int(saved.horizon_months), 6, help="How far ahead to count."
    )
assumptions = ClvAssumptions(margin / 100, rate / 100, int(horizon))
set_clv_assumptions(assumptions)  # the at-risk list values customers the same way
save_clv_button(dataset, assumptions)
model, p, no_p_reason = rs.probabilities(dataset)
values, kpis = rs.values(dataset, assumptions, model, p)


def _fmt(value: float | None, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


notes, r12, median = kpis.notes, kpis.retention[12], kpis.median_lifetime_months
cards = [
    ("Churn rate", _fmt(kpis.churn_rate, "{:.1%}"),
     "Share of customers in the file who have left.", ""),
    ("Retention at 12 months", _fmt(r12, "{:.1%}"),
     "Share still customers one year after joining.", notes.get("retention_12", "")),
    ("Median lifetime", _fmt(median, "{:.0f} months"),
     "Time by which half of customers have left.", notes.get("median_lifetime", "")),
    ("Average CLV", _fmt(kpis.average_clv, "{:,.0f}"),
     "Profit a current customer should bring from now on, in today's money.",
     notes.get("clv", "")),
    ("Total CLV", _fmt(kpis.total_clv, "{:,.0f}"),
     f"Average CLV x {plural(kpis.current_customers, 'current customer')}.", notes.get("clv", "")),
    ("Revenue at risk", _fmt(kpis.revenue_at_risk, "{:,.0f}"),
     "Sum over current customers of churn probability x CLV.",
     no_p_reason or notes.get("revenue_at_risk", "")),
]  # fmt: skip
for slot, (label, value, definition, note) in zip(
    [*st.columns(3), *st.columns(3)], cards, strict=True
):
    slot.metric(label, value)
    slot.caption(definition if value != "—" else f"{definition} **Blank:** {note}")
show_warnings(data.warnings)

st.subheader("How long customers stay")
options = rs.group_options(dataset)
group = st.selectbox("Compare groups by", options, key="retention_group")
km = rs.curves(dataset, group)
st.plotly_chart(plots.plot_retention_curves(km), width="stretch")
if reading := describe_logrank(km):
    st.markdown(reading)
retention = ", ".join(
    f"{m} months: **{v:.0%}**" for m, v in kpis.retention.items() if v is not None
)
st.markdown(f"Overall, still customers after {retention}." if retention else notes["retention_3"])
st.caption("Customers still followed (not yet left, and known for that long):")
st.table(get_at_risk_table(km))

st.subheader("What makes customers leave sooner")
st.caption(
    "A hazard ratio says how much faster one kind of customer leaves than another at any point "
    "in their lifetime (Cox model, using every other column at once)."
)
with st.spinner("Fitting the hazard model..."):
    hazards = rs.hazards(dataset)
show_warnings(hazards.warnings, expanded=bool(hazards.failed_ph))
if not hazards.ratios.empty:
    st.plotly_chart(plots.plot_hazard_ratios(hazards.ratios), width="stretch")
    clear = hazards.ratios[hazards.ratios["significant"]].head(5)
    st.markdown("\n".join(f"- {r}" for r in clear["reading"]) or "No clear differences.")

st.subheader("What current customers are worth")
st.caption(f"CLV with {assumptions.describe()}; revenue from each customer's monthly revenue.")
st.plotly_chart(plots.plot_clv_distribution(values), width="stretch")

st.subheader("Value and risk")
if p is None:
    st.info(f"Revenue at risk is blank. {no_p_reason}", icon=":material/info:")
    st.page_link("pages/churn_risk.py", label="Go to Churn risk", icon=":material/warning:")
elif model is not None:
    corner, cut = get_high_value_high_risk(values, model.threshold)
    id_col = values.columns[0]
    st.plotly_chart(plots.plot_value_risk(values, id_col, model.threshold, cut), width="stretch")
    if corner.empty:
        st.markdown("No customer is both in the top quarter by value and flagged as at risk.")
    else:
        names = ", ".join(str(v) for v in corner[id_col].head(10))
        st.markdown(
            f"**High value, high risk: {plural(len(corner), 'customer')}** "
            f"(top quarter by CLV and flagged as at risk), most value at risk first: {names}"
            + (" and more." if len(corner) > 10 else ".")
        )
    st.page_link(
        "pages/churn_risk.py", label="See them in the at-risk list", icon=":material/warning:"
    )

cohorts = rs.cohorts(dataset)
if not cohorts.empty:
    st.subheader("Retention by signup month")
    st.plotly_chart(plots.plot_cohort_retention(cohorts), width="stretch")
    st.caption(
        "Only customers in this file count: if the export leaves out customers who left long "
        "ago, older signup months look better than they were."
    )
