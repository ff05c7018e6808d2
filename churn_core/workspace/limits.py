"""How much the workspace keeps: each upload, model and list, and everything together.

The defaults fit Heroku Postgres Essential-0 (1 GB) behind a 512 MB dyno; each can be changed
with an environment variable (in MB). Every check runs before anything is written, so a refused
file leaves the workspace as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from churn_core.errors import ChurnDataError
from churn_core.workspace.faults import refuse

MB = 1024 * 1024
TOO_LARGE = "too_large_for_workspace"


def _mb(variable: str, default: float) -> float:
    try:
        value = float(os.environ.get(variable, default))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Limits:
    """Largest upload, model bundle and list kept, and the whole workspace's quota (MB)."""

    dataset_mb: float = 50.0  # WORKSPACE_MAX_DATASET_MB: the file as uploaded
    model_mb: float = 100.0  # WORKSPACE_MAX_MODEL_MB: one compressed bundle
    list_mb: float = 50.0  # WORKSPACE_MAX_LIST_MB: one compressed list
    quota_mb: float = 950.0  # WORKSPACE_QUOTA_MB: everything stored (leaves room for indexes)

    @classmethod
    def from_environment(cls) -> Limits:
        return cls(
            dataset_mb=_mb("WORKSPACE_MAX_DATASET_MB", cls.dataset_mb),
            model_mb=_mb("WORKSPACE_MAX_MODEL_MB", cls.model_mb),
            list_mb=_mb("WORKSPACE_MAX_LIST_MB", cls.list_mb),
            quota_mb=_mb("WORKSPACE_QUOTA_MB", cls.quota_mb),
        )

    def check(self, what: str, size: int, limit_mb: float, used: int, stored: int) -> None:
        """Refuse ``what`` (``size`` bytes, ``stored`` once compressed) when it is over its own
        limit or would take the workspace (``used`` bytes now) over the quota."""
        if size > limit_mb * MB:
            raise _too_large(
                f"{what[:1].upper()}{what[1:]} is {_mb_text(size / MB)} MB; the workspace "
                f"keeps up to {_mb_text(limit_mb)} MB each, so it was not saved.",
                "Use a smaller file (fewer rows or columns), or the command line for large files.",
            )
        if used + stored > self.quota_mb * MB:
            raise _too_large(
                f"The workspace holds {_mb_text(used / MB)} MB of its "
                f"{_mb_text(self.quota_mb)} MB; {what} needs {_mb_text(stored / MB)} MB more, "
                "so it was not saved.",
                "Delete datasets, models or lists you no longer need on the Workspace page, or "
                "move to a larger database plan and raise WORKSPACE_QUOTA_MB.",
            )


def _mb_text(mb: float) -> str:
    """``1234.5`` -> ``"1,234"``; ``12.34`` -> ``"12.3"``; ``0.0912`` -> ``"0.09"``."""
    if mb >= 100:
        return f"{mb:,.0f}"
    return f"{mb:.1f}" if mb >= 1 else f"{mb:.2f}"


def _too_large(message: str, fix: str) -> ChurnDataError:
    return refuse(message, fix, TOO_LARGE)
