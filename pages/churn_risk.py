"""Churn risk: train on the current data, see how good the model is, download who to call."""

import numpy as np
import streamlit as st

from churn_core import columns as col
from churn_core.errors import plural
from churn_core.model import describe_model, plots
from ui.action_controls import action_editor
from ui.customer_form import MAX_PICKER_IDS, prefill_score_page
from ui.explain_state import MAX_EXPLAINED_ROWS, drivers, explained_list, explainer
from ui.explain_views import show_customer_why, show_drivers
from ui.feedback import show_problems, show_warnings
from ui.frame import require_frame
from ui.model_state import (
    at_risk_list,
    current_model,
    customer_scores,
    download_files,
    keep_delivered_list,
    mismatch,
    model_source,
)
from ui.model_views import at_risk_table, download_buttons, show_model_quality
from ui.policy_controls import policy_controls
from ui.state import current_dataset
from ui.training_state import ask_for_training, can_train, show_training

require_frame()

MAX_TABLE_ROWS = 10_000
ALL_SEGMENTS = "All segments"
dataset = current_dataset()

st.title("Churn risk")
st.markdown(
    "Who is about to leave: every customer still with you scored with a calibrated churn "
    "probability, ranked by the revenue at stake, ready to hand to your retention team."
)
info, action = st.columns([3, 1], vertical_alignment="center")
action.button(
    "Train on this data",
    type="primary",
    icon=":material/model_training:",
    disabled=bool(dataset.profile.problems) or not can_train(dataset),
    width="stretch",
    on_click=ask_for_training,
    args=(dataset,),
    help="Trainings run one at a time for everyone on this server; you can leave the page "
    "meanwhile. The model is kept in the workspace.",
)
if dataset.profile.problems:
    show_problems(dataset.profile.problems, "Fix these on the Data page before training")
show_training(dataset)
model = current_model()
for warning in model.card.get("warnings", []) if model is not None else []:
    st.warning(warning, icon=":material/warning:")
if model is None:
    st.info("No model yet: press **Train on this data**.")
    st.stop()
info.markdown(f"**Model in use** ({model_source(model)}): {describe_model(model.card)}.")
if problems := mismatch(model, dataset):
    show_problems(problems, "The model in use cannot score this data")
    st.stop()

at_risk_tab, why_tab, quality_tab = st.tabs(
    ["At-risk customers", "Why customers leave", "How good is the model"]
)
sample = drivers(dataset, model)
with at_risk_tab:
    scores = customer_scores(dataset, model)
    policy = policy_controls(model, int((~scores.left).sum()))
    listed = at_risk_list(dataset, model, policy)
    flagging = listed.flagging
    st.markdown(
        f"**{policy.describe(model.threshold).capitalize()}**: {flagging.count:,} "
        f"customers flagged. This list of {flagging.count:,} holds about "
        f"**{flagging.expected_churners:,.0f} expected churners** (the sum of their "
        "calibrated probabilities)."
    )
    if listed.left_out:
        st.caption(
            f"{listed.describe_left_out()} The list ranks the other "
            f"{plural(len(listed.frame), 'customer')}: there is no one left to keep among "
            "those who left."
        )
    band_col, segment_col = st.columns(2)
    bands = band_col.multiselect(
        "Show risk bands",
        list(col.RISK_BANDS),
        default=[col.HIGH],
        help="High: flagged by the policy above. Medium: above the average "
        "churn rate but not flagged. Low: below average.",
    )
    scored, list_key = explained_list(dataset, model, policy, bands)
    names = scored.frame[col.SEGMENT].replace("", np.nan).dropna().unique().tolist()
    segment = segment_col.selectbox(
        "Show segment",
        [ALL_SEGMENTS, *names],
        disabled=not names,
        help="Groups of customers who behave alike, from the Segments page.",
    )
    show_warnings(scored.warnings)
    st.plotly_chart(
        plots.plot_risk_distribution(
            scored.frame[col.CHURN_PROBABILITY].to_numpy(),
            threshold=flagging.cutoff,
            bands=scored.frame[col.RISK_BAND].to_numpy(),
        ),
        width="stretch",
    )
    on_screen = scored.frame[col.RISK_BAND].isin(bands).to_numpy()
    if segment != ALL_SEGMENTS:
        on_screen &= scored.frame[col.SEGMENT].eq(segment).to_numpy()
    shown = scored.frame[on_screen]
    st.caption(
        f"{len(shown):,} customers, ranked by expected value at risk (probability x "
        "value), then probability. Tick a row to see why that customer is at risk."
        + (
            f" Reasons are given to the first {MAX_EXPLAINED_ROWS:,} of the list."
            if len(shown) > MAX_EXPLAINED_ROWS
            else ""
        )
    )
    table = shown.head(MAX_TABLE_ROWS)
    picked = at_risk_table(table)
    download_buttons(
        dataset.name,
        len(shown),
        *download_files(shown, (*list_key, segment)),
        on_download=keep_delivered_list(dataset, policy, scored, shown, (*list_key, segment)),
    )
    if len(table):
        row = int(np.flatnonzero(on_screen)[picked])
        customer_id = scored.frame[scored.id_column].iloc[row]
        band = str(scored.frame[col.RISK_BAND].iloc[row]).lower()
        st.subheader(f"Why {scored.id_column} {customer_id} is at {band} risk")
        one = explainer(model).explain(dataset.frame.iloc[[int(scored.positions[row])]])
        show_customer_why(one, action=scored.frame[col.RECOMMENDED_ACTION].iloc[row])
        if row < MAX_PICKER_IDS and st.button(
            "Open in Score a customer to try what-ifs",
            icon=":material/person_search:",
            on_click=prefill_score_page,
            args=(dataset.key, int(scored.positions[row])),
        ):
            st.switch_page("pages/score_customer.py")
    with st.expander("Recommended actions: which columns you can act on, and what to do"):
        action_editor(model)

with why_tab:
    show_drivers(sample)

with quality_tab:
    show_model_quality(model)
