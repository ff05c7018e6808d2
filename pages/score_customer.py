"""Score a customer: one customer's risk, band and reasons, and what would change them."""

import streamlit as st

from churn_core.explain import (
    advise_change,
    check_what_if,
    explain_customer,
    get_typical_customer,
    get_what_if_df,
    recommend_actions,
    recompute_derived,
)
from churn_core.explain.plots import plot_gauge
from ui.customer_form import (
    changed_fields,
    customer_fields,
    fill_fields,
    has_fields,
    pick_customer,
)
from ui.explain_state import active_actions, explainer, lever_table
from ui.explain_views import (
    show_customer_why,
    show_left_out_of_form,
    show_what_if_advice,
    show_what_if_notes,
)
from ui.feedback import escape_markdown
from ui.frame import require_frame
from ui.log_risk_views import score_dataset
from ui.model_state import model_source, reference_scores
from ui.state import current_dataset
from ui.train_offer import model_for, offer_training

require_frame()

dataset = current_dataset()
model = model_for(dataset)  # none when the model in use never saw this file's columns
if dataset.profile.is_log:  # a log: a form on its customers' rolled-up columns
    dataset, model = score_dataset(dataset)
st.title("Score a customer")
st.markdown(
    "How likely is one customer to leave, why, and what would change it? Fill in the form "
    "(or start from a customer in your data) and press **Score this customer**."
)
if model is None:
    offer_training(dataset, "Scoring a customer needs one.")
    st.stop()
st.caption(f"Model in use: {model_source(model)}.")
schema, cutoff = model.schema, model.threshold
typical = get_typical_customer(model)  # the waterfall's first bar: same customer, same risk
population, ranked_ids, compared_with = reference_scores(dataset, model)

pick_customer(schema, dataset, ranked_ids, typical)
with st.form("score_form", border=True):
    customer = customer_fields("score", schema, typical.values, follows=schema.derived)
    st.form_submit_button("Score this customer", type="primary", icon=":material/calculate:")

result = explain_customer(explainer(model), customer, cutoff=cutoff, population=population)
gauge, words = st.columns([2, 3], vertical_alignment="center")
gauge.plotly_chart(
    plot_gauge(result.probability, cutoff=cutoff, base_rate=model.base_rate, title="Churn risk"),
    width="stretch",
)
with words:
    st.markdown(f"### {result.band} risk: {result.probability:.0%}")
    rank = result.describe_rank()
    st.markdown(
        f"Of 100 customers like this one, about **{100 * result.probability:.0f} would leave**"
        + (f"; their risk is **{rank}** {compared_with}." if rank else ".")
    )
    st.caption(
        f"High: {cutoff:.0%} or more (the model's best-balance cut-off). Medium: above the "
        f"average churn rate of {model.base_rate:.0%}. Low: below it. (The Churn risk page "
        "may flag by a capacity or by profit instead, so its bands can differ.)"
    )
action = recommend_actions(result.explanation, schema, active_actions(model))[0]
show_customer_why(result.explanation, action=action, derived=schema.derived)

st.header("What if?")
levers = lever_table(model)
advice = advise_change(model, customer, levers, cutoff=cutoff)
show_what_if_advice(advice)
if advice.suggestion is not None and st.button(
    "Try this change below", icon=":material/arrow_downward:"
):
    fill_fields("what_if", schema, advice.suggestion.apply(customer))
if st.session_state.get("what_if_base") != customer or not has_fields("what_if", schema):
    st.session_state["what_if_base"] = dict(customer)
    fill_fields("what_if", schema, customer)
st.markdown("Change any answers and compare the risk before and after.")
show_left_out_of_form(model)
with st.form("what_if_form"):
    typed = customer_fields("what_if", schema, typical.values, follows=schema.derived)
    st.form_submit_button("Compare", icon=":material/compare_arrows:")
changed, recomputed = recompute_derived(model, customer, typed)  # derived columns follow
after = explain_customer(explainer(model), changed, cutoff=cutoff, population=population)
before_col, after_col = st.columns(2)
for column, title, scored in ((before_col, "Before", result), (after_col, "After", after)):
    column.plotly_chart(
        plot_gauge(
            scored.probability,
            cutoff=cutoff,
            base_rate=model.base_rate,
            title=f"{title}: {scored.band} risk",
        ),
        width="stretch",
    )
differences = changed_fields(customer, typed)
change = 100 * (after.probability - result.probability)
st.markdown(
    f"**Before {result.probability:.0%} ({result.band}) → after {after.probability:.0%} "
    f"({after.band})**, {change:+.0f} points."
    if differences
    else "Nothing changed yet: edit a field above and press **Compare**."
)
if differences:
    st.markdown("\n".join(f"- {escape_markdown(d)}" for d in differences))
    show_what_if_notes(check_what_if(model, customer, typed, levers), recomputed)
    st.dataframe(
        get_what_if_df(result.explanation, after.explanation), hide_index=True, width="stretch"
    )
    st.caption(
        "A column's effect can move even when its value did not: effects are shared out of "
        "the whole change in risk, and the same step matters less when risk is already high "
        "or low."
    )
