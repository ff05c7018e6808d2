"""The churn model: training with honest held-out evaluation next to a one-rule baseline,
calibration, the model card, bundles on disk, and who to flag (threshold policies). Charts of
its quality are in :mod:`churn_core.model.plots`."""

from churn_core.model.baseline import (
    OneRule,
    fit_one_rule,
)
from churn_core.model.bundle import (
    check_columns,
    dump_model,
    get_mismatches,
    load_model,
    load_model_bytes,
    read_card,
    save_model,
)
from churn_core.model.card import (
    METRIC_DEFINITIONS,
    describe_model,
    describe_value,
    get_derived_df,
    get_leaderboard,
)
from churn_core.model.churn_model import (
    FORMAT,
    FORMAT_VERSION,
    ChurnModel,
    Evaluation,
    model_threads,
)
from churn_core.model.curves import (
    CALIBRATION_COLUMNS,
    get_calibration_bins,
)
from churn_core.model.metrics import (
    TOP_SHARE,
    best_f1_threshold,
    get_metrics,
    get_top_share_recall,
    top_decile_lift,
)
from churn_core.model.policies import (
    BEST_F1,
    CAPACITY,
    PROFIT,
    Flagging,
    Policy,
    PolicyValue,
    apply_policy,
    get_band,
    get_policy_value,
)
from churn_core.model.quality import (
    ANALYST_METRICS,
    QualityReading,
    describe_catch,
    describe_quality,
)
from churn_core.model.training import (
    CANDIDATES,
    Progress,
    fit_churn_model,
    get_held_out_positions,
)
from churn_core.model.typical import (
    TYPICAL_NAME,
    describe_typical,
    find_typical_customer,
)

__all__ = [
    "ANALYST_METRICS",
    "BEST_F1",
    "CALIBRATION_COLUMNS",
    "CANDIDATES",
    "CAPACITY",
    "FORMAT",
    "FORMAT_VERSION",
    "METRIC_DEFINITIONS",
    "PROFIT",
    "TOP_SHARE",
    "TYPICAL_NAME",
    "ChurnModel",
    "Evaluation",
    "Flagging",
    "OneRule",
    "Policy",
    "PolicyValue",
    "Progress",
    "QualityReading",
    "apply_policy",
    "best_f1_threshold",
    "check_columns",
    "describe_catch",
    "describe_model",
    "describe_quality",
    "describe_typical",
    "describe_value",
    "dump_model",
    "find_typical_customer",
    "fit_churn_model",
    "fit_one_rule",
    "get_band",
    "get_calibration_bins",
    "get_derived_df",
    "get_held_out_positions",
    "get_leaderboard",
    "get_metrics",
    "get_mismatches",
    "get_policy_value",
    "get_top_share_recall",
    "load_model",
    "load_model_bytes",
    "model_threads",
    "read_card",
    "save_model",
    "top_decile_lift",
]
