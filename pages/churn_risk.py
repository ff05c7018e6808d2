"""Churn risk: train on the current data, see how good the model is, download who to call."""

import numpy as np
import streamlit as st

from churn_core import columns as col
from churn_core.risk import describe_filters, describe_ranking, filter_list, select_rows
from ui.action_controls import action_editor
from ui.customer_form import MAX_PICKER_IDS, prefill_score_page
from ui.explain_state import MAX_EXPLAINED_ROWS, drivers, explained_list, explainer
from ui.explain_views import show_customer_why, show_drivers
from ui.feedback import show_problems, show_warnings
from ui.frame import require_frame
from ui.log_risk_views import show_log_churn_risk
from ui.model_state import (
    at_risk_list,
    customer_scores,
    keep_delivered_list,
    model_source,
)
from ui.model_views import (
    CURRENCY_KEY,
    at_risk_table,
    describe_model_in_use,
    download_list,
    list_settings,
    show_model_quality,
    show_risk_distribution,
)
from ui.policy_controls import policy_controls, show_flagged
from ui.state import current_dataset
from ui.train_offer import describe_no_model, model_for
from ui.training_state import ask_for_training, can_train, show_training

require_frame()

MAX_TABLE_ROWS = 10_000
ALL_SEGMENTS = "All segments"
dataset = current_dataset()
if dataset.profile.is_log:  # a log: trained in time order, one row per customer, lapsed marked
    show_log_churn_risk(dataset)
    st.stop()

st.title("Churn risk")
st.markdown(
    "Who is about to leave: every customer still with you scored with a calibrated churn "
    "probability, ranked by what is at stake (the list says how), ready to hand to your "
    "retention team."
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
model = model_for(dataset)  # none for a file whose columns the model in use never saw
if model is None:
    st.info(
        f"{describe_no_model(dataset)} Press **Train on this data** to make one: the list, the "
        "reasons and the model's quality appear here once it has learned.",
        icon=":material/info:",
    )
    st.stop()
for warning in model.card.get("warnings", []):
    st.warning(warning, icon=":material/warning:")
info.markdown(f"**Model in use** ({model_source(model)}): {describe_model_in_use(model)}")

at_risk_tab, why_tab, quality_tab = st.tabs(
    ["At-risk customers", "Why customers leave", "How good is the model"]
)
sample = drivers(dataset, model)
with at_risk_tab:
    scores = customer_scores(dataset, model)
    policy = policy_controls(model, int((~scores.left).sum()))
    listed = at_risk_list(dataset, model, policy)
    show_flagged(model, listed, policy, str(st.session_state.get(CURRENCY_KEY, "")).strip())
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
    show_risk_distribution(scored)
    carried, currency = list_settings(dataset, scored)
    segments = None if segment == ALL_SEGMENTS else [segment]
    on_screen = select_rows(carried, bands=bands, segments=segments)
    shown = filter_list(carried, bands=bands, segments=segments)  # ranked 1..n
    st.caption(
        f"{len(shown):,} customers. {describe_ranking(scored)} Tick a row to see why that "
        "customer is at risk."
        + (
            f" Reasons are given to the first {MAX_EXPLAINED_ROWS:,} of the list."
            if len(shown) > MAX_EXPLAINED_ROWS
            else ""
        )
    )
    table = shown.head(MAX_TABLE_ROWS)
    picked = at_risk_table(table, currency)
    download_list(
        (*list_key, segment, tuple(carried.frame.columns), currency),
        shown,
        scored,
        model,
        data_name=dataset.name,
        policy=policy,
        currency=currency,
        filters=describe_filters(bands, segments),
        on_download=keep_delivered_list(dataset, policy, scored, shown, (*list_key, segment)),
    )
    if len(table):
        row = int(np.flatnonzero(on_screen)[picked])
        customer_id = scored.frame[scored.id_column].iloc[row]
        band = str(scored.frame[col.RISK_BAND].iloc[row]).lower()
        st.subheader(f"Why {scored.id_column} {customer_id} is at {band} risk")
        one = explainer(model).explain(dataset.frame.iloc[[int(scored.positions[row])]])
        action = scored.frame[col.RECOMMENDED_ACTION].iloc[row]
        show_customer_why(one, action=action, derived=model.schema.derived)
        if row < MAX_PICKER_IDS and st.button(
            "Open in Score a customer to try what-ifs",
            icon=":material/person_search:",
            on_click=prefill_score_page,
            args=(dataset.key, int(scored.positions[row])),
        ):
            st.switch_page("pages/score_customer.py")
    with st.expander("Recommended actions: your levers, how they may move, and what to do"):
        action_editor(model)

with why_tab:
    show_drivers(sample, model)

with quality_tab:
    show_model_quality(model)
