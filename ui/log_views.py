"""How a purchase or event log is shown on Home, Data, Explore and Segments.

Each page keeps one small branch (``if dataset.profile.is_log: ...``) that calls one function
here: the Data and Home pages get their log content whole; Explore and Segments get the log's
customers as a customer table (:mod:`ui.log_state`) and run their own code on it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from churn_core import columns as col
from churn_core.errors import ChurnDataError, plural
from churn_core.logs import (
    WINDOW_CHOICES,
    Activity,
    ChurnDefinition,
    describe_sensitivity,
    plots,
    suggest_window,
)
from churn_core.schema import EVENTS, LOG_ROLE_TITLES, LogRole
from ui import log_state as ls
from ui.feedback import escape_markdown, show_data_error, show_problems, show_warnings
from ui.model_state import model_source
from ui.model_views import describe_model_in_use
from ui.state import Dataset
from ui.tables import date_columns, preview_frame

#: The sensitivity table as the Data page names its columns.
SENSITIVITY_TITLES = {
    col.WINDOW_DAYS: "Window (days)",
    col.TRAINING_CUTOFFS: "Training cutoffs",
    col.TESTED_CUSTOMERS: "Customers tested",
    col.CHURN_RATE: "Churn rate",
    col.MODEL_ROC_AUC: "Model ROC-AUC",
    col.BASELINE_ROC_AUC: "One-rule baseline ROC-AUC",
    col.BASELINE_RULE: "Baseline rule",
    col.P_ALIVE_ROC_AUC: "BG/NBD 1 - P(alive) ROC-AUC",
    col.NO_ACTIVITY_ROC_AUC: "BG/NBD no-activity ROC-AUC",
    col.NOTE: "Note",
}


def describe_kind(shape: str) -> str:
    """``"a transaction log"`` or ``"an event log"``."""
    return "an event log" if shape == EVENTS else "a transaction log"


def require_activity(dataset: Dataset, title: str | None = None) -> Activity:
    """The prepared log, or the problems to fix on the Data page (under the page's ``title``
    when the page has not drawn it yet) and the page stops."""
    try:
        return ls.activity(dataset)
    except ChurnDataError as error:
        if title:
            st.title(title)
        show_data_error(error, "Fix these on the Data page before using this log")
        st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
        st.stop()
        raise  # st.stop() never returns


def require_definition(dataset: Dataset, title: str | None = None) -> ChurnDefinition:
    """The churn definition, or why the log is too short for it (and the page stops)."""
    try:
        return ls.definition(dataset)
    except ChurnDataError as error:
        if title:
            st.title(title)
        show_data_error(error, "Churn cannot be defined on this log yet")
        st.page_link("pages/data.py", label="Choose a window on Data", icon=":material/tune:")
        st.stop()
        raise


# --- Data -----------------------------------------------------------------------------------


def show_log_data(dataset: Dataset) -> None:
    """The Data page for a log: what it is, its roles (editable), the churn definition with
    the window picker and its sensitivity, quality and a preview."""
    table, profile = dataset.table, ls.log_profile(dataset)
    summary = profile.log
    st.subheader(table.describe())
    if summary is None:  # the user's roles no longer make it a log
        st.warning("With these roles this file is not a log.", icon=":material/warning:")
        _role_editor(dataset, profile.to_frame()[["Column"]].assign(Role="", Why=""))
        return
    st.success(
        f"**A log, not a customer table.** {summary.describe()}", icon=":material/receipt_long:"
    )
    st.caption(f"Why: {escape_markdown(summary.reason)}.")
    show_problems(profile.problems, "Fix these before the log can be used")

    st.subheader("What each column is for")
    st.markdown(
        "Which column names the customer, which dates each row, and which hold money, "
        "quantities or what happened. Change any that are wrong."
    )
    _role_editor(dataset, summary.roles.to_frame())
    if not profile.problems:
        show_churn_definition(dataset)
    st.subheader("Data quality")
    if profile.warnings:
        show_warnings(profile.warnings, expanded=True)
    else:
        st.success("Nothing odd found in this file.", icon=":material/check_circle:")
    st.subheader("Preview")
    st.caption("The first 200 rows, numbered as in a spreadsheet (the header is row 1).")
    preview = preview_frame(dataset.frame)
    preview.attrs = {}  # row numbers kept by reading are in the index already
    st.dataframe(preview, width="stretch", column_config=date_columns(dataset.frame))


def _role_editor(dataset: Dataset, roles_frame: pd.DataFrame) -> None:
    chosen = ls.log_roles(dataset)
    pick, role_box, go = st.columns([2, 2, 1], vertical_alignment="bottom")
    column = pick.selectbox("Change the role of", roles_frame["Column"], key="log_role_column")
    titles = list(LOG_ROLE_TITLES.values())
    current = roles_frame.set_index("Column").loc[column, "Role"]
    index = titles.index(current) if current in titles else len(titles) - 1
    new_title = role_box.selectbox(
        "to", titles, index=index, key=f"log_role_for_{column}_{ls.log_key(dataset)}"
    )
    if go.button("Apply", type="primary", disabled=new_title == current, key="log_role_apply"):
        ls.set_log_roles(dataset, {**chosen, column: LogRole.from_display_name(new_title)})
        st.rerun()
    if chosen and st.button("Back to the detected roles", icon=":material/undo:"):
        ls.set_log_roles(dataset, {})
        st.rerun()
    st.dataframe(
        roles_frame,
        column_config={"Why": st.column_config.TextColumn("Why", width="large")},
        hide_index=True,
        width="stretch",
    )


def show_churn_definition(dataset: Dataset) -> None:
    """The window picker: the suggested window and why, the triggers, the definition in words,
    and the sensitivity table on demand."""
    activity = ls.activity(dataset)
    key = ls.log_key(dataset)
    st.subheader("When does a customer count as churned?")
    st.markdown(
        "A log has no churn column: a customer has **churned** when they do nothing for a "
        "number of days (the *churn window*). Too short, and customers between two visits "
        "count as churned; too long, and you hear about churn late."
    )
    suggested, reason = suggest_window(activity)
    window, triggers = ls.chosen_definition(dataset)
    picked = st.segmented_control(
        "Churn window: days without any activity",
        list(WINDOW_CHOICES),
        default=window,
        format_func=lambda days: f"{days} days" + (" (suggested)" if days == suggested else ""),
        key=f"log_window|{key}",
    )
    st.caption(f"Suggested: {suggested} days. {escape_markdown(reason)}")
    chosen_triggers: list[str] = list(triggers)
    if activity.event_names:
        chosen_triggers = st.multiselect(
            "Also count as churned when a customer does one of these in the window (optional)",
            list(activity.event_names),
            default=list(triggers),
            key=f"log_triggers|{key}",
            help="For example Cancel or Downgrade: customers who do it count as churned "
            "whatever else they do.",
        )
    new = (int(picked or window), tuple(chosen_triggers))
    if new != (window, triggers):
        ls.set_definition(dataset, *new)
    try:
        found = ls.definition(dataset)
    except ChurnDataError as error:
        show_data_error(error, "This window does not fit the log")
        return
    st.info(
        f"**The definition in use:** {escape_markdown(found.describe())}", icon=":material/rule:"
    )
    _show_sensitivity(dataset)


def _show_sensitivity(dataset: Dataset) -> None:
    st.markdown("**How the window changes the answer**")
    table = ls.known_sensitivity(dataset)
    if table is None:
        st.caption(
            "See the churn rate and how well a model and two simple benchmarks predict it, "
            "for 30, 60, 90 and 180 days side by side (trains four models: about a minute)."
        )
        if not st.button(
            "Compare the windows", icon=":material/compare:", key="log_compare_windows"
        ):
            return
        bar = st.progress(0.0, text="Starting")
        try:
            table = ls.sensitivity(
                dataset, progress=lambda share, message: bar.progress(share, text=message)
            )
        except ChurnDataError as error:
            show_data_error(error, "The windows could not be compared")
            return
        bar.empty()
    st.markdown(escape_markdown(describe_sensitivity(table)))
    st.dataframe(
        table.rename(columns=SENSITIVITY_TITLES),
        column_config={
            "Churn rate": st.column_config.NumberColumn(format="percent"),
            "Note": st.column_config.TextColumn(width="large"),
        },
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "ROC-AUC on the customers of the latest cutoff, whom the model never saw (0.5 is a "
        "coin flip, 1 perfect). The one-rule baseline is the single best cut of one column; "
        "BG/NBD needs no training at all (its chance that a customer has stopped, and of no "
        "activity in the window). A window where the model beats them by little is one where "
        "churn is hard to see coming."
    )


# --- Home -----------------------------------------------------------------------------------


def show_log_home(dataset: Dataset) -> None:
    """Home for a log: what it is, active customers and repeat rate, the model in use."""
    st.title("Churn Workbench")
    st.markdown(
        "Upload your customer file or your purchase or event log and get four answers without "
        "writing code: **who is about to leave**, **why**, **what it is worth**, and **which "
        "groups behave alike**."
    )
    summary = ls.log_profile(dataset).log
    if dataset.source == "sample":
        st.info(
            "You are looking at a **sample activity log** of a made-up subscription app "
            "(logins, purchases, complaints, plan changes), so every page works on a log "
            "straight away. Upload your own on the Data page when ready.",
            icon=":material/info:",
        )
    elif summary is not None:
        st.caption(escape_markdown(summary.describe()))
    st.subheader(f"{dataset.name} at a glance")
    activity = require_activity(dataset)
    kpis = ls.kpis(dataset)
    cols = st.columns(4)
    cols[0].metric(
        "Customers",
        f"{activity.customers:,}",
        help=f"Different customers in the log ({activity.rows:,} rows).",
    )
    cols[1].metric(
        "Active customers",
        f"{kpis.active_customers:,}",
        help=f"Customers with some activity in the {kpis.window_days} days up to "
        f"{kpis.as_of:%-d %B %Y} (the churn window); the other {kpis.lapsed_customers:,} "
        "have lapsed.",
    )
    cols[2].metric(
        "Repeat rate",
        f"{kpis.repeat_rate:.0%}",
        help="Share of customers active on two different days or more.",
    )
    r12 = kpis.retention.retention.get(12)
    cols[3].metric(
        "Retention at 12 months",
        "–" if r12 is None else f"{r12:.0%}",
        help="Share of customers still active a year after their first activity "
        "(a customer silent for longer than the churn window counts as gone).",
    )
    model, _ = ls.log_model(dataset)
    if model is not None:
        st.markdown(f"**Model in use** ({model_source(model)}): {describe_model_in_use(model)}")
    st.subheader("Next steps")
    steps = st.columns(3)
    with steps[0]:
        st.markdown("**1. Check the log**  \nIts columns, and how many quiet days mean churned.")
        st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
    with steps[1]:
        st.markdown("**2. Explore**  \nActivity over time, and who stops, by plan or habit.")
        st.page_link("pages/explore.py", label="Go to Explore", icon=":material/query_stats:")
    with steps[2]:
        st.markdown("**3. Predict**  \nTrain on the log and download who to call, one row each.")
        st.page_link("pages/churn_risk.py", label="Go to Churn risk", icon=":material/warning:")


# --- Explore and Segments -------------------------------------------------------------------


def explore_dataset(dataset: Dataset) -> Dataset:
    """The customers active at the log's latest cutoff, each labelled churned or not by the
    chosen definition: what Explore's own charts show churn rates on."""
    require_activity(dataset, "Explore")
    require_definition(dataset, "Explore")
    labelled, _ = ls.labelled_dataset(dataset)
    return labelled


def show_log_activity(dataset: Dataset) -> None:
    """Explore's log part: the log over time, and what its rolled-up customers are."""
    activity = require_activity(dataset)
    found = require_definition(dataset)
    labelled, _ = ls.labelled_dataset(dataset)
    st.subheader("Activity over time")
    st.caption(
        f"This file is {describe_kind(activity.shape)} of "
        f"{plural(activity.customers, 'customer')} ({activity.rows:,} rows, "
        f"{activity.first_date:%-d %B %Y} to {activity.last_date:%-d %B %Y})."
    )
    freq = st.segmented_control("Per", ["week", "month"], default="month", key="log_explore_freq")
    over_time = ls.over_time(dataset, freq or "month")
    st.plotly_chart(plots.plot_activity_over_time(over_time), width="stretch")
    customers = ls.customer_table(dataset)
    st.subheader("The rolled-up customers")
    st.markdown(
        f"The log is rolled up to **one row per customer**: recency, frequency, spend, trends "
        f"and counts of what they did. The charts below show the "
        f"**{len(labelled.frame):,} customers active on {found.held_out_cutoff:%-d %B %Y}**, "
        f"each counted as churned when they did nothing in the {found.window_days} days after"
        + (f" (or did {', '.join(found.triggers)})" if found.triggers else "")
        + "."
    )
    with st.expander(f"All {len(customers.frame):,} customers as of {customers.as_of:%-d %B %Y}"):
        st.dataframe(
            customers.frame.head(200),
            hide_index=True,
            width="stretch",
            column_config=date_columns(customers.frame),
        )


def segments_dataset(dataset: Dataset) -> Dataset:
    """The log's customers (never its lines) for the Segments page: grouped by recency,
    frequency, money and tenure."""
    require_activity(dataset, "Segments")
    return ls.customer_dataset(dataset)
