"""Home: what the app does, the data in use, and the headline numbers."""

import streamlit as st

from churn_core.kpis import get_headline_kpis
from ui.frame import require_frame
from ui.log_views import show_log_home
from ui.model_state import model_in_use, model_source
from ui.model_views import describe_model_in_use
from ui.monitoring_views import show_home_track_record
from ui.state import current_dataset, opening_note
from ui.train_offer import describe_no_model, model_for

require_frame()

dataset = current_dataset()
if dataset.profile.is_log:  # a purchase or event log: its own headline numbers
    show_log_home(dataset)
    st.stop()
kpis = get_headline_kpis(dataset.frame, dataset.profile)

st.title("Churn Workbench")
st.markdown(
    "Upload your customer file and get four answers without writing code: **who is about to "
    "leave**, **why**, **what it is worth**, and **which groups behave alike**."
)
model = model_for(dataset)  # none when the model in use never saw this file's columns
if note := opening_note():
    in_use = f" Model in use: {model_source(model)}." if model is not None else ""
    st.info(note + in_use, icon=":material/info:")
elif dataset.source == "sample":
    st.info(
        "You are looking at a **sample subscription business** (5,000 made-up customers), so "
        "every page works straight away. Upload your own file on the Data page when ready.",
        icon=":material/info:",
    )

st.subheader(f"{dataset.name} at a glance")
cols = st.columns(4)
cols[0].metric("Customers", f"{kpis.customers:,}")
if kpis.churn_rate is not None:
    cols[1].metric(
        "Churn rate",
        f"{kpis.churn_rate:.1%}",
        help=f"Share of customers marked as left in {dataset.profile.label_column}: "
        f"{kpis.churned:,} of {kpis.customers:,}.",
    )
else:
    cols[1].metric("Churn rate", "–", help="No churn label yet: choose one on the Data page.")
if kpis.monthly_revenue_active is not None:
    cols[2].metric(
        "Monthly revenue (active)",
        f"{kpis.monthly_revenue_active:,.0f}",
        help=f"Sum of {kpis.revenue_column} over customers who have not left.",
    )
    if kpis.monthly_revenue_lost is not None:
        cols[3].metric(
            "Monthly revenue lost to churn",
            f"{kpis.monthly_revenue_lost:,.0f}",
            help=f"Sum of {kpis.revenue_column} over customers who left.",
        )
else:
    cols[2].metric(
        "Monthly revenue", "–", help="No monthly revenue column found: set one on the Data page."
    )
if kpis.median_tenure is not None and kpis.monthly_revenue_lost is None:
    cols[3].metric(
        "Median tenure", f"{kpis.median_tenure:,.1f}", help=f"Middle value of {kpis.tenure_column}."
    )

if dataset.profile.problems:
    st.warning(
        f"This data has {len(dataset.profile.problems)} problem(s) to fix before churn can be "
        "modelled. See the Data page.",
        icon=":material/error:",
    )

if model is not None:
    st.markdown(f"**Model in use** ({model_source(model)}): {describe_model_in_use(model)}")
    show_home_track_record(model, model_in_use(dataset).record)
elif not dataset.profile.problems:
    st.info(
        f"{describe_no_model(dataset)} Train one on the **Churn risk** page to see who is "
        "about to leave.",
        icon=":material/model_training:",
    )

st.subheader("Next steps")
steps = st.columns(3)
with steps[0]:
    st.markdown("**1. Bring your data**  \nUpload a CSV or Excel export; check the column roles.")
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
with steps[1]:
    st.markdown("**2. Explore**  \nSee who churns more, by plan, contract, usage and more.")
    st.page_link("pages/explore.py", label="Go to Explore", icon=":material/query_stats:")
with steps[2]:
    st.markdown(
        "**3. Predict**  \nScore every customer still with you and download the at-risk list."
    )
    st.page_link("pages/churn_risk.py", label="Go to Churn risk", icon=":material/warning:")
