"""The monthly loop: this month's list against the last one (movers), the last list against
who really left (the track record), this month's customers against the training data (drift
in business words), whether to retrain, and a one-page summary for the boss. Charts are in
:mod:`churn_core.monitoring.plots`."""

from churn_core.monitoring.drift import DriftReport, get_drift
from churn_core.monitoring.lists import get_id_keys, read_list
from churn_core.monitoring.movers import MOVEMENTS, Movers, get_movers
from churn_core.monitoring.outcomes import Outcomes, read_outcome_label, read_outcomes
from churn_core.monitoring.retrain import RetrainAdvice, advise_retrain
from churn_core.monitoring.summary import get_summary_html
from churn_core.monitoring.track_record import (
    TrackRecord,
    check_list,
    get_track_history,
    get_track_record,
)

__all__ = [
    "MOVEMENTS",
    "DriftReport",
    "Movers",
    "Outcomes",
    "RetrainAdvice",
    "TrackRecord",
    "advise_retrain",
    "check_list",
    "get_drift",
    "get_id_keys",
    "get_movers",
    "get_summary_html",
    "get_track_history",
    "get_track_record",
    "read_list",
    "read_outcome_label",
    "read_outcomes",
]
