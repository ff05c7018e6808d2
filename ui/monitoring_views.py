"""The Monitoring page's steps, in plain words: this month's list and who moved, drift, whether
to retrain, the summary for the boss (what happened to a past list is ``ui/track_views``); and
the track record on Home. Jargon stays inside "For analysts" expanders."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
from pandas.io.formats.style import Styler

from churn_core import columns as col
from churn_core.errors import ChurnDataError, plural
from churn_core.io import to_csv_bytes
from churn_core.model import ChurnModel, Policy
from churn_core.monitoring import DriftReport, Movers, RetrainAdvice, TrackRecord
from churn_core.monitoring import plots as mplots
from churn_core.risk import AtRiskList
from churn_core.workspace import ListRecord, ModelRecord
from ui import monitoring_state as ms
from ui.feedback import escape_markdown, show_data_error, show_warnings
from ui.model_views import FOR_ANALYSTS
from ui.state import Dataset
from ui.track_views import describe_list
from ui.training_state import ask_for_training, can_train, show_training
from ui.workspace_state import workspace

_KEEP_ERROR = "monitoring_keep_error"


# ---------------------------------------------------------------------------------------------
# 1. This month's list


def _keep(dataset: Dataset, at_risk: AtRiskList, policy: Policy) -> None:
    try:
        kept = ms.keep_month(dataset, at_risk, policy)
    except ChurnDataError as error:
        st.session_state[_KEEP_ERROR] = error
    else:
        st.toast(f"Kept as this month's list (list {kept.id}).")


def _flagged_how(rule: str, source: ListRecord | None, month: ListRecord | None) -> str:
    """Which rule flagged this month's list, and where it came from."""
    if source is None:
        return (
            f"Flagged: {rule}, the model's best balance (the Churn risk page's default). Keep a "
            "list with another rule on the Churn risk page and later months follow it."
        )
    if month is not None and source.id == month.id:
        return f"Flagged: {rule}, the rule this list was kept with."
    return (
        f"Flagged: {rule}, as the list of {describe_list(source)} was, so that who moved "
        "reflects your customers and not a new rule."
    )


def show_this_month(
    dataset: Dataset, model: ChurnModel, record: ModelRecord | None
) -> tuple[AtRiskList, Movers | None]:
    """This month's customers scored, kept or a button to keep them, and who moved since the
    previous list of the same kind."""
    st.subheader("1. This month's list", anchor="this-month")
    lists = ms.same_kind(ms.kept_lists(), record)
    policy, source = ms.month_policy(lists)
    at_risk = ms.month_list(dataset, model, policy)
    flagging = at_risk.flagging
    st.markdown(
        f"**{dataset.name}** scored with the model in use: {len(at_risk.frame):,} customers, "
        f"**{flagging.count:,} flagged** at high risk, about **{flagging.expected_churners:,.0f} "
        "expected to leave** among them (the sum of their churn probabilities)."
        + (f" {at_risk.describe_left_out()}" if at_risk.left_out else "")
    )
    month = ms.kept_month(dataset, record, at_risk, lists)
    st.caption(_flagged_how(policy.describe(flagging.cutoff or model.threshold), source, month))
    error = st.session_state.pop(_KEEP_ERROR, None)
    if isinstance(error, ChurnDataError):
        show_data_error(error, "This month's list could not be kept")
    if month is not None:
        st.success(
            f"Kept in the workspace as this month's list: {describe_list(month)}. Next month, "
            "check it against who really left in step 2.",
            icon=":material/check_circle:",
        )
    else:
        words, button = st.columns([3, 1], vertical_alignment="center")
        words.info(
            "Keep this list so that next month you can see who moved and check it against who "
            "really left.",
            icon=":material/bookmark_add:",
        )
        button.button(
            "Keep as this month's list",
            type="primary",
            icon=":material/bookmark_add:",
            on_click=_keep,
            args=(dataset, at_risk, policy),
            disabled=workspace() is None,
            width="stretch",
        )
    previous = ms.previous_list(lists, month)
    if previous is None:
        st.caption(
            "Who moved since the last list shows here once a list of this kind of data was "
            "kept before this one."
        )
        return at_risk, None
    moved = ms.movers(previous, dataset, model, at_risk, policy)
    st.markdown(f"**Who moved since the list of {describe_list(previous)}.** {moved.summary()}")
    show_warnings(moved.warnings)
    st.plotly_chart(mplots.plot_movers(moved), width="stretch")
    if len(moved.frame):
        st.dataframe(_movers_table(moved), hide_index=True, width="stretch")
        st.download_button(
            "Download the movers (CSV)",
            to_csv_bytes(moved.frame),
            file_name=f"movers_{dataset.name.rsplit('.', 1)[0]}.csv",
            mime="text/csv",
            icon=":material/download:",
        )
    return at_risk, moved


MOVER_NAMES = {
    col.MOVEMENT: "Movement",
    col.PREVIOUS_PROBABILITY: "Risk before",
    col.CHURN_PROBABILITY: "Risk now",
    col.CHANGE_POINTS: "Change (points)",
    col.REASON: "What changed",
}


def _movers_table(moved: Movers, rows: int = 500) -> Styler:
    """The first movers in plain columns: risks in percent, the change in points."""
    shown = moved.frame.head(rows)[[moved.id_column, *MOVER_NAMES]].rename(columns=MOVER_NAMES)
    return shown.style.format(
        {"Risk before": "{:.0%}", "Risk now": "{:.0%}", "Change (points)": "{:+.0f}"},
        na_rep="–",
    )


# ---------------------------------------------------------------------------------------------
# 3. Drift, 4. Retrain, 5. Summary


def show_drift(dataset: Dataset, model: ChurnModel) -> DriftReport | None:
    st.subheader("3. Have the customers changed?", anchor="drift")
    st.markdown(
        f"Compares **{dataset.name}** with the data the model in use learned from, column by "
        "column, and says what moved and what that does to the predicted churn."
    )
    asked = st.button(
        "Compare with the training data",
        icon=":material/compare_arrows:",
        help="Takes a few seconds; the result is kept for this data and model.",
    )
    try:
        report = ms.drift(dataset, model, compute=asked)
    except ChurnDataError as error:
        show_data_error(error, "This data cannot be compared with the training data")
        return None
    if report is None:
        return None
    ms.ask_for_drift()
    share = report.importance_share_drifted
    cols = st.columns(3)
    cols[0].metric("Columns that changed", f"{len(report.drifted_columns)} of {len(report.frame)}")
    cols[1].metric("Share changed", f"{report.share_drifted:.0%}")
    if share is not None:
        cols[2].metric(
            "Of what the model relies on",
            f"{share:.0%}",
            help="The share of the model's reliance that lies in columns that changed.",
        )
    st.markdown(report.summary())
    sentences = report.frame.loc[report.frame[col.DRIFTED], col.SENTENCE].tolist()
    if sentences:
        st.markdown("\n".join(f"- {escape_markdown(s)}" for s in sentences[:8]))
    show_warnings(report.warnings)
    st.plotly_chart(mplots.plot_drift(report), width="stretch")
    with st.expander(FOR_ANALYSTS, icon=":material/analytics:"):
        st.caption(
            f"Measured by {report.regime}: statistical tests (p < 0.05) when the smaller file "
            "has 1,000 rows or fewer, else distances with a 0.1 threshold (Wasserstein in "
            "standard deviations for numbers, Jensen-Shannon for categories), as Evidently does."
        )
        st.dataframe(report.frame, hide_index=True, width="stretch")
    return report


def show_retrain(
    dataset: Dataset, model: ChurnModel, report: DriftReport | None, record: TrackRecord | None
) -> RetrainAdvice:
    st.subheader("4. Is it time to retrain?", anchor="retrain")
    advised = ms.advice(model, report, record)
    if advised.retrain:
        st.warning(
            "**Time to train a challenger on newer data.** " + " ".join(advised.reasons),
            icon=":material/update:",
        )
        own = dataset.frame.get(model.label_column)
        if own is not None and own.notna().any() and not dataset.profile.problems:
            st.button(
                "Train a challenger on this data",
                type="primary",
                icon=":material/model_training:",
                on_click=ask_for_training,
                args=(dataset,),
                disabled=not can_train(dataset),
                help="Queued like any training; when it is done it is shown beside the model "
                "in use, on the same customers, and you choose which is in use.",
            )
        else:
            st.info(
                f"{dataset.name} does not say who left ({model.label_column}), so a model "
                "cannot learn from it. Open a recent file that does on the Data page, then "
                "train a challenger here or on Churn risk.",
                icon=":material/info:",
            )
    elif advised.checks:
        if record is None:
            basis = "Nothing in this month's customers says it has aged"
        else:
            basis = "Its last checked list came true"
        if report is None:
            more = " Compare with the training data in step 3 to be sure."
        elif report.drifted_columns:
            more = " Some columns changed (step 3), not enough to matter to it."
        else:
            more = " This month's customers look like the ones it learned from."
        st.success(f"**The model in use still holds.** {basis}.{more}", icon=":material/verified:")
    else:
        st.info(
            "Nothing to judge the model by yet: check a past list against who left (step 2) "
            "or compare with the training data (step 3).",
            icon=":material/info:",
        )
    if advised.checks:
        with st.expander(FOR_ANALYSTS, icon=":material/analytics:"):
            st.markdown("\n".join(f"- {c}" for c in advised.checks))
    show_training(dataset)
    return advised


def show_summary(
    dataset: Dataset,
    model: ChurnModel,
    month: AtRiskList,
    *,
    record: TrackRecord | None,
    moved: Movers | None,
    report: DriftReport | None,
    advised: RetrainAdvice,
) -> None:
    st.subheader("5. A one-page summary for your boss", anchor="summary")
    st.markdown(
        "KPIs, this month's list, why customers leave, how the last list turned out, who "
        "moved, drift and the advice, on one page that opens in any browser and prints to PDF."
    )
    if not ms.summary_asked():
        st.button("Prepare the summary", icon=":material/summarize:", on_click=ms.ask_for_summary)
        return
    today = datetime.now(UTC)
    html = ms.summary_html(
        dataset,
        model,
        month,
        as_of=f"{today:%d %B %Y}",
        record=record,
        record_name="the last list checked",
        moved=moved,
        report=report,
        advised=advised,
    )
    st.download_button(
        "Download the summary (HTML)",
        html.encode("utf-8"),
        file_name=f"churn_summary_{today:%Y-%m-%d}.html",
        mime="text/html",
        type="primary",
        icon=":material/download:",
    )


# ---------------------------------------------------------------------------------------------
# Home


def show_home_track_record(model: ChurnModel, record: ModelRecord | None) -> None:
    """The model's real quality (its latest checked list) beside its held-out figure."""
    try:
        check = ms.latest_check(record)
    except ChurnDataError:
        return
    if check is None:
        return
    metrics = model.card["metrics"]
    held_precision = metrics.get("precision")
    churn_rate = model.card["data"].get("churn_rate")
    st.markdown(f"**Track record**: {escape_markdown(check.describe())}.")
    cols = st.columns(3)
    cols[0].metric(
        "Flagged who left (last list)",
        "–" if check.precision is None else f"{check.precision:.0%}",
        delta=None if check.lift is None else f"{check.lift:.1f}x the average",
        delta_color="off",
    )
    if held_precision is not None:
        lift = held_precision / churn_rate if churn_rate else None
        cols[1].metric(
            "Flagged who left (held-out, at training)",
            f"{held_precision:.0%}",
            delta=None if lift is None else f"{lift:.1f}x the average",
            delta_color="off",
        )
    cols[2].metric(
        "Left against expected (last list)",
        f"{check.actual_churners:,} / {check.expected_churners:,.0f}",
        help=f"Of {plural(check.listed, 'listed customer')} whose outcome is known.",
    )
    st.page_link("pages/monitoring.py", label="Go to Monitoring", icon=":material/monitoring:")
