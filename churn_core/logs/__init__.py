"""Logs in: purchase and event logs rolled up to customers, churn defined by inactivity, models
trained and tested in time order (against the one-rule baseline and BG/NBD's P(alive)), every
customer of a log scored and valued by BG/NBD and Gamma-Gamma. Charts in
:mod:`churn_core.logs.plots`."""

from churn_core.logs.activity import (
    Activity,
    prepare_activity,
    to_date,
    to_day,
)
from churn_core.logs.benchmark import (
    NO_ACTIVITY_NAME,
    P_ALIVE_NAME,
    Benchmark,
    add_benchmarks,
    get_btyd_benchmarks,
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
from churn_core.logs.purchases import (
    ACTIVITY,
    PURCHASES,
    describe_holdout,
    describe_purchases,
    fit_activity_btyd,
    get_amount_name,
    get_purchase_rows,
    plan_holdout,
    summarize_activity,
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
    value_log_customers,
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
    "ACTIVITY",
    "NO_ACTIVITY_NAME",
    "PURCHASES",
    "P_ALIVE_NAME",
    "SENSITIVITY_WINDOWS",
    "WINDOW_CHOICES",
    "Activity",
    "Benchmark",
    "ChurnDefinition",
    "CustomerTable",
    "ScoredLog",
    "TrainingTable",
    "add_benchmarks",
    "choose_event_types",
    "count_active",
    "define_churn",
    "describe_holdout",
    "describe_purchases",
    "describe_sensitivity",
    "fit_activity_btyd",
    "fit_log_model",
    "get_activity_over_time",
    "get_amount_name",
    "get_btyd_benchmarks",
    "get_customer_roles",
    "get_customer_table",
    "get_labelled_customers",
    "get_purchase_rows",
    "get_return_gaps",
    "get_training_table",
    "get_window_sensitivity",
    "is_log_model",
    "label_customers",
    "plan_cutoffs",
    "plan_holdout",
    "prepare_activity",
    "prepare_for_model",
    "roll_up",
    "score_log",
    "suggest_window",
    "summarize_activity",
    "to_date",
    "to_day",
    "value_log_customers",
]
