"""Monitoring: the monthly loop. Score this month's customers, see who moved, check a past
list against who really left, see whether the customers have changed, retrain when it
matters, and hand the boss one page."""

import streamlit as st

from ui.frame import require_frame
from ui.model_state import model_in_use
from ui.monitoring_views import show_drift, show_retrain, show_summary, show_this_month
from ui.state import current_dataset
from ui.track_views import show_what_happened
from ui.train_offer import model_for, offer_training
from ui.workspace_state import workspace

require_frame()

dataset = current_dataset()
st.title("Monitoring")
st.markdown(
    "Once a month: score the customers you have now, see who moved since the last list, "
    "check the last list against who really left, and see whether your customers have changed "
    "since the model learned. The open data is this month's file; it needs no churn label."
)
if dataset.profile.is_log:
    st.info(
        "This is a purchase or event log. Monitoring works on one row per customer: roll the "
        "log up on the Churn risk page and keep its list there, or upload a customer file.",
        icon=":material/info:",
    )
    st.stop()
model = model_for(dataset)
if model is None:
    offer_training(dataset, "Monitoring scores this month's customers with a model.")
    st.stop()
if workspace() is None:
    st.info(
        "Lists are kept in the workspace, which cannot be reached right now: this month's list "
        "is shown, but cannot be kept or checked until it is back.",
        icon=":material/cloud_off:",
    )
record = model_in_use(dataset).record

at_risk, moved = show_this_month(dataset, model, record)
st.divider()
track = show_what_happened(model, record)
st.divider()
drift = show_drift(dataset, model)
st.divider()
advice = show_retrain(dataset, model, drift, track)
st.divider()
show_summary(dataset, model, at_risk, record=track, moved=moved, report=drift, advised=advice)
