"""Retention & CLV: how long customers stay, what they are worth, and the revenue at risk."""

import streamlit as st

from churn_core.errors import ChurnDataError, plural
from churn_core.kpis import get_high_value_high_risk
from churn_core.survival import describe_logrank, get_at_risk_table, plots
from ui import retention_state as rs
from ui.feedback import issue_markdown, show_data_error, show_warnings
from ui.frame import require_frame
from ui.log_value_views import show_log_retention
from ui.retention_views import (
    clv_assumption_inputs,
    describe_overall_retention,
    show_hazards,
    show_kpi_cards,
    tenure_picker,
)
from ui.settings_state import save_clv_button
from ui.state import current_dataset
from ui.train_offer import offer_training

require_frame()

dataset = current_dataset()
if dataset.profile.is_log:  # a log: BG/NBD and Gamma-Gamma, lapse from the last activity
    show_log_retention(dataset)
    st.stop()
st.title("Retention & CLV")
st.markdown(
    "How long customers stay, what each current customer is worth from now on, and how much "
    "of that is at risk of walking out."
)
try:
    data = rs.survival(dataset)
except ChurnDataError as error:
    show_data_error(error, "Retention needs to know how long customers stayed")
    tenure_picker(dataset, None)
    st.stop()
source = data.source
for warning in (w for w in data.warnings if w.code == "left_truncated"):
    st.info(issue_markdown(warning), icon=":material/info:")  # above the cards it qualifies
st.caption(
    f"Time as a customer from **{source.describe()}**; {plural(data.customers, 'customer')} "
    f"used, {data.churners:,} of whom left"
    + (f"; active customers counted to {data.as_of:%Y-%m-%d}." if source.signup_column else ".")
)
tenure_picker(dataset, data)
assumptions = clv_assumption_inputs()
save_clv_button(dataset, assumptions)
model, p, no_p_reason = rs.probabilities(dataset)
values, kpis = rs.values(dataset, assumptions, model, p)
show_kpi_cards(kpis, no_p_reason)
show_warnings([w for w in data.warnings if w.code != "left_truncated"])

st.subheader("How long customers stay")
options = rs.group_options(dataset)
group = st.selectbox("Compare groups by", options, key="retention_group")
km = rs.curves(dataset, group)
st.plotly_chart(plots.plot_retention_curves(km), width="stretch")
if reading := describe_logrank(km):
    st.markdown(reading)
st.markdown(describe_overall_retention(kpis))
st.caption("Customers still followed (not yet left, and known for that long):")
st.table(get_at_risk_table(km))

st.subheader("What makes customers leave sooner")
with st.spinner("Finding what makes customers leave sooner..."):
    show_hazards(rs.hazards(dataset))

st.subheader("What current customers are worth")
st.caption(f"CLV with {assumptions.describe()}; revenue from each customer's monthly revenue.")
st.plotly_chart(plots.plot_clv_distribution(values), width="stretch")

st.subheader("Value and risk")
if kpis.average_clv is None:
    st.info(
        f"Value and risk need each customer's value. {kpis.notes['clv']}", icon=":material/info:"
    )
elif p is None:
    offer_training(dataset, "Revenue at risk, and who is both valuable and at risk, need one.")
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
