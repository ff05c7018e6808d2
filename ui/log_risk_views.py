"""Churn risk and Score a customer on a log: train on it, every customer once, the lapsed marked.

The Churn risk page hands a log over to :func:`show_log_churn_risk` whole; Score a customer
gets the log's scored customers as a customer table (:func:`score_dataset`) and runs its own
form on their rolled-up columns.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from churn_core import columns as col
from churn_core.errors import ChurnDataError, plural
from churn_core.logs import ChurnDefinition
from churn_core.model import ChurnModel, plots
from churn_core.risk import add_segments, describe_filters, rerank
from ui import log_state as ls
from ui.customer_form import MAX_PICKER_IDS, prefill_score_page
from ui.explain_views import show_customer_why, show_drivers
from ui.feedback import escape_markdown, show_data_error, show_warnings
from ui.log_views import require_activity, require_definition
from ui.model_state import model_key, model_source
from ui.model_views import at_risk_table, describe_model_in_use, download_list, show_model_quality
from ui.policy_controls import policy_controls
from ui.segment_state import SegmentChoice, k_choice, segmentation
from ui.state import Dataset

MAX_TABLE_ROWS = 10_000
ACTIVE, LAPSED, EVERYONE = (
    "Still active (to keep)",
    "Lapsed (to win back)",
    "Everyone",
)


def show_log_churn_risk(dataset: Dataset) -> None:
    """The Churn risk page for a log (see the module docstring)."""
    st.title("Churn risk")
    st.markdown(
        "Who is about to stop: every customer of this log as of its last day, **one row "
        "each**, scored with a calibrated probability of doing nothing in the churn window, "
        "ranked by the value at stake. Customers who have already lapsed are kept, marked and "
        "listed last: a win-back list."
    )
    require_activity(dataset)
    found = require_definition(dataset)
    info, action = st.columns([3, 1], vertical_alignment="center")
    clicked = action.button(
        "Train on this log", type="primary", icon=":material/model_training:", width="stretch"
    )
    if clicked:
        bar = st.progress(0.0, text="Starting")
        try:
            ls.train(dataset, found, lambda share, message: bar.progress(share, text=message))
        except ChurnDataError as error:
            show_data_error(error, "The model could not be trained")
            st.stop()
        bar.empty()
    model, why_not = ls.log_model(dataset)
    if model is None:
        info.markdown(f"{why_not} {escape_markdown(found.describe())}")
        st.info(
            "Press **Train on this log**: the model learns from earlier cutoffs and is tested "
            "on the latest one, next to the one-rule baseline and BG/NBD's P(alive). Change "
            "the churn window on the Data page first if needed.",
            icon=":material/info:",
        )
        st.stop()
        return
    if clicked:
        st.success(f"Trained: {describe_model_in_use(model)}", icon=":material/check_circle:")
    for warning in model.card.get("warnings", []):
        st.warning(warning, icon=":material/warning:")
    info.markdown(f"**Model in use** ({model_source(model)}): {describe_model_in_use(model)}")
    _say_definition(model, found)
    at_risk_tab, why_tab, quality_tab = st.tabs(
        ["At-risk customers", "Why customers leave", "How good is the model"]
    )
    with at_risk_tab:
        _show_list(dataset, model)
    with why_tab:
        show_drivers(ls.drivers(dataset, model))
    with quality_tab:
        show_model_quality(model)
        show_benchmarks(model)


def _say_definition(model: ChurnModel, found: ChurnDefinition) -> None:
    learned = ChurnDefinition.from_dict(model.card["churn_definition"])
    st.caption(escape_markdown(learned.describe()))
    if (learned.window_days, learned.triggers) != (found.window_days, found.triggers):
        st.warning(
            f"The Data page now defines churn as {found.window_days} days without activity"
            + (f" or {', '.join(found.triggers)}" if found.triggers else "")
            + f"; this model learned {learned.window_days} days. Train again to use the new "
            "definition.",
            icon=":material/sync_problem:",
        )


def _show_list(dataset: Dataset, model: ChurnModel) -> None:
    activity = ls.model_activity(dataset, model)
    policy = policy_controls(model, activity.customers)
    listed = ls.scored(dataset, model, policy)
    frame = listed.at_risk.frame
    flagging = listed.at_risk.flagging
    lapsed = frame[col.LAPSED].eq("Yes").to_numpy()
    flagged = flagging.flagged & ~lapsed
    expected = float(frame[col.CHURN_PROBABILITY].to_numpy()[flagged].sum())
    st.markdown(
        f"{escape_markdown(listed.describe())} **{policy.describe(model.threshold).capitalize()}"
        f"**: {flagged.sum():,} of the {(~lapsed).sum():,} customers still active flagged, "
        f"about **{expected:,.0f} expected churners** among them (the sum of their calibrated "
        "probabilities)."
    )
    st.caption(f"Customer value: {escape_markdown(listed.value_note)}.")
    who_col, band_col = st.columns(2)
    who = who_col.radio("Show", [ACTIVE, LAPSED, EVERYONE], horizontal=True, key="log_list_who")
    bands = band_col.multiselect(
        "Risk bands", list(col.RISK_BANDS), default=[col.HIGH], key="log_list_bands"
    )
    group = {ACTIVE: ~lapsed, LAPSED: lapsed, EVERYONE: np.ones_like(lapsed)}[who]
    on_screen = frame[col.RISK_BAND].isin(bands).to_numpy() & group
    at_risk = ls.explained(dataset, model, policy, on_screen)
    segments = _segments(dataset, len(listed.customers.frame))
    if segments is not None:
        at_risk = add_segments(at_risk, segments)
    show_warnings(at_risk.warnings)
    st.plotly_chart(
        plots.plot_risk_distribution(
            frame[col.CHURN_PROBABILITY].to_numpy()[group],
            threshold=flagging.cutoff,
            bands=frame[col.RISK_BAND].to_numpy()[group],
        ),
        width="stretch",
    )
    shown = rerank(at_risk.frame[on_screen])  # ranks run 1..n in the list delivered
    st.caption(
        f"{plural(len(shown), 'customer')}, one row each, ranked by expected value at risk "
        "(probability x value), then probability; tick a row to see why."
        + (f" Reasons for the first {ls.MAX_EXPLAINED:,}." if len(shown) > ls.MAX_EXPLAINED else "")
    )
    picked = at_risk_table(shown.head(MAX_TABLE_ROWS))
    key = (ls.log_key(dataset), model_key(model), str(policy), who, tuple(bands), segments is None)
    download_list(
        key,
        shown,
        at_risk,
        model,
        data_name=dataset.name,
        policy=policy,
        currency="",
        filters=", ".join(f for f in (describe_filters(bands), who.lower()) if f),
    )
    if len(shown):
        row = int(np.flatnonzero(on_screen)[picked])
        position = int(at_risk.positions[row])
        customer = at_risk.frame[at_risk.id_column].iloc[row]
        band = str(at_risk.frame[col.RISK_BAND].iloc[row]).lower()
        st.subheader(f"Why {at_risk.id_column} {customer} is at {band} risk")
        explainer = ls.explainer(model_key(model), model)
        one = explainer.explain(listed.customers.frame.iloc[[position]])
        show_customer_why(one, action=at_risk.frame[col.RECOMMENDED_ACTION].iloc[row])
        scored = ls.scored_dataset(dataset, model)
        if row < MAX_PICKER_IDS and st.button(
            "Open in Score a customer to try what-ifs",
            icon=":material/person_search:",
            on_click=prefill_score_page,
            args=(scored.key, position),
        ):
            st.switch_page("pages/score_customer.py")


def _segments(dataset: Dataset, customers: int) -> np.ndarray | None:
    """Each customer's segment (in the log's customer order), as the Segments page last chose
    for this log, else its defaults; None when they cannot be found."""
    table = ls.customer_dataset(dataset)
    choice = st.session_state.get("segment_choice")
    try:
        if isinstance(choice, SegmentChoice) and choice.data_key == table.key:
            found = segmentation(table, choice.numeric, choice.categorical, choice.k)
        else:
            numeric = tuple(ls.customer_table(dataset).segment_columns)
            found = segmentation(table, numeric, (), k_choice(table, numeric, ()).k)
    except ChurnDataError:
        return None
    names = found.segments_.to_numpy()
    return names if len(names) == customers else None


def show_benchmarks(model: ChurnModel) -> None:
    """BG/NBD's two readings next to the model: in words, and ROC curves of them all."""
    card, evaluation = model.card, model.evaluation
    st.subheader("Against BG/NBD, which needs no training")
    benchmarks = card.get("benchmarks", [])
    if not benchmarks:
        missing = card.get("benchmarks_missing") or ["This model was trained before the check."]
        st.info(escape_markdown(missing[0]), icon=":material/info:")
        return
    auc = card["metrics"]["roc_auc"]
    lines = []
    for benchmark in benchmarks:
        rival = benchmark["test"]["roc_auc"]
        verdict = "the model does better" if auc > rival else "the model does **not** do better"
        lines.append(
            f"- **{escape_markdown(benchmark['name'])}**: ROC-AUC {rival:.2f} against the "
            f"model's {auc:.2f}: {verdict}. {escape_markdown(benchmark['description'])}"
        )
    st.markdown(
        "BG/NBD reads only when each customer was active, and needs no churn label: a model "
        "worth its training must rank the same customers better.\n\n" + "\n".join(lines)
    )
    st.caption(
        "Customers seen on one day only have P(alive) = 100%: BG/NBD lets a customer stop only "
        "right after a repeat purchase."
    )
    scores = getattr(evaluation, "p_benchmarks", None) or {}
    if evaluation is not None and scores:
        curves = {
            card["model"]["name"]: evaluation.p_test,
            "One-rule baseline": evaluation.p_baseline,
            **scores,
        }
        st.plotly_chart(plots.plot_roc(evaluation.y_test, curves), width="stretch")


def score_dataset(dataset: Dataset) -> tuple[Dataset, ChurnModel]:
    """The log's customers as the model in use sees them (its event types counted), for the
    Score a customer form; without a log model the page says what to do and stops."""
    require_activity(dataset, "Score a customer")
    model, why_not = ls.log_model(dataset)
    if model is None:
        st.title("Score a customer")
        st.info(
            f"{why_not} Train one on this log on the **Churn risk** page first: the form "
            "then asks for a customer's rolled-up figures (days since last activity, active "
            "days, spend...).",
            icon=":material/info:",
        )
        st.page_link("pages/churn_risk.py", label="Go to Churn risk", icon=":material/warning:")
        st.stop()
        raise RuntimeError  # st.stop() never returns
    return ls.scored_dataset(dataset, model), model
