"""Why a customer's risk is what it is: exact SHAP contributions grouped back to the user's
columns, reasons in probability points, actions, one customer scored, and what-if changes.
Charts are in :mod:`churn_core.explain.plots`."""

from churn_core.explain.actions import (
    get_action_plan,
    get_active_actions,
    guess_actionable,
    recommend_actions,
)
from churn_core.explain.advice import (
    CustomerAdvice,
    advise_customers,
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
    TypicalCustomer,
    explain_customer,
    get_typical_customer,
)
from churn_core.explain.levers import (
    DIRECTIONS,
    LEVER_COLUMNS,
    LEVER_KINDS,
    guess_levers,
    read_levers,
)
from churn_core.explain.what_if import (
    Suggestion,
    WhatIf,
    advise_change,
    apply_change,
    check_what_if,
    describe_moves,
    get_what_if_df,
    recompute_derived,
    suggest_change,
)

__all__ = [
    "DIRECTIONS",
    "LEVER_COLUMNS",
    "LEVER_KINDS",
    "ChurnExplainer",
    "CustomerAdvice",
    "CustomerScore",
    "Explanation",
    "Suggestion",
    "TypicalCustomer",
    "WhatIf",
    "advise_change",
    "advise_customers",
    "apply_change",
    "check_what_if",
    "describe_moves",
    "describe_reason",
    "explain_customer",
    "format_value",
    "get_action_plan",
    "get_active_actions",
    "get_dependence_df",
    "get_importance_df",
    "get_top_reasons",
    "get_typical_customer",
    "get_what_if_df",
    "guess_actionable",
    "guess_levers",
    "read_levers",
    "recommend_actions",
    "recompute_derived",
    "suggest_change",
]
