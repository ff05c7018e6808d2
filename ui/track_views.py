"""Step 2 of the Monitoring page, what happened to a past list: pick a kept list, give the
later file (who left, or next month's customers once the user confirms), see the record by
band and by segment, kept with the list, and the record over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.model import ChurnModel
from churn_core.monitoring import TrackRecord
from churn_core.monitoring import plots as mplots
from churn_core.workspace import CheckRecord, ListRecord, ModelRecord
from ui import monitoring_state as ms
from ui.feedback import escape_markdown, show_data_error, show_warnings
from ui.model_views import FOR_ANALYSTS

MISSING = "missing_not_confirmed"
TRACK_NAMES = {
    col.GROUP: "Group",
    col.CUSTOMERS: "Customers",
    col.EXPECTED_CHURNERS: "Expected to leave",
    col.ACTUAL_CHURNERS: "Actually left",
    col.CHURN_RATE: "Share who left",
    col.LIFT: "Times the average",
}


def describe_list(item: ListRecord) -> str:
    """``2026-05-01 09:30 · customers.csv · 4,000 customers (800 flagged)``."""
    return (
        f"{item.created_at:%Y-%m-%d %H:%M} · {item.data_name} · {item.rows:,} customers "
        f"({item.flagged:,} flagged)"
    )


# ---------------------------------------------------------------------------------------------
# 2. What happened


def show_what_happened(model: ChurnModel, record: ModelRecord | None) -> TrackRecord | None:
    """Pick a kept list, give the later file, see how it turned out; the history over time.
    Returns the record shown (for the advice and the summary)."""
    st.subheader("2. What happened to a past list", anchor="what-happened")
    lists = ms.kept_lists()
    if not lists:
        st.info(
            "No list has been kept yet. Keep this month's list in step 1 (or download one on "
            "the Churn risk page); next month, come back with a file that says who left.",
            icon=":material/info:",
        )
        return None
    checks = {c.list_id: c for c in ms.list_checks()}
    item = st.selectbox(
        "Which list",
        lists,
        format_func=lambda i: describe_list(i) + (" · checked" if i.id in checks else ""),
        help="Every at-risk list kept in the workspace, newest first.",
    )
    later = st.file_uploader(
        "A later file that says who left, or next month's customer file",
        type=["csv", "tsv", "txt", "xlsx"],
        help="A file with the customers' ids and a churn label (Yes/No, 1/0, ...), or next "
        "month's customer file: customers missing from it may have left.",
        key=f"later_{item.id}",
    )
    shown: TrackRecord | None = None
    if later is None:
        kept = checks.get(item.id)
        if kept is not None:
            st.caption(f"Checked {kept.checked_at:%Y-%m-%d %H:%M} UTC against {kept.later_name}.")
            shown = ms.kept_record(kept)
        else:
            st.caption("Upload the later file to see how this list turned out.")
    else:
        shown = _check_upload(item, later.getvalue(), later.name, model)
    if shown is not None:
        show_record(shown)
    _show_history(ms.list_checks())  # with the check just kept
    return shown or _latest(record)


def _check_upload(item: ListRecord, raw: bytes, name: str, model: ChurnModel) -> TrackRecord | None:
    confirm_key = f"missing_left_{item.id}_{name}"
    missing_left = bool(st.session_state.get(confirm_key, False))
    try:
        check = ms.check_list(item, raw, name, model, missing_left=missing_left)
    except ChurnDataError as error:
        if any(p.code == MISSING for p in error.problems):
            st.warning(
                f"**{escape_markdown(name)} has no churn label**, so it reads as next month's "
                "customer file. " + escape_markdown(error.problems[0].message.split(": ", 1)[-1]),
                icon=":material/help:",
            )
            st.checkbox(
                f"Yes: the customers missing from {name} have left",
                key=confirm_key,
                help="Tick only if a customer missing from the file means they left (not a "
                "changed export or a filter).",
            )
            return None
        show_data_error(error, f"{name} cannot be checked against this list")
        return None
    if missing_left:
        st.checkbox(
            f"Yes: the customers missing from {name} have left", key=confirm_key
        )  # kept on screen, so it can be unticked
    try:
        if ms.keep_check(item, check, name, missing_left=missing_left):
            st.toast("Kept in the track record.")
    except ChurnDataError as error:
        show_data_error(error, "The check could not be kept")
    st.caption(f"{check.outcomes.describe_source(name)}.")
    return check.record


def show_record(record: TrackRecord) -> None:
    """A list's record: expected against actual leavers, precision, lift, by band and segment."""
    show_warnings(record.warnings, expanded=True)
    cols = st.columns(4)
    cols[0].metric(
        "Flagged customers",
        f"{record.flagged:,}",
        help="Customers the list put in the High band, whose outcome is known.",
    )
    cols[1].metric(
        "Expected to leave",
        f"{record.flagged_expected:,.0f}",
        help="The sum of the flagged customers' churn probabilities.",
    )
    cols[2].metric("Actually left", f"{record.flagged_actual:,}")
    precision, lift = record.precision, record.lift
    cols[3].metric(
        "Flagged who left",
        "–" if precision is None else f"{precision:.0%}",
        delta=None if lift is None else f"{lift:.1f}x the average",
        delta_color="off",
        help="Precision: the share of flagged customers who left; next to it, how many times "
        "the churn rate of all customers whose outcome is known (lift).",
    )
    st.markdown(record.summary())
    st.plotly_chart(mplots.plot_track_record(record), width="stretch")
    st.markdown("**By risk band**")
    st.dataframe(_track_table(record.by_band), hide_index=True, width="stretch")
    if len(record.by_segment):
        st.markdown("**By segment**")
        st.dataframe(_track_table(record.by_segment), hide_index=True, width="stretch")
    with st.expander(FOR_ANALYSTS, icon=":material/analytics:"):
        figures = {
            "ROC-AUC": record.roc_auc,
            "Brier": record.brier,
            "Top-10% lift": record.top_decile_lift,
            "Base churn rate": record.base_rate,
        }
        st.dataframe(
            pd.DataFrame([{k: v for k, v in figures.items()}]).style.format(precision=3),
            hide_index=True,
            width="stretch",
        )
        st.plotly_chart(mplots.plot_track_calibration(record), width="stretch")


def _track_table(frame: pd.DataFrame) -> Styler:
    shown = frame.rename(columns=TRACK_NAMES)
    return shown.style.format(
        {
            "Customers": "{:,}",
            "Actually left": "{:,}",
            "Expected to leave": "{:,.0f}",
            "Share who left": "{:.0%}",
            "Times the average": "{:.1f}",
        },
        na_rep="–",
    )


def _show_history(checks: list[CheckRecord]) -> None:
    if len(checks) < 2:
        return
    st.markdown("**The track record, list after list**")
    st.plotly_chart(mplots.plot_track_history(ms.history(checks)), width="stretch")


def _latest(record: ModelRecord | None) -> TrackRecord | None:
    check = ms.latest_check(record)
    return None if check is None else ms.kept_record(check)
