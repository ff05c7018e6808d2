"""Churn Workbench engine: read, profile, explore (and later model) customer churn.

Pure Python: never imports streamlit. Pages call these functions and show what comes back.
"""

from churn_core.errors import ChurnDataError, DataWarning, Problem
from churn_core.profile import ColumnProfile, Profile, profile_table
from churn_core.reading import Table, read_table
from churn_core.roles import Role

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
