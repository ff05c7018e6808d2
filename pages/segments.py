"""Segments: groups of customers who behave alike, what each is worth, and a play for each."""

import streamlit as st

from churn_core.columns import CHURN_RATE, MONTHLY_REVENUE, K
from churn_core.errors import ChurnDataError
from churn_core.schema import Role
from churn_core.segments import (
    CONDITIONS,
    MARGIN,
    PLAY_COLUMN,
    RULE_MEASURES,
    get_left_out_columns,
    get_segment_columns,
    plots,
)
from ui.feedback import show_data_error, show_warnings
from ui.frame import require_frame
from ui.log_views import segments_dataset
from ui.segment_state import assignments_csv, assignments_filename, k_choice, segmentation
from ui.segment_views import (
    segment_card,
    show_k_choice_for_analysts,
    show_left_out,
    show_segment_differences,
)
from ui.settings_state import save_segments_button, saved_plays, saved_segment_choice
from ui.state import current_dataset
from ui.train_offer import model_for, offer_training

require_frame()

dataset = current_dataset()
if dataset.profile.is_log:  # a log: segments of its customers, never of its lines
    dataset = segments_dataset(dataset)
revenue_column = dataset.profile.column_for(Role.REVENUE)

st.title("Segments")
st.markdown(
    "Groups of customers who behave alike, found automatically: customers with similar "
    "numbers end up in the same group. Each segment is named after what sets it "
    "apart from the average customer, with its churn rate, revenue and a suggested play."
)
numbers, categories = get_segment_columns(dataset.profile, dataset.frame)
saved = saved_segment_choice(dataset, numbers, categories)
show_left_out(get_left_out_columns(dataset.profile, dataset.frame))
numeric = st.multiselect(
    "Number columns to group customers by",
    numbers,
    default=saved.numeric,
    key=f"segment_numbers|{dataset.key}",
    help="Ids, codes, dates, the churn label and personal data are never used.",
)
categorical = st.multiselect(
    "Also group by these categories (optional)",
    categories,
    default=saved.categorical,
    key=f"segment_categories|{dataset.key}",
    help="Each value becomes a yes/no column, so a segment can be 'mostly Month-to-month'.",
)
chosen = (tuple(numeric), tuple(categorical))
try:
    with st.spinner("Trying 2 to 10 segments..."):
        choice = k_choice(dataset, *chosen)
except ChurnDataError as error:
    show_data_error(error, "Segments cannot be found in this data")
    st.stop()

st.subheader("How many segments")
ks = choice.scores[K].tolist()
k = st.segmented_control(
    "Number of segments",
    ks,
    default=saved.k if saved.k in ks else choice.k,
    key=f"segment_k|{dataset.key}|{chosen}",
)
k = int(k or choice.k)
st.markdown(f"**Recommended: {choice.plain}**")
show_k_choice_for_analysts(choice, k, len(dataset.frame))

try:
    with st.spinner(f"Finding {k} segments..."):
        found = segmentation(dataset, *chosen, k)
except ChurnDataError as error:
    show_data_error(error, f"{k} segments cannot be found in this data")
    st.stop()
show_warnings(found.warnings_)
summary, overall = found.summary_, found.overall_
has_churn, has_revenue = CHURN_RATE in summary, MONTHLY_REVENUE in summary

st.subheader(f"The {k} segments")
if model_for(dataset) is None and not dataset.profile.problems:
    offer_training(dataset, "Each segment's predicted risk and lifetime value need one.")
cards = st.container()
with st.expander("Retention plays: how they are chosen", icon=":material/edit_note:"):
    st.caption(
        "Each segment's play comes from what sets it apart, read as something a business can "
        "act on: fewer transactions calls for re-engagement, fewer products for a cross-sell, "
        "more support calls for service recovery, mostly month-to-month for a longer-contract "
        "offer, mostly new customers for onboarding. A segment that leaves less than average "
        "gets a play that protects what works."
    )
    own_rules = st.toggle(
        "Use my own rules instead",
        key=f"segment_own_rules|{dataset.key}",
        help="For analysts: plays from churn rate, revenue and tenure, in a table you edit.",
    )
    rules = None
    if own_rules:
        st.caption(
            f"The first row that fits a segment gives its play. High / Low: at least "
            f"{MARGIN:.0%} above / below the average customer; Any: either. Add, change or "
            "delete rows."
        )
        condition = st.column_config.SelectboxColumn(options=list(CONDITIONS), required=True)
        rules = st.data_editor(
            saved_plays(dataset),
            key="segment_plays",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                **dict.fromkeys(RULE_MEASURES, condition),
                PLAY_COLUMN: st.column_config.TextColumn(width="large"),
            },
        )
save_segments_button(dataset, numeric, categorical, k, rules)
plays = found.get_plays(rules)
for start in range(0, k, 3):
    for slot, (number, row) in zip(
        cards.columns(3), list(summary.iterrows())[start : start + 3], strict=False
    ):
        with slot.container(border=True):
            segment_card(number, row, overall, revenue_column, plays[number])

left, right = st.columns(2)
if has_churn:
    left.plotly_chart(plots.plot_segment_churn(summary, overall[CHURN_RATE]), width="stretch")
else:
    left.info("No churn label, so no churn rates: choose the label on the Data page.")
if has_revenue:
    right.plotly_chart(
        plots.plot_segment_revenue(summary, overall[MONTHLY_REVENUE], str(revenue_column)),
        width="stretch",
    )

st.subheader("What sets each segment apart")
show_segment_differences(found, len(dataset.frame))
st.download_button(
    "Download each customer's segment (CSV)",
    assignments_csv(dataset, *chosen, k),
    assignments_filename(dataset),
    "text/csv",
    icon=":material/download:",
)
