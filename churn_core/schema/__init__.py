"""What a table is: each column's role with its reason, the churn label and which value means
left, label leaks, every problem at once (the profile), and the model's input schema; or, for a
log (many dated rows per customer), its kind, log roles and problems."""

from churn_core.schema.derived import (
    Derivation,
    find_derived_columns,
)
from churn_core.schema.features import (
    BLANK,
    FeatureSchema,
    get_feature_frame,
    get_feature_schema,
    get_unseen_levels,
    split_feature_columns,
)
from churn_core.schema.identifiers import (
    check_one_row_per_customer,
    find_non_measure,
    find_repeated_ids,
    get_id_columns,
    get_non_measures,
)
from churn_core.schema.labels import (
    LabelMapping,
    churn_indicator,
    display_value,
    infer_label_mapping,
    label_counts,
    name_words,
    value_key,
    word_vote,
)
from churn_core.schema.leakage import (
    LEAK_ACCURACY,
    single_column_accuracy,
)
from churn_core.schema.log_checks import find_cancellations
from churn_core.schema.log_profile import (
    CUSTOMERS,
    EVENTS,
    LOG_SHAPES,
    SHAPES,
    TRANSACTIONS,
    LogSummary,
    detect_shape,
)
from churn_core.schema.log_roles import (
    LOG_ROLE_TITLES,
    LogRole,
    LogRoles,
    detect_log_roles,
)
from churn_core.schema.profile import (
    TRAINING_ONLY_PROBLEMS,
    ColumnProfile,
    Profile,
    describe_roles,
    get_churned,
    profile_table,
)
from churn_core.schema.roles import (
    FEATURE_ROLES,
    ROLE_TITLES,
    Role,
    describe_kind,
    tenure_name_score,
)

__all__ = [
    "BLANK",
    "CUSTOMERS",
    "EVENTS",
    "FEATURE_ROLES",
    "LEAK_ACCURACY",
    "LOG_ROLE_TITLES",
    "LOG_SHAPES",
    "ROLE_TITLES",
    "SHAPES",
    "TRAINING_ONLY_PROBLEMS",
    "TRANSACTIONS",
    "ColumnProfile",
    "Derivation",
    "FeatureSchema",
    "LabelMapping",
    "LogRole",
    "LogRoles",
    "LogSummary",
    "Profile",
    "Role",
    "check_one_row_per_customer",
    "churn_indicator",
    "describe_kind",
    "describe_roles",
    "detect_log_roles",
    "detect_shape",
    "display_value",
    "find_cancellations",
    "find_derived_columns",
    "find_non_measure",
    "find_repeated_ids",
    "get_churned",
    "get_feature_frame",
    "get_feature_schema",
    "get_id_columns",
    "get_non_measures",
    "get_unseen_levels",
    "infer_label_mapping",
    "label_counts",
    "name_words",
    "profile_table",
    "single_column_accuracy",
    "split_feature_columns",
    "tenure_name_score",
    "value_key",
    "word_vote",
]
