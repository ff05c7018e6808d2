"""One customer: scored exactly as in the list, with a band and a rank among others."""

from __future__ import annotations

import pandas as pd
import pytest

from churn_core.columns import HIGH, LOW, MEDIUM, RISK_BANDS
from churn_core.explain.contributions import ChurnExplainer
from churn_core.explain.customer import explain_customer
from churn_core.model.churn_model import ChurnModel
from churn_core.model.policies import get_band


def test_one_customer_scores_as_in_the_list(model: ChurnModel, frame: pd.DataFrame) -> None:
    customer = frame.iloc[12].to_dict()
    population = model.predict_proba(frame)
    result = explain_customer(
        ChurnExplainer(model), customer, cutoff=model.threshold, population=population
    )
    assert result.probability == pytest.approx(population[12], abs=1e-12)
    assert result.percentile == pytest.approx((population < population[12]).mean())
    assert result.band == get_band(
        population[12], cutoff=model.threshold, base_rate=model.base_rate
    )
    assert result.describe_rank().startswith("higher than ")


def test_the_typical_customer_can_be_scored(model: ChurnModel) -> None:
    result = explain_customer(
        ChurnExplainer(model), model.schema.typical_customer(), cutoff=model.threshold
    )
    assert 0 < result.probability < 1 and result.band in RISK_BANDS
    assert result.describe_rank() == ""  # no population to compare with


def test_bands_by_hand() -> None:
    assert [get_band(p, cutoff=0.5, base_rate=0.25) for p in (0.5, 0.49, 0.25, 0.1)] == [
        HIGH,
        MEDIUM,
        MEDIUM,
        LOW,
    ]
