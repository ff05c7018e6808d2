"""Why a customer's risk is what it is: exact SHAP contributions grouped back to the user's
columns, reasons in probability points, actions, one customer scored, and what-if changes.
Charts are in :mod:`churn_core.explain.plots`."""

from churn_core.explain.actions import (
    get_action_plan,
    get_active_actions,
    guess_actionable,
    recommend_actions,
)
from churn_core.explain.contributions import (
    ChurnExplainer,
    Explanation,
    describe_reason,
    format_value,
    get_dependence_df,
    get_importance_df,
    get_top_reasons,
)
from churn_core.explain.customer import (
    CustomerScore,
    explain_customer,
)
from churn_core.explain.what_if import (
    Suggestion,
    get_what_if_df,
    suggest_change,
)

__all__ = [
    "ChurnExplainer",
    "CustomerScore",
    "Explanation",
    "Suggestion",
    "describe_reason",
    "explain_customer",
    "format_value",
    "get_action_plan",
    "get_active_actions",
    "get_dependence_df",
    "get_importance_df",
    "get_top_reasons",
    "get_what_if_df",
    "guess_actionable",
    "recommend_actions",
    "suggest_change",
]
