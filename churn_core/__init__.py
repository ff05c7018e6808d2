"""Churn Workbench engine: who is about to leave, why, what it is worth, which groups behave alike.

Pure Python (pandas, scikit-learn, SHAP, lifelines, Plotly); never imports streamlit. Its concept
packages, lowest layer first (a package imports only from those before it; see
``docs/architecture.md``):

========== ================================================================================
io         read users' files (CSV, TSV, XLSX, Parquet), clean numbers and dates, safe downloads
datasets   the bundled synthetic sample
schema     column roles, the churn label, leaks, the profile, the model's input schema
explore    churn rate by column, distributions, correlations, blanks (and their charts)
survival   durations, retention curves, hazard ratios, CLV from retention
btyd       buy till you die: BG/NBD and Gamma-Gamma on a purchase log, P(alive), CLV
segments   groups of customers who behave alike, named, with a play each
model      training, the baseline, calibration, the card, bundles, who to flag
explain    exact SHAP reasons in the user's columns, actions, one customer, what-if
risk       the at-risk list: scored, valued, ranked, flagged, explained; streamed or on Spark
logs       purchase and event logs: rolled up to customers, churn by inactivity, trained in time,
           valued by BG/NBD and Gamma-Gamma
kpis       the numbers a boss asks for
monitoring the monthly loop: movers, what happened to a list, drift, when to retrain, a summary
workspace  keeps uploads, models (signed, one in use), lists (and how they turned out), settings
========== ================================================================================

The main verbs are importable from here (``from churn_core import read_table``); each is loaded
on first use, so ``import churn_core`` itself costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: The main verbs and types, and the module each lives in.
_WHERE = {
    "ChurnDataError": "errors",
    "DataWarning": "errors",
    "Problem": "errors",
    "Table": "io",
    "read_table": "io",
    "generate_customers": "datasets",
    "Profile": "schema",
    "Role": "schema",
    "profile_table": "schema",
    "fit_kaplan_meier": "survival",
    "get_survival_data": "survival",
    "ClvAssumptions": "survival",
    "fit_segments": "segments",
    "ChurnModel": "model",
    "Policy": "model",
    "fit_churn_model": "model",
    "load_model": "model",
    "save_model": "model",
    "ChurnExplainer": "explain",
    "explain_customer": "explain",
    "get_at_risk_list": "risk",
    "score_customers": "risk",
    "score_file": "risk",
    "add_reasons": "risk",
    "prepare_activity": "logs",
    "roll_up": "logs",
    "fit_log_model": "logs",
    "score_log": "logs",
    "get_headline_kpis": "kpis",
    "get_retention_kpis": "kpis",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"churn_core.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'churn_core' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first use
    from churn_core.datasets import generate_customers  # noqa: F401
    from churn_core.errors import ChurnDataError, DataWarning, Problem  # noqa: F401
    from churn_core.explain import ChurnExplainer, explain_customer  # noqa: F401
    from churn_core.io import Table, read_table  # noqa: F401
    from churn_core.kpis import get_headline_kpis, get_retention_kpis  # noqa: F401
    from churn_core.logs import fit_log_model, prepare_activity, roll_up, score_log  # noqa: F401
    from churn_core.model import ChurnModel, Policy, fit_churn_model, load_model, save_model  # noqa: F401
    from churn_core.risk import add_reasons, get_at_risk_list, score_customers, score_file  # noqa: F401
    from churn_core.schema import Profile, Role, profile_table  # noqa: F401
    from churn_core.segments import fit_segments  # noqa: F401
    from churn_core.survival import ClvAssumptions, fit_kaplan_meier, get_survival_data  # noqa: F401
