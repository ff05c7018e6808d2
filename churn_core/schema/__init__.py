"""What a table is: each column's role with its reason, the churn label and which value means
left, label leaks, every problem at once (the profile), and the model's input schema."""

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
from churn_core.schema.profile import (
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
)

__all__ = [
    "BLANK",
    "FEATURE_ROLES",
    "LEAK_ACCURACY",
    "ROLE_TITLES",
    "ColumnProfile",
    "Derivation",
    "FeatureSchema",
    "LabelMapping",
    "Profile",
    "Role",
    "churn_indicator",
    "describe_kind",
    "describe_roles",
    "display_value",
    "find_derived_columns",
    "get_churned",
    "get_feature_frame",
    "get_feature_schema",
    "get_unseen_levels",
    "infer_label_mapping",
    "label_counts",
    "name_words",
    "profile_table",
    "single_column_accuracy",
    "split_feature_columns",
    "value_key",
    "word_vote",
]
