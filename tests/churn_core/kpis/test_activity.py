"""A log's KPIs: tenure from first activity, lapse from last, active customers, repeat rate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from churn_core.io.reading import read_table
from churn_core.kpis import get_log_kpis
from churn_core.logs import fit_log_model, prepare_activity
from churn_core.schema.profile import profile_table


@pytest.fixture(scope="module")
def france(shared_data: Path) -> tuple[pd.DataFrame, object]:
    frame = read_table(shared_data / "online_retail_france" / "france.csv").frame
    return frame, prepare_activity(frame, profile_table(frame))


def test_active_lapsed_and_repeat_customers_match_the_log_by_hand(
    france: tuple[pd.DataFrame, object],
) -> None:
    frame, activity = france
    kpis, _ = get_log_kpis(activity)  # type: ignore[arg-type]
    lines = frame.dropna(subset=["CustomerID"])
    last = lines.groupby("CustomerID")["InvoiceDate"].max().dt.normalize()
    silent = (pd.Timestamp("2011-12-09") - last).dt.days
    assert kpis.window_days == 60
    assert kpis.lapsed_customers == int((silent > 60).sum())
    assert kpis.active_customers == 87 - kpis.lapsed_customers
    days = lines.assign(day=lines["InvoiceDate"].dt.normalize()).groupby("CustomerID")["day"]
    assert kpis.repeat_rate == pytest.approx((days.nunique() >= 2).mean())
    retention = kpis.retention
    assert retention.churned == kpis.lapsed_customers
    assert retention.churn_rate == pytest.approx(kpis.lapsed_customers / 87)
    assert retention.current_customers == kpis.active_customers
    assert retention.notes["durations"].startswith(
        "Time as a customer from the first activity to the last for customers silent for more "
        "than 60 days"
    )
    assert retention.average_clv is not None and retention.revenue_at_risk is None
    payload = kpis.to_dict()
    assert payload["as_of"] == "2011-12-09" and payload["retention"]["3_months"] is not None


def test_with_a_log_model_the_kpis_give_revenue_at_risk(
    france: tuple[pd.DataFrame, object],
) -> None:
    _, activity = france
    model = fit_log_model(activity)  # type: ignore[arg-type]
    kpis, _ = get_log_kpis(activity, model=model)  # type: ignore[arg-type]
    assert kpis.retention.revenue_at_risk is not None and kpis.retention.revenue_at_risk > 0
