"""Training on a log: leak-free by construction, tested on the latest cutoff (later than anything
seen in training), and the card says how churn was defined."""

from __future__ import annotations

import pandas as pd

from churn_core import columns as col
from churn_core.logs import (
    Activity,
    define_churn,
    fit_log_model,
    get_labelled_customers,
    get_training_table,
    label_customers,
    prepare_activity,
)
from churn_core.model import ChurnModel
from churn_core.schema import Role


def test_the_training_table_stacks_active_customers_and_holds_out_the_latest_cutoff(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    activity = events[2]
    definition = define_churn(activity)
    table = get_training_table(activity, definition)
    cutoffs = table.frame[col.CUTOFF]
    assert sorted(cutoffs.unique()) == [pd.Timestamp(c) for c in definition.cutoffs]
    assert (cutoffs[table.held_out] == pd.Timestamp(definition.held_out_cutoff)).all()
    assert not (cutoffs[~table.held_out] == pd.Timestamp(definition.held_out_cutoff)).any()
    active, churned = label_customers(activity, definition.held_out_cutoff, 30)
    assert table.held_out.sum() == active.sum()
    assert (table.frame.loc[table.held_out, col.CHURNED_IN_WINDOW] == "Yes").sum() == (
        churned[active].sum()
    )
    assert activity.customer_column not in table.frame.columns  # customers repeat over cutoffs
    assert (table.frame[col.DAYS_SINCE_LAST_ACTIVITY] <= 30).all()  # nobody gone already
    roles = table.profile.roles
    assert roles[col.CHURNED_IN_WINDOW] is Role.LABEL
    assert roles[col.DAYS_SINCE_FIRST_ACTIVITY] is Role.TENURE
    assert roles[col.AVERAGE_MONTHLY_SPEND] is Role.REVENUE
    assert roles[col.FIRST_ACTIVITY] is Role.SIGNUP_DATE
    assert roles[col.LATEST.format("Plan")] is Role.CATEGORICAL
    assert table.profile.problems == []


def test_nothing_on_or_after_the_held_out_cutoff_reaches_the_training_rows(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = events
    definition = define_churn(activity)
    table = get_training_table(activity, definition)
    later = frame["Timestamp"] >= pd.Timestamp(definition.held_out_cutoff)
    changed = frame.copy()
    changed.loc[later, "Event"] = "Support complaint"  # the future, rewritten
    changed.loc[later, "Amount"] = 999.0
    again = get_training_table(
        prepare_activity(changed, roles=activity.roles), definition, table.event_types
    )
    pd.testing.assert_frame_equal(
        again.frame[~again.held_out].reset_index(drop=True),
        table.frame[~table.held_out].reset_index(drop=True),
    )
    assert (again.frame[again.held_out].drop(columns=col.CHURNED_IN_WINDOW)).equals(
        table.frame[table.held_out].drop(columns=col.CHURNED_IN_WINDOW)
    )


def test_the_card_carries_the_churn_definition_and_how_to_roll_up_again(
    events_model: ChurnModel, events: tuple[pd.DataFrame, object, Activity]
) -> None:
    card = events_model.card
    definition = card["churn_definition"]
    assert definition["window_days"] == 30
    assert definition["triggers"] == []
    assert definition["held_out_cutoff"] == "2026-06-01"
    assert definition["description"].startswith(
        "A customer has churned when they have no activity in the 30 days after a cutoff."
    )
    assert definition["reason"].startswith("4 returns in 5 come within")
    assert card["log"]["roles"] == events[2].roles.to_dict()
    assert card["log"]["event_types"][:2] == ["Login", "Purchase"]
    assert card["id_column"] == "CustomerID"
    assert card["data"]["test_rows"] == card["log"]["held_out_rows"]
    assert card["data"]["held_out"].startswith("customers active on 1 June 2026 (the latest")


def test_the_model_beats_the_one_rule_baseline_on_the_generated_log(
    events_model: ChurnModel,
) -> None:
    model_auc = events_model.card["metrics"]["roc_auc"]
    baseline_auc = events_model.card["baseline"]["test"]["roc_auc"]
    assert model_auc > 0.7
    assert model_auc > baseline_auc


def test_a_model_learns_from_the_real_purchase_logs(
    cdnow: tuple[pd.DataFrame, object, Activity],
    france: tuple[pd.DataFrame, object, Activity],
) -> None:
    for activity, window in ((cdnow[2], 180), (france[2], 60)):
        card = fit_log_model(activity).card
        assert card["churn_definition"]["window_days"] == window
        assert card["metrics"]["roc_auc"] > 0.6
        assert card["data"]["test_rows"] > 0


def test_trigger_events_go_into_the_definition_and_get_their_own_column(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    activity = events[2]
    definition = define_churn(activity, 30, ["Downgrade"])
    table = get_training_table(activity, definition, event_types=["Login"])
    assert "Downgrade events" not in table.frame.columns  # the event types given are used
    table = get_training_table(activity, definition)
    assert "Downgrade events" in table.frame.columns
    cutoff = definition.held_out_cutoff
    active_t, churned_t = label_customers(activity, cutoff, 30, ["Downgrade"])
    active, churned = label_customers(activity, cutoff, 30)
    both = active_t & active
    assert (churned_t[both] >= churned[both]).all()  # a trigger only ever adds churners
    assert (churned_t[both] > churned[both]).any()


def test_the_labelled_customers_are_the_latest_cutoffs_one_row_each(
    france: tuple[pd.DataFrame, object, Activity],
) -> None:
    activity = france[2]
    definition = define_churn(activity)
    table = get_labelled_customers(activity, definition)
    assert table.held_out.all() and len(table.frame) == 49
    assert set(table.frame[col.CUTOFF]) == {pd.Timestamp(definition.held_out_cutoff)}
    assert len(set(table.ids)) == 49
    assert table.profile.label_column == col.CHURNED_IN_WINDOW
