"""Churn Workbench engine: read, profile, explore (and later model) customer churn.

Pure Python: never imports streamlit. Pages call these functions and show what comes back.
"""

from churn_core.errors import ChurnDataError, DataWarning, Problem
from churn_core.io import Table, read_table
from churn_core.schema import ColumnProfile, Profile, Role, profile_table

__all__ = [
    "ChurnDataError",
    "ColumnProfile",
    "DataWarning",
    "Problem",
    "Profile",
    "Role",
    "Table",
    "profile_table",
    "read_table",
]
