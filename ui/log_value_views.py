"""Retention & CLV on a log: who is still buying, what each customer is worth, who has gone
quiet, how far the forecasts can be trusted, and how long customers stay.

For a business without contracts nobody cancels: customers just stop buying. The figures come
from BG/NBD and Gamma-Gamma fitted on the log (``ui.log_state.forecast``), with the same
editable CLV assumptions as the page has for customer tables; retention reads a customer's life
from their first activity to their last (or to the log's last day while active).
"""

from __future__ import annotations

import streamlit as st

from churn_core import columns as col
from churn_core.btyd import (
    LIKELY_ACTIVE,
    QUARTER_DAYS,
    BtydForecast,
    get_cumulative_purchases,
    get_holdout_by_frequency,
)
from churn_core.btyd import plots as btyd_plots
from churn_core.errors import ChurnDataError, plural
from churn_core.io import download_filename, to_csv_bytes
from churn_core.logs import describe_purchases
from churn_core.model import Policy
from churn_core.survival import ClvAssumptions, describe_logrank
from churn_core.survival import plots as survival_plots
from ui import log_state as ls
from ui.feedback import escape_markdown, show_warnings
from ui.log_views import require_activity
from ui.model_state import clv_assumptions, set_clv_assumptions
from ui.state import Dataset

EVERYONE = "Everyone"
#: Best customers gone quiet listed on the page (all of them in the download).
SHOWN_QUIET = 20


def show_log_retention(dataset: Dataset) -> None:
    """The Retention & CLV page for a log (see the module docstring)."""
    st.title("Retention & CLV")
    st.markdown(
        "Nobody cancels in a log: customers just stop buying. How many are probably still "
        "buying, what each is worth from now on, which of your best customers have gone "
        "quiet, and how long customers stay."
    )
    activity = require_activity(dataset)
    assumptions = clv_inputs()
    try:
        forecast: BtydForecast | None = ls.forecast(dataset)
        why_not = ""
    except ChurnDataError as error:
        forecast, why_not = None, error.problems[0].message
    st.caption(
        f"BG/NBD (how often each customer buys and whether they still do) and Gamma-Gamma "
        f"(how much they spend) fitted on the whole log, up to {activity.last_date:%-d %B %Y}; "
        f"{describe_purchases(activity)}."
    )
    if forecast is None:
        st.warning(
            "The purchase models (BG/NBD and Gamma-Gamma) could not be fitted to this log, so "
            "the chance each customer is still buying and their CLV from it are not shown; CLV "
            f"below comes from monthly spend instead. Why: {escape_markdown(why_not)}",
            icon=":material/warning:",
        )
        _fallback_cards(dataset)
    else:
        _btyd_cards(dataset, forecast, assumptions)
        show_warnings(list(forecast.warnings))
    _activity_cards(dataset)
    if forecast is not None:
        _value_charts(dataset, forecast)
    _trust(dataset)
    _retention(dataset)


def clv_inputs() -> ClvAssumptions:
    """Margin, discount rate and horizon, shared with the at-risk list's customer value."""
    with st.container(border=True):
        st.markdown("**CLV assumptions** (change them to see every value below update)")
        saved = clv_assumptions() or ClvAssumptions()
        a, b, c = st.columns(3)
        margin = a.number_input(
            "Margin %", 1, 100, round(100 * saved.margin), 5, help="Share of spend kept as profit."
        )
        rate = b.number_input(
            "Annual discount rate %",
            0,
            50,
            round(100 * saved.annual_discount_rate),
            1,
            help="How much less money a year away is worth.",
        )
        horizon = c.number_input(
            "Horizon (months)", 1, 240, int(saved.horizon_months), 6, help="How far ahead to count."
        )
    assumptions = ClvAssumptions(margin / 100, rate / 100, int(horizon))
    set_clv_assumptions(assumptions)
    return assumptions


def _btyd_cards(dataset: Dataset, forecast: BtydForecast, assumptions: ClvAssumptions) -> None:
    headline = forecast.get_headline()
    customers = headline["customers"]
    one_time = customers - headline["repeat_customers"]
    quiet = forecast.get_gone_quiet()
    has_money = forecast.gamma_gamma is not None
    buys = forecast.purchases.has_amount  # else every active day counts as a purchase
    model, why_no_model = ls.log_model(dataset)
    at_risk = None
    if model is not None:
        at_risk = ls.scored(dataset, model, Policy()).revenue_at_risk
    end = forecast.purchases.calibration_end

    def money(value: float | None) -> str:
        return "—" if value is None or not has_money else f"{value:,.0f}"

    no_money = "The log has no money column, so there is no spend model."
    cards = [
        (
            "Customers likely still buying" if buys else "Customers likely still active",
            f"{headline['likely_active']:,} of {customers:,}",
            f"P(alive) {LIKELY_ACTIVE:.0%} or more. It includes all {one_time:,} customers "
            f"seen on one day only: BG/NBD lets a customer stop only right after a repeat "
            f"{'purchase' if buys else 'visit'}, so they always count as active (their "
            "expected purchases are low).",
        ),
        (
            "Expected purchases next quarter" if buys else "Expected active days next quarter",
            f"{headline['expected_purchases_next_quarter']:,.0f}",
            f"{'Purchase' if buys else 'Active'} days expected in the {QUARTER_DAYS} days after "
            f"{end:%-d %B %Y}, summed over customers.",
        ),
        (
            "Average CLV",
            money(headline["average_clv"]),
            "Profit a customer should bring from now on, in today's money: expected purchases "
            f"x expected spend x margin ({assumptions.describe()})."
            if has_money
            else no_money,
        ),
        (
            "Total CLV",
            money(headline["total_clv"]),
            f"Summed over the {customers:,} customers." if has_money else no_money,
        ),
        (
            "Revenue at risk",
            money(at_risk),
            "Sum over customers not yet lapsed of churn probability x CLV (the at-risk list's "
            "expected value at risk)."
            if at_risk is not None
            else f"{why_no_model} Train one on this log on the Churn risk page to see it.",
        ),
        (
            "Best customers gone quiet",
            f"{len(quiet):,}",
            "Top quarter by spend so far, with P(alive) below "
            f"{LIKELY_ACTIVE:.0%}: the first to win back.",
        ),
    ]
    for slot, (label, value, definition) in zip(
        [*st.columns(3), *st.columns(3)], cards, strict=True
    ):
        slot.metric(label, value)
        slot.caption(definition)


def _fallback_cards(dataset: Dataset) -> None:
    """CLV from each active customer's average monthly spend and the retention curve, when the
    BTYD models cannot be fitted."""
    retention = ls.kpis(dataset).retention
    model, why_no_model = ls.log_model(dataset)
    at_risk = None if model is None else ls.scored(dataset, model, Policy()).revenue_at_risk
    notes = retention.notes
    cards = [
        (
            "Average CLV",
            retention.average_clv,
            "Profit an active customer should bring from now on: their average monthly spend "
            "over the months the retention curve expects them to stay, discounted.",
            notes.get("clv", ""),
        ),
        (
            "Total CLV",
            retention.total_clv,
            f"Average CLV x {plural(retention.current_customers, 'active customer')}.",
            notes.get("clv", ""),
        ),
        (
            "Revenue at risk",
            at_risk,
            "Sum over customers not yet lapsed of churn probability x CLV.",
            f"{why_no_model} Train one on this log on the Churn risk page to see it.",
        ),
    ]
    for slot, (label, value, definition, note) in zip(st.columns(3), cards, strict=True):
        slot.metric(label, "—" if value is None else f"{value:,.0f}")
        slot.caption(definition if value is not None else f"{definition} **Blank:** {note}")


def _activity_cards(dataset: Dataset) -> None:
    kpis = ls.kpis(dataset)
    retention = kpis.retention
    r12, median = retention.retention.get(12), retention.median_lifetime_months
    st.subheader("Active customers")
    cols = st.columns(4)
    cols[0].metric("Active customers", f"{kpis.active_customers:,}")
    cols[0].caption(f"Some activity in the {kpis.window_days} days up to {kpis.as_of:%-d %B %Y}.")
    cols[1].metric("Lapsed customers", f"{kpis.lapsed_customers:,}")
    cols[1].caption(f"Silent for more than {kpis.window_days} days (the churn window).")
    cols[2].metric("Repeat rate", f"{kpis.repeat_rate:.0%}")
    cols[2].caption("Customers active on two different days or more.")
    cols[3].metric("Retention at 12 months", "—" if r12 is None else f"{r12:.0%}")
    cols[3].caption(
        "Still active a year after their first activity."
        + ("" if median is None else f" Half are gone {_within(median)}.")
        + (f" {retention.notes.get('retention_12', '')}" if r12 is None else "")
    )


def _value_charts(dataset: Dataset, forecast: BtydForecast) -> None:
    st.subheader("Who is still buying, and what they are worth")
    # Full width: these charts' subtitles say how to read them, and half a page cuts them.
    st.plotly_chart(btyd_plots.plot_p_alive(forecast.customers), width="stretch")
    st.plotly_chart(btyd_plots.plot_clv_spread(forecast.customers), width="stretch")
    st.subheader("Best customers gone quiet")
    st.plotly_chart(btyd_plots.plot_gone_quiet(forecast), width="stretch")
    quiet = forecast.get_gone_quiet()
    if quiet.empty:
        st.markdown("None of your top quarter by spend looks to have stopped buying.")
        return
    shown = [
        c
        for c in (
            forecast.id_column,
            forecast.value_column,
            col.LAST_PURCHASE,
            col.P_ALIVE,
            col.EXPECTED_DAYS_TO_NEXT_PURCHASE,
            col.CLV,
        )
        if c in quiet.columns
    ]
    st.markdown(
        f"**{plural(len(quiet), 'customer')}** among the top quarter by "
        f"{'spend' if forecast.value_column == col.TOTAL_SPEND else 'purchases'} so far have "
        f"probably stopped buying (P(alive) below {LIKELY_ACTIVE:.0%}), biggest first:"
    )
    st.dataframe(
        quiet[shown].head(SHOWN_QUIET),
        hide_index=True,
        width="stretch",
        column_config={
            col.P_ALIVE: st.column_config.ProgressColumn(
                "p_alive", format="percent", min_value=0.0, max_value=1.0
            ),
            col.LAST_PURCHASE: st.column_config.DateColumn(format="YYYY-MM-DD"),
            col.EXPECTED_DAYS_TO_NEXT_PURCHASE: st.column_config.NumberColumn(format="%.0f"),
            col.CLV: st.column_config.NumberColumn(format="%.2f"),
        },
    )
    st.download_button(
        f"Download all {len(quiet):,} (CSV)",
        to_csv_bytes(quiet[shown]),
        download_filename("gone_quiet", dataset.name, "csv"),
        "text/csv",
        icon=":material/download:",
    )


def _trust(dataset: Dataset) -> None:
    st.subheader("Can these forecasts be trusted?")
    checked, why = ls.holdout_forecast(dataset)
    if checked is None:
        st.info(escape_markdown(why), icon=":material/info:")
        return
    actual, predicted = checked.get_holdout_totals() or (0.0, 0.0)
    end = checked.purchases.calibration_end
    st.markdown(
        f"{escape_markdown(why)} The models predicted **{predicted:,.0f}** repeat purchases in "
        f"that period; customers made **{actual:,.0f}** "
        f"({(predicted - actual) / max(actual, 1):+.0%})."
    )
    st.plotly_chart(
        btyd_plots.plot_cumulative_purchases(get_cumulative_purchases(checked), end),
        width="stretch",
    )
    st.plotly_chart(
        btyd_plots.plot_holdout_by_frequency(get_holdout_by_frequency(checked), end),
        width="stretch",
    )


def _retention(dataset: Dataset) -> None:
    st.subheader("How long customers stay")
    window, _ = ls.chosen_definition(dataset)
    st.caption(
        f"Months from a customer's first activity; a customer silent for more than {window} "
        "days counts as gone on their last active day."
    )
    group = st.selectbox(
        "Compare groups by", [EVERYONE, *ls.retention_groups(dataset)], key="log_retention_group"
    )
    km = ls.retention_curves(dataset, None if group == EVERYONE else group)
    st.plotly_chart(survival_plots.plot_retention_curves(km), width="stretch")
    if reading := describe_logrank(km):
        st.markdown(reading)


def _within(months: float) -> str:
    """``"by 14 months"``; ``"within their first month"`` under one."""
    return "within their first month" if months < 1 else f"by {months:.0f} months"
