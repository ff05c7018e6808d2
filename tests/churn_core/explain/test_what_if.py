"""One customer: score, band, reasons, and a what-if suggestion that really lowers the risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.columns import HIGH, LOW, MEDIUM, RISK_BANDS
from churn_core.explain.actions import guess_actionable
from churn_core.explain.what_if import Suggestion, suggest_change
from churn_core.model.churn_model import ChurnModel
from churn_core.model.policies import get_band


@pytest.fixture(scope="module")
def actionable(model: ChurnModel) -> list[str]:
    guess = guess_actionable(model.schema)
    return guess.loc[guess["actionable"], "column"].tolist()


def _customers(frame: pd.DataFrame, model: ChurnModel, band: str) -> list[dict[str, object]]:
    p = model.predict_proba(frame)
    bands = [get_band(x, cutoff=model.threshold, base_rate=model.base_rate) for x in p]
    return [frame.iloc[i].to_dict() for i in np.flatnonzero(np.array(bands) == band)[:25]]


@pytest.mark.parametrize("band", [HIGH, MEDIUM])
def test_the_suggestion_really_lowers_the_band_when_applied(
    model: ChurnModel, frame: pd.DataFrame, actionable: list[str], band: str
) -> None:
    customers = _customers(frame, model, band)
    assert customers
    found = 0
    for customer in customers:
        suggestion = suggest_change(model, customer, actionable, cutoff=model.threshold)
        if suggestion is None:
            continue
        found += 1
        after = float(model.predict_proba(pd.DataFrame([suggestion.apply(customer)]))[0])
        assert after == pytest.approx(suggestion.after, abs=1e-12)
        assert after < suggestion.before
        assert RISK_BANDS.index(suggestion.band_after) > RISK_BANDS.index(band)
        assert set(suggestion.changes) <= set(actionable) and len(suggestion.changes) <= 2
    assert found >= len(customers) // 2


def test_a_low_risk_customer_needs_no_suggestion(
    model: ChurnModel, frame: pd.DataFrame, actionable: list[str]
) -> None:
    customer = _customers(frame, model, LOW)[0]
    assert suggest_change(model, customer, actionable, cutoff=model.threshold) is None


def test_nothing_actionable_means_no_suggestion(model: ChurnModel, frame: pd.DataFrame) -> None:
    customer = _customers(frame, model, HIGH)[0]
    assert suggest_change(model, customer, [], cutoff=model.threshold) is None


def test_the_smallest_change_is_chosen(model: ChurnModel, frame: pd.DataFrame) -> None:
    # A month-to-month customer near the cut-off: one contract switch is enough (size 1).
    p = model.predict_proba(frame)
    near = np.flatnonzero((p > model.threshold) & (p < model.threshold + 0.05))
    customer = next(
        frame.iloc[i].to_dict() for i in near if frame["Contract"].iloc[i] == "Month-to-month"
    )
    suggestion = suggest_change(model, customer, ["Contract"], cutoff=model.threshold)
    assert suggestion is not None and list(suggestion.changes) == ["Contract"]
    assert suggestion.changes["Contract"][1] in {"One year", "Two year"}
    # With charges allowed too, a price change is chosen only if smaller than a switch: less
    # than the spread of typical charges (10th to 90th percentile).
    both = suggest_change(model, customer, ["Contract", "MonthlyCharges"], cutoff=model.threshold)
    assert both is not None
    if "MonthlyCharges" in both.changes:
        old, new = both.changes["MonthlyCharges"]
        charges = model.schema.ranges["MonthlyCharges"]
        assert abs(new - old) < charges["p90"] - charges["p10"]


def test_the_suggestion_reads_as_a_sentence() -> None:
    one = Suggestion({"Contract": ("Month-to-month", "One year")}, 0.64, 0.31, HIGH, MEDIUM)
    assert one.describe() == (
        "switching Contract to One year lowers risk from 64% to 31% (High to Medium)"
    )
    two = Suggestion(
        {"Contract": ("Month-to-month", "Two year"), "SupportTickets90d": (6.0, 2.0)},
        0.8,
        0.1,
        HIGH,
        LOW,
    )
    assert two.describe() == (
        "switching Contract to Two year and changing SupportTickets90d from 6 to 2 lowers "
        "risk from 80% to 10% (High to Low)"
    )


def test_a_best_move_worth_less_than_a_point_is_not_called_lowering_risk() -> None:
    from churn_core.explain.what_if import _why_none

    tried, customer = [{"IsActiveMember": 1}], {"IsActiveMember": 0}
    why = _why_none(tried, np.array([0.996]), 0.998, "High", customer)
    assert why == (
        "No move open to you lowers their risk by even a point: the best, changing "
        "IsActiveMember from 0 to 1, leaves it at 100%. Act on their reasons instead."
    )
    why = _why_none(tried, np.array([0.62]), 0.9, "High", customer)
    assert why.startswith("No move open to you lowers their band: the best, changing")
