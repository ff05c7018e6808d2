"""The numbers a boss asks for, from a log: active customers, repeat rate, retention and CLV.

A log has no churn column: a customer counts as lapsed (churned) once silent for longer than
the churn window, their time as a customer runs from their first activity to their last (or to
the log's last day while active), and their value comes from their average monthly spend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from churn_core import columns as col
from churn_core.errors import DataWarning
from churn_core.kpis.retention import RetentionKpis, get_retention_kpis
from churn_core.logs import Activity, get_customer_table, suggest_window
from churn_core.model import ChurnModel
from churn_core.survival import ClvAssumptions


@dataclass
class LogKpis:
    """A log's headline figures: its customers now, and retention read from their lifetimes."""

    as_of: date
    window_days: int
    active_customers: int
    lapsed_customers: int
    repeat_rate: float
    retention: RetentionKpis

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "window_days": self.window_days,
            "active_customers": self.active_customers,
            "lapsed_customers": self.lapsed_customers,
            "repeat_rate": self.repeat_rate,
            **self.retention.to_dict(),
        }


def get_log_kpis(
    activity: Activity,
    *,
    model: ChurnModel | None = None,
    window_days: int | None = None,
    triggers: Sequence[str] = (),
    assumptions: ClvAssumptions | None = None,
) -> tuple[LogKpis, list[DataWarning]]:
    """Active and lapsed customers, repeat rate, and the retention KPIs of a log as of its
    last day; with a model trained on a log, revenue at risk too (its churn window, triggers
    and event types are used unless ``window_days`` and ``triggers`` are given)."""
    definition = model.card.get("churn_definition") if model is not None else None
    window = window_days or (
        int(definition["window_days"]) if definition else suggest_window(activity)[0]
    )
    types = list(model.card["log"]["event_types"]) if definition and model is not None else None
    if not triggers and definition:
        triggers = list(definition.get("triggers", []))
    table = get_customer_table(activity, window_days=window, triggers=triggers, event_types=types)
    retention, warnings = get_retention_kpis(
        table.frame,
        table.retention_profile,
        model=model if definition else None,
        assumptions=assumptions,
        as_of=table.as_of,
    )
    retention.notes["durations"] = (
        f"Time as a customer from the first activity to the last for customers silent for more "
        f"than {window} days (lapsed), or to {table.as_of:%-d %B %Y} for the others."
    )
    if model is not None and not definition:
        retention.notes["revenue_at_risk"] = "Needs a model trained on a log."
    lapsed = table.lapsed
    repeat = float((table.frame[col.ACTIVE_DAYS] >= 2).mean()) if len(table.frame) else 0.0
    kpis = LogKpis(table.as_of, window, int((~lapsed).sum()), int(lapsed.sum()), repeat, retention)
    return kpis, warnings
