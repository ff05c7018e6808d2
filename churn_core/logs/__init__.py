"""Logs in: purchase and event logs rolled up to customers, churn defined by inactivity, models
trained and tested in time order, every customer of a log scored. Charts in
:mod:`churn_core.logs.plots`."""

from churn_core.logs.activity import (
    Activity,
    prepare_activity,
    to_date,
    to_day,
)
from churn_core.logs.churn_definition import (
    WINDOW_CHOICES,
    ChurnDefinition,
    define_churn,
    get_return_gaps,
    label_customers,
    plan_cutoffs,
    suggest_window,
)
from churn_core.logs.customers import (
    CustomerTable,
    count_active,
    get_customer_table,
)
from churn_core.logs.rollup import (
    choose_event_types,
    roll_up,
)
from churn_core.logs.scoring import (
    ScoredLog,
    is_log_model,
    prepare_for_model,
    score_log,
)
from churn_core.logs.sensitivity import (
    SENSITIVITY_WINDOWS,
    describe_sensitivity,
    get_window_sensitivity,
)
from churn_core.logs.summaries import get_activity_over_time
from churn_core.logs.training import (
    TrainingTable,
    fit_log_model,
    get_customer_roles,
    get_labelled_customers,
    get_training_table,
)

__all__ = [
    "SENSITIVITY_WINDOWS",
    "WINDOW_CHOICES",
    "Activity",
    "ChurnDefinition",
    "CustomerTable",
    "ScoredLog",
    "TrainingTable",
    "choose_event_types",
    "count_active",
    "define_churn",
    "describe_sensitivity",
    "fit_log_model",
    "get_activity_over_time",
    "get_customer_roles",
    "get_customer_table",
    "get_labelled_customers",
    "get_return_gaps",
    "get_training_table",
    "get_window_sensitivity",
    "is_log_model",
    "label_customers",
    "plan_cutoffs",
    "prepare_activity",
    "prepare_for_model",
    "roll_up",
    "score_log",
    "suggest_window",
    "to_date",
    "to_day",
]
