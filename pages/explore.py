"""Explore: how customers who left differ from those who stayed, column by column."""

import streamlit as st

from churn_core.explore import get_numeric_columns
from churn_core.explore.plots import (
    is_category_like,
    plot_churn_rate_by,
    plot_correlations,
    plot_distribution,
    plot_missing_map,
)
from churn_core.schema import Role
from ui import cache
from ui.feedback import issue_markdown, show_warnings
from ui.frame import require_frame
from ui.log_views import explore_dataset, show_log_activity
from ui.state import current_dataset

require_frame()

MAX_CORRELATION_COLUMNS = 25

dataset = log = current_dataset()
if log.profile.is_log:  # a log: its customers of the latest cutoff, labelled (ui/log_views)
    dataset = explore_dataset(log)
frame, profile, churned = dataset.frame, dataset.profile, dataset.churned
label = profile.label_column
has_label = churned is not None and churned.notna().sum() > 0

st.title("Explore")
st.markdown(
    "See how customers who **left** differ from those who **stayed**, one column at a "
    "time. Bars show churn rate; the thin lines show the range the true rate likely "
    "lies in (narrow when many customers, wide when few)."
)
if log.profile.is_log:
    show_log_activity(log)
leaks = [w for w in profile.warnings if w.code in {"leak", "leak_kept"}]
for leak in leaks:
    st.warning(issue_markdown(leak), icon=":material/policy:")
show_warnings([w for w in profile.warnings if w not in leaks])
if not has_label:
    st.info(
        "No churn label yet, so only distributions are shown. Choose the column that says "
        "who left on the Data page to see churn rates.",
        icon=":material/info:",
    )

features = profile.feature_columns
if not features:
    st.error(
        "No columns to explore: every column is an id, a date, personal data or ignored. "
        "Set some columns to features on the Data page."
    )
    st.stop()

st.subheader("One column at a time")
column = st.selectbox("Column", features, key="explore_column")
left, right = st.columns(2)
if has_label:
    left.plotly_chart(plot_churn_rate_by(frame, column, churned), width="stretch")
right.plotly_chart(plot_distribution(frame, column, churned), width="stretch")

if has_label:
    st.subheader("Churn rate side by side")
    default = [c for c in features if is_category_like(frame[c]) and c != column][:4]
    chosen = st.multiselect("Columns to compare", features, default=default)
    for start in range(0, len(chosen), 2):
        row = st.columns(2)
        for slot, name in zip(row, chosen[start : start + 2], strict=False):
            slot.plotly_chart(plot_churn_rate_by(frame, name, churned), width="stretch")

numeric = get_numeric_columns(frame, features)
if len(numeric) >= 2:
    st.subheader("Which numbers move together")
    st.caption(
        "+1: rise together; -1: one rises as the other falls; 0: unrelated. "
        f"The first row shows how each relates to {label or 'churn'}."
    )
    shown = tuple(numeric[:MAX_CORRELATION_COLUMNS])
    corr = cache.correlations(
        dataset.key, shown, label or "Churned", frame, churned if has_label else None
    )
    st.plotly_chart(plot_correlations(corr), width="stretch")

st.subheader("Missing values")
summary, blocks = cache.missing(dataset.key, frame)
if summary["missing"].sum() == 0:
    st.success("No missing values in any column.", icon=":material/check_circle:")
else:
    gaps = summary[summary["missing"] > 0]
    for end_column in profile.columns_with(Role.END_DATE):
        st.caption(f"{end_column} is empty for customers who have not left: that is expected.")
    st.markdown(
        ", ".join(
            f"**{r.column}**: {r.missing:,} ({r.missing_pct:.1f}%)" for r in gaps.itertuples()
        )
    )
    st.plotly_chart(plot_missing_map(blocks), width="stretch")

ignored = profile.columns_with(Role.IGNORED)
if ignored:
    st.caption(f"Not shown (ignored on the Data page): {', '.join(ignored)}.")
