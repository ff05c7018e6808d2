"""The churn model: training with honest held-out evaluation next to a one-rule baseline,
calibration, the model card, bundles on disk, and who to flag (threshold policies). Charts of
its quality are in :mod:`churn_core.model.plots`."""

from churn_core.model.baseline import (
    OneRule,
    fit_one_rule,
)
from churn_core.model.bundle import (
    check_columns,
    load_model,
    read_card,
    save_model,
)
from churn_core.model.card import (
    METRIC_DEFINITIONS,
    describe_model,
    describe_value,
    get_leaderboard,
)
from churn_core.model.churn_model import (
    FORMAT,
    FORMAT_VERSION,
    ChurnModel,
    Evaluation,
    model_threads,
)
from churn_core.model.metrics import (
    best_f1_threshold,
    get_metrics,
    top_decile_lift,
)
from churn_core.model.policies import (
    BEST_F1,
    CAPACITY,
    PROFIT,
    Flagging,
    Policy,
    apply_policy,
    get_band,
)
from churn_core.model.training import (
    CANDIDATES,
    Progress,
    fit_churn_model,
)
from churn_core.model.typical import (
    TYPICAL_NAME,
    describe_typical,
    find_typical_customer,
)

__all__ = [
    "BEST_F1",
    "CANDIDATES",
    "CAPACITY",
    "FORMAT",
    "FORMAT_VERSION",
    "METRIC_DEFINITIONS",
    "PROFIT",
    "TYPICAL_NAME",
    "ChurnModel",
    "Evaluation",
    "Flagging",
    "OneRule",
    "Policy",
    "Progress",
    "apply_policy",
    "best_f1_threshold",
    "check_columns",
    "describe_model",
    "describe_typical",
    "describe_value",
    "find_typical_customer",
    "fit_churn_model",
    "fit_one_rule",
    "get_band",
    "get_leaderboard",
    "get_metrics",
    "load_model",
    "model_threads",
    "read_card",
    "save_model",
    "top_decile_lift",
]
