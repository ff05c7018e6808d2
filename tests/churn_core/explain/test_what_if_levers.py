"""No suggestion ever breaks a lever's direction, over hundreds of customers and both model
kinds; derived columns follow their sources; when nothing helps, the reason is said."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from churn_core.columns import LOW, RISK_BANDS
from churn_core.explain import (
    advise_change,
    apply_change,
    check_what_if,
    guess_levers,
    read_levers,
    recompute_derived,
)
from churn_core.model import ChurnModel, get_band
from churn_core.schema import profile_table
from churn_core.schema.levers import allows
from tests.churn_core.public_like import fit_one_kind

KINDS = ("Logistic regression", "Gradient boosting")
CUSTOMERS = 300


@pytest.fixture(scope="module", params=KINDS)
def kind_model(request: pytest.FixtureRequest, frame: pd.DataFrame) -> ChurnModel:
    return fit_one_kind(frame, profile_table(frame), request.param)  # type: ignore[return-value]


def at_risk(model: ChurnModel, frame: pd.DataFrame, n: int) -> list[dict[str, Any]]:
    p = model.predict_proba(frame)
    rows = np.flatnonzero(p >= model.base_rate)[:n]
    return [frame.iloc[i].to_dict() for i in rows]


def test_no_suggestion_breaks_a_levers_direction_for_hundreds_of_customers(
    kind_model: ChurnModel, frame: pd.DataFrame
) -> None:
    model = kind_model
    table = guess_levers(model)
    levers = read_levers(table, model)
    fixed = set(table.loc[table["direction"] == "none", "column"])
    assert {"TenureMonths", "Region"} <= fixed
    customers = at_risk(model, frame, CUSTOMERS)
    assert len(customers) == CUSTOMERS
    suggested = 0
    for customer in customers:
        advice = advise_change(model, customer, table, cutoff=model.threshold)
        suggestion = advice.suggestion
        if suggestion is None:
            assert advice.why  # never silent
            continue
        suggested += 1
        assert not set(suggestion.changes) & fixed
        for column, (before, after) in suggestion.changes.items():
            assert column in levers
            assert allows(levers[column].direction, before, after), (column, before, after)
        p = float(model.predict_proba(pd.DataFrame([suggestion.apply(customer)]))[0])
        assert p == pytest.approx(suggestion.after, abs=1e-9)
        band = get_band(p, cutoff=model.threshold, base_rate=model.base_rate)
        assert RISK_BANDS.index(band) > RISK_BANDS.index(advice.band)
    assert suggested >= CUSTOMERS // 3


def test_a_price_is_only_ever_suggested_down(kind_model: ChurnModel, frame: pd.DataFrame) -> None:
    moves = []
    for customer in at_risk(kind_model, frame, CUSTOMERS):
        suggestion = advise_change(kind_model, customer, ["MonthlyCharges"], cutoff=0.5).suggestion
        if suggestion is not None:
            moves.append(suggestion.changes["MonthlyCharges"])
    assert all(after < before for before, after in moves)


def test_derived_columns_kept_in_the_model_follow_their_sources(
    telecom_kept: tuple[pd.DataFrame, ChurnModel],
) -> None:
    frame, model = telecom_kept
    derived = {d.column: d for d in model.derived}
    assert set(model.schema.derived) == {"TotalCharges", "MonthlyCharges"}
    customer = frame.loc[frame["StreamingTV"].eq("No")].iloc[0].to_dict()
    after, recomputed = apply_change(customer, {"StreamingTV": "Yes"}, model.derived)
    amount = derived["MonthlyCharges"].formula["amounts"]["StreamingTV"]["Yes"]
    assert after["MonthlyCharges"] == pytest.approx(customer["MonthlyCharges"] + amount, abs=0.01)
    # the running total follows the new price, month for month
    rise = customer["tenure"] * (after["MonthlyCharges"] - customer["MonthlyCharges"])
    assert after["TotalCharges"] - customer["TotalCharges"] == pytest.approx(rise, rel=0.01)
    assert set(recomputed) == {"MonthlyCharges", "TotalCharges"}


def test_suggestions_never_move_a_derived_column_and_keep_the_customer_consistent(
    telecom_kept: tuple[pd.DataFrame, ChurnModel],
) -> None:
    frame, model = telecom_kept
    table = guess_levers(model)
    derived = table["column"].isin(["TotalCharges", "MonthlyCharges"])
    assert set(table.loc[derived, "direction"]) == {"none"}
    found = 0
    for customer in at_risk(model, frame, 150):
        suggestion = advise_change(model, customer, table, cutoff=model.threshold).suggestion
        if suggestion is None:
            continue
        found += 1
        assert not {"TotalCharges", "MonthlyCharges"} & set(suggestion.changes)
        moved = set(suggestion.changes)
        for derivation in model.derived:
            if moved & set(derivation.sources):
                assert derivation.column in suggestion.recomputed
        p = float(model.predict_proba(pd.DataFrame([suggestion.apply(customer)]))[0])
        assert p == pytest.approx(suggestion.after, abs=1e-9)
    assert found


def test_a_low_risk_customer_is_told_nothing_needs_to_change(
    kind_model: ChurnModel, frame: pd.DataFrame
) -> None:
    p = kind_model.predict_proba(frame)
    customer = frame.iloc[int(np.argmin(p))].to_dict()
    advice = advise_change(kind_model, customer, None, cutoff=kind_model.threshold)
    assert advice.band == LOW and advice.suggestion is None
    assert advice.why.startswith("Already in the Low band")


def test_with_no_lever_the_why_says_so(kind_model: ChurnModel, frame: pd.DataFrame) -> None:
    customer = at_risk(kind_model, frame, 1)[0]
    advice = advise_change(kind_model, customer, ["Region"], cutoff=kind_model.threshold)
    assert advice.suggestion is None
    assert advice.why.startswith("None of the columns this model uses is something you can change")


def test_a_move_that_backfires_is_said_in_plain_words_with_why(
    telecom_kept: tuple[pd.DataFrame, ChurnModel],
) -> None:
    frame, model = telecom_kept
    said = [
        line
        for customer in at_risk(model, frame, 60)
        for line in advise_change(model, customer, None, cutoff=model.threshold).backfires
    ]
    assert said
    assert all(" would raise their risk from " in line for line in said)
    assert any("The model learned who has it, not what giving it" in line for line in said)


def test_a_typed_in_discount_on_a_derived_price_is_explained_not_believed(
    telecom_kept: tuple[pd.DataFrame, ChurnModel],
) -> None:
    frame, model = telecom_kept
    customer = at_risk(model, frame, 1)[0]
    price = customer["MonthlyCharges"]
    (note,) = check_what_if(model, customer, {"MonthlyCharges": price - 20})
    assert re.match(
        rf"Changing MonthlyCharges from {price:,.2f} to {price - 20:,.2f} takes their risk from "
        r"\d+% to \d+% in this model, but MonthlyCharges is about a sum of fixed amounts for each "
        "value of InternetService, ",
        note,
    ), note
    assert note.endswith(
        "and 4 more: the model cannot tell price apart from what it pays for, so a discount "
        "alone describes no real customer. Change those columns instead."
    )
    raised = [
        check_what_if(model, c, {"StreamingTV": "Yes"})
        for c in at_risk(model, frame, 80)
        if c["StreamingTV"] == "No"
    ]
    assert any(n and " raises their risk from " in n[0] for n in raised)


def test_a_typed_in_move_against_a_direction_or_on_a_non_lever_is_said(
    kind_model: ChurnModel, frame: pd.DataFrame
) -> None:
    customer = at_risk(kind_model, frame, 1)[0]
    notes = check_what_if(
        kind_model,
        customer,
        {"MonthlyCharges": customer["MonthlyCharges"] + 30, "Region": "Elsewhere"},
    )
    assert notes[0].startswith("MonthlyCharges moves only lower: ")
    assert notes[1] == "Region is not something you change for a customer (see the levers)."
    assert check_what_if(kind_model, customer, {}) == []


def test_a_typed_in_move_keeps_the_customer_consistent_and_a_derived_column_typed_alone_is_said(
    telecom_kept: tuple[pd.DataFrame, ChurnModel],
) -> None:
    frame, model = telecom_kept
    customer = frame.loc[frame["StreamingTV"].eq("No") & frame["tenure"].gt(10)].iloc[0].to_dict()
    after, recomputed = recompute_derived(model, customer, {"StreamingTV": "Yes"})
    assert set(recomputed) == {"MonthlyCharges", "TotalCharges"}
    assert after["MonthlyCharges"] > customer["MonthlyCharges"]
    assert after["TotalCharges"] > customer["TotalCharges"]
    # the same move with the derived columns as they follow: nothing to say about them
    assert not [n for n in check_what_if(model, customer, after) if "describes no real" in n]
    # a derived column the person typed keeps their value, and is said to describe no one
    typed = {"StreamingTV": "Yes", "TotalCharges": 5.0}
    after, recomputed = recompute_derived(model, customer, typed)
    assert after["TotalCharges"] == 5.0 and set(recomputed) == {"MonthlyCharges"}
    notes = check_what_if(model, customer, typed)
    (alone,) = [n for n in notes if "describes no real customer" in n]
    assert "TotalCharges is a running total: about tenure x MonthlyCharges" in alone
    assert alone.endswith(
        "cannot tell it apart from them, so changing TotalCharges alone "
        "describes no real customer. Change those columns instead."
    )
