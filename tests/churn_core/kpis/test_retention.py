"""The headline retention and value figures, and revenue at risk as the sum it is defined as."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.kpis.retention import (
    CLV,
    get_high_value_high_risk,
    get_retention_kpis,
)
from churn_core.model.bundle import load_model
from churn_core.model.churn_model import ChurnModel
from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role
from churn_core.survival.clv import ClvAssumptions, get_clv
from churn_core.survival.durations import get_survival_data
from churn_core.survival.kaplan_meier import fit_kaplan_meier, fit_retention_curve
from tests.churn_core.card_issuer import make_card_issuer_customers

DEFAULT_MODEL = Path(__file__).resolve().parents[3] / "models" / "default"


@pytest.fixture(scope="module")
def bundled() -> ChurnModel:
    return load_model(DEFAULT_MODEL)


def test_revenue_at_risk_is_the_sum_of_probability_times_clv_over_current_customers(
    frame: pd.DataFrame, bundled: ChurnModel
) -> None:
    assumptions = ClvAssumptions(0.5, 0.08, 24)
    kpis, _ = get_retention_kpis(
        frame, profile_table(frame), model=bundled, assumptions=assumptions
    )
    current = frame["Churned"] == "No"
    data = get_survival_data(frame, profile_table(frame))
    curve = fit_retention_curve(data)
    clv = get_clv(
        frame.loc[current, "TenureMonths"].to_numpy(float),
        frame.loc[current, "MonthlyCharges"].to_numpy(float),
        curve,
        assumptions,
    )
    p = bundled.predict_proba(frame)[current.to_numpy()]
    assert kpis.revenue_at_risk == pytest.approx(float(np.sum(p * clv)))
    assert kpis.total_clv == pytest.approx(float(clv.sum()))
    assert kpis.average_clv == pytest.approx(float(clv.mean()))
    assert kpis.current_customers == int(current.sum()) == 3750


def test_the_kpis_read_the_curve_and_the_label(frame: pd.DataFrame) -> None:
    kpis, _ = get_retention_kpis(frame, profile_table(frame))
    km = fit_kaplan_meier(get_survival_data(frame, profile_table(frame)))
    curve = km.overall().set_index("month")["retention"]
    assert kpis.retention[12] == curve[12]
    assert kpis.churn_rate == 0.25
    assert kpis.revenue_at_risk is None
    assert kpis.notes["revenue_at_risk"] == "Needs churn probabilities: pass --model DIR."
    assert kpis.median_lifetime_months is None  # fewer than half of the sample left
    assert "so the median lifetime is longer than that" in kpis.notes["median_lifetime"]
    payload = kpis.to_dict()
    assert payload["retention"]["12_months"] == kpis.retention[12]
    assert payload["assumptions"] == {
        "margin": 0.6,
        "annual_discount_rate": 0.1,
        "horizon_months": 36,
    }


def test_without_a_revenue_column_clv_is_blank_and_says_why(frame: pd.DataFrame) -> None:
    profile = profile_table(frame, roles={"MonthlyCharges": Role.NUMERIC})
    kpis, _ = get_retention_kpis(frame, profile)
    assert kpis.average_clv is None and kpis.total_clv is None
    assert kpis.notes["clv"].startswith("No monthly revenue column is set")


def test_high_value_high_risk_are_flagged_customers_in_the_top_quarter_by_clv() -> None:
    values = pd.DataFrame(
        {
            "id": list("abcdefgh"),
            CLV: [100.0, 900.0, 800.0, 50.0, 700.0, 20.0, 10.0, 5.0],
            col.CHURN_PROBABILITY: [0.9, 0.8, 0.1, 0.9, 0.2, 0.3, 0.4, 0.5],
        }
    )
    values[col.EXPECTED_VALUE_AT_RISK] = values[CLV] * values[col.CHURN_PROBABILITY]
    corner, cut = get_high_value_high_risk(values, risk_cut=0.5)
    assert cut == pytest.approx(values[CLV].quantile(0.75))
    assert corner["id"].tolist() == ["b"]


def test_a_card_issuers_retention_before_month_13_is_blank_with_the_reason() -> None:
    cards = make_card_issuer_customers(rows=3000, seed=1)
    kpis, warnings = get_retention_kpis(cards, profile_table(cards))
    assert kpis.retention == {3: None, 6: None, 12: None, 24: None}  # never "100 % at 12 months"
    assert kpis.notes["retention_12"].startswith(
        "No customer in this file is younger than 13 months, so retention before month 13 "
        "cannot be measured"
    )
    assert kpis.measured_from_month == 13.0 and kpis.truncation == kpis.notes["retention_3"]
    among = kpis.conditional_retention[24]
    assert among is not None and 0.5 < among < 1
    assert f"of the customers still with you at month 13, {among:.0%}" in kpis.notes["retention_24"]
    assert kpis.median_lifetime_months is None
    assert "median lifetime of all customers cannot be measured" in kpis.notes["median_lifetime"]
    assert "left_truncated" in {w.code for w in warnings}
    payload = kpis.to_dict()
    assert payload["retention"]["12_months"] is None and payload["measured_from_month"] == 13.0


def test_the_samples_retention_is_measured_from_month_0(frame: pd.DataFrame) -> None:
    kpis, _ = get_retention_kpis(frame, profile_table(frame))
    assert kpis.measured_from_month == 0.0 and kpis.truncation == ""
    assert all(v is not None and 0 < v < 1 for v in kpis.retention.values())
    assert not kpis.conditional_retention
