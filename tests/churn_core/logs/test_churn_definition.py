"""Churn by inactivity: the window from the log's rhythm, cutoffs a window apart, the label by
hand, triggers, and a log too short said in words."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.logs import (
    Activity,
    ChurnDefinition,
    define_churn,
    label_customers,
    plan_cutoffs,
    prepare_activity,
    suggest_window,
)
from churn_core.schema.log_roles import LogRoles

ROLES = LogRoles.from_dict({"User": "customer", "When": "timestamp", "Event": "event_type"})


def event_log(rows: list[tuple[str, str, str]]) -> Activity:
    frame = pd.DataFrame(rows, columns=["User", "When", "Event"])
    frame["When"] = pd.to_datetime(frame["When"])
    return prepare_activity(frame, roles=ROLES)


def test_the_default_window_follows_each_logs_rhythm(
    cdnow: tuple[object, object, Activity],
    france: tuple[object, object, Activity],
    events: tuple[object, object, Activity],
) -> None:
    assert suggest_window(france[2]) == (
        60,
        "4 returns in 5 come within 59 days of a customer's previous active day, so 60 days "
        "without any activity is taken as churn.",
    )
    assert suggest_window(cdnow[2])[0] == 180
    assert suggest_window(events[2])[0] == 30


def test_a_log_too_short_for_its_rhythm_gets_the_longest_window_that_fits() -> None:
    rows = [(f"U{i}", f"2024-01-{1 + i:02d}", "Login") for i in range(20)]
    rows += [(f"U{i}", "2024-06-10", "Login") for i in range(20)]  # 5 months between visits
    window, reason = suggest_window(event_log(rows))
    assert window == 60  # 162 days of log: 180 would need 390
    assert reason.startswith("4 returns in 5 come within 157 days, which suggests 180 days;")
    assert reason.endswith("so 60 days without any activity is taken as churn.")


def test_cutoffs_step_back_a_window_from_the_last_fully_seen_one(
    france: tuple[object, object, Activity],
) -> None:
    cutoffs = plan_cutoffs(france[2], 60)
    assert cutoffs == (
        date(2011, 2, 13),
        date(2011, 4, 14),
        date(2011, 6, 13),
        date(2011, 8, 12),
        date(2011, 10, 11),  # held out: its 60 days end on the log's last day, 9 December
    )


def test_the_definition_in_words_and_as_fields(france: tuple[object, object, Activity]) -> None:
    definition = define_churn(france[2])
    assert definition.describe() == (
        "A customer has churned when they have no activity in the 60 days after a cutoff. The "
        "model learns from customers active at 4 cutoffs from 13 February 2011 to 12 August "
        "2011, and is tested on those active on 11 October 2011, whose next 60 days it never "
        "saw."
    )
    saved = json.loads(json.dumps(definition.to_dict()))
    assert saved["window_days"] == 60 and saved["held_out_cutoff"] == "2011-10-11"
    assert ChurnDefinition.from_dict(saved) == definition


def test_a_log_shorter_than_the_window_needs_says_what_is_needed() -> None:
    activity = event_log([("U1", "2024-01-01", "Login"), ("U1", "2024-04-09", "Login")])
    with pytest.raises(ChurnDataError) as caught:
        define_churn(activity, 90)
    assert [p.code for p in caught.value.problems] == ["log_too_short"]
    assert str(caught.value) == (
        "The log covers 100 days (1 January 2024 to 9 April 2024); a 90-day churn window needs "
        "at least 210: 30 days of history, 90 days to see who churned after a training cutoff, "
        "and 90 more to test the model on later customers. Export a longer history or choose "
        "a shorter window (30 days fits), then train again."
    )


def test_churned_means_no_activity_in_the_window_after_the_cutoff_by_hand() -> None:
    activity = event_log(
        [
            ("A", "2024-02-20", "Login"),
            ("A", "2024-03-10", "Login"),  # back within 30 days: stayed
            ("B", "2024-02-25", "Login"),  # never back: churned
            ("C", "2024-01-05", "Login"),  # silent 56 days at the cutoff: gone already
            ("C", "2024-03-05", "Login"),
            ("D", "2024-02-28", "Login"),
            ("D", "2024-03-31", "Login"),  # back on day 31: too late, churned
        ]
    )
    active, churned = label_customers(activity, date(2024, 3, 1), 30)
    assert active.tolist() == [True, True, False, True]
    assert churned.tolist() == [False, True, False, True]


def test_a_trigger_event_in_the_window_means_churned_and_before_it_gone_already() -> None:
    activity = event_log(
        [
            ("A", "2024-02-20", "Login"),
            ("A", "2024-03-10", "Cancel"),  # back, but to cancel
            ("B", "2024-02-27", "Cancel"),  # cancelled before the cutoff
            ("B", "2024-02-28", "Login"),
            ("C", "2024-02-25", "Login"),
            ("C", "2024-03-02", "Login"),
        ]
    )
    cutoff = date(2024, 3, 1)
    assert label_customers(activity, cutoff, 30)[1].tolist() == [False, True, False]
    active, churned = label_customers(activity, cutoff, 30, ["Cancel"])
    assert active.tolist() == [True, False, True]
    assert churned.tolist() == [True, True, False]


def test_triggers_must_be_event_types_of_the_log(events: tuple[object, object, Activity]) -> None:
    definition = define_churn(events[2], 30, ["Cancel"])
    assert definition.triggers == ("Cancel",)
    assert "or do Cancel in them" in definition.describe()
    with pytest.raises(ChurnDataError) as caught:
        define_churn(events[2], 30, ["Cancellation Confirmation"])
    assert str(caught.value).startswith(
        "'Cancellation Confirmation' is not an event type of this log; its event types are "
        '"Login", "Purchase"'
    )


def test_a_window_of_zero_days_is_refused(events: tuple[object, object, Activity]) -> None:
    with pytest.raises(ValueError, match="window_days must be 1 or more"):
        define_churn(events[2], 0)


def test_every_held_out_window_comes_after_every_training_window(
    cdnow: tuple[object, object, Activity],
    events: tuple[object, object, Activity],
) -> None:
    for activity in (cdnow[2], events[2]):
        definition = define_churn(activity)
        held_out = np.datetime64(definition.held_out_cutoff)
        for cutoff in definition.training_cutoffs:
            window_end = np.datetime64(cutoff) + np.timedelta64(definition.window_days, "D")
            assert window_end <= held_out
