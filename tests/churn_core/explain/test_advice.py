"""Actions for any business: worded by lever kind from the column's own name and value; the
card issuer's engagement and product reasons get specific actions, not "call them"."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from churn_core.explain import (
    ChurnExplainer,
    advise_customers,
    get_top_reasons,
    get_typical_customer,
)
from churn_core.explain.actions import NO_LEVER, describe_action, get_action_plan
from churn_core.io import read_table
from churn_core.model import TYPICAL_NAME, ChurnModel, fit_churn_model
from churn_core.schema import get_feature_frame, profile_table
from tests.churn_core.card_issuer import make_card_issuer_customers
from tests.churn_core.public_like import telecom_path


@pytest.fixture(scope="module")
def card() -> ChurnModel:
    frame = make_card_issuer_customers(6000, seed=11)
    return fit_churn_model(frame, profile_table(frame))


def test_the_card_issuers_engagement_and_product_reasons_get_specific_actions(
    card: ChurnModel,
) -> None:
    model = card
    held_out = make_card_issuer_customers(2000, seed=12)  # customers the model never saw
    p = model.predict_proba(held_out)
    flagged = held_out.iloc[np.flatnonzero(p >= model.threshold)[:150]]
    advice = advise_customers(
        ChurnExplainer(model), flagged, flagged["CLIENTNUM"].tolist(), cutoff=model.threshold
    )
    actions = Counter(a.action for a in advice)
    assert actions[NO_LEVER] <= 0.1 * len(advice)
    by_reason = {a.reasons[0][0]: a.action for a in advice if a.reasons}
    assert by_reason["Total_Trans_Ct"] == (
        "Re-engage them: their Total_Trans_Ct is lower than most (a usage review, reminders, an "
        "offer tied to using it)"
    )
    product = [
        a.action for a in advice if a.reasons and a.reasons[0][0] == "Total_Relationship_Count"
    ]
    assert product and set(product) == {
        "Offer another product: their Total_Relationship_Count is lower than most"
    }
    assert not any("contract" in a.action.lower() for a in advice)


def test_actions_are_worded_by_kind_never_review_whether_no_fits() -> None:
    frame = read_table(telecom_path()).frame
    model = fit_churn_model(frame.sample(3000, random_state=1), profile_table(frame))
    _, actions = get_action_plan(model)
    texts = actions["action"].tolist()
    assert not any("Review whether" in t or "fits their needs" in t for t in texts)
    table = actions.set_index(["column", "when"])["action"]
    assert table["OnlineSecurity", "No"] == (
        "Offer OnlineSecurity: they do not have it yet (a free trial month)"
    )
    assert table["Contract", "Month-to-month"] == (
        "Offer a discount to move from Month-to-month to a longer Contract"
    )
    assert table["Contract", "Two year"] == "Offer a Contract that fits them better than Two year"
    assert table["PaymentMethod", "Electronic check"] == (
        "Help them move from Electronic check to automatic payment"
    )
    assert table["tenure", "low"].startswith("A newer customer (tenure is low)")
    fixed = actions[actions["column"].isin(["gender", "Partner", "SeniorCitizen"])]
    assert set(fixed["action"]) == {""}  # nothing to do about who they are


@pytest.mark.parametrize(
    ("kind", "column", "when", "expected"),
    [
        ("price", "Fee", "high", "Offer a better-value price: their Fee is higher than most"),
        ("service and support", "Tickets", "high", "Call them to resolve their problems"),
        ("engagement and usage", "Days_Inactive", "high", "Re-engage them: their Days_Inactive"),
        ("payment and billing", "Failures", "high", "Help them fix their payment set-up"),
        ("product holding", "HasApp", "0", "Offer HasApp: they do not have it yet"),
    ],
)
def test_each_kind_has_its_own_action(kind: str, column: str, when: str, expected: str) -> None:
    direction = "down" if column == "Days_Inactive" else ""
    assert describe_action(kind, column, when, direction=direction).startswith(expected)


def test_the_typical_customer_is_one_customer_with_one_number(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    typical = get_typical_customer(model)
    explanation = ChurnExplainer(model).explain(pd.DataFrame([typical.values]))
    # the form's typical customer scores what the waterfall starts from, to the point shown
    assert typical.probability == pytest.approx(explanation.base_probability, abs=0.0026)
    assert f"{typical.probability:.0%}" == f"{explanation.base_probability:.0%}"
    assert typical.name == TYPICAL_NAME == "A typical customer"
    assert f"({typical.probability:.0%})" in typical.help
    assert "where every explanation starts" in typical.help
    # a real customer of the training file
    features = get_feature_frame(frame, model.schema)
    same = np.ones(len(features), dtype=bool)
    for column, value in typical.values.items():
        same &= (features[column] == value).to_numpy()
    assert same.any()


def test_the_typical_customer_survives_the_bundle(model: ChurnModel, tmp_path: object) -> None:
    from churn_core.model import load_model, save_model

    path = tmp_path / "m"  # type: ignore[operator]
    save_model(model, path)
    assert load_model(path).typical_customer == model.typical_customer


def test_the_explain_commands_reasons_never_name_a_derived_column_the_model_keeps(
    telecom_kept: tuple[pd.DataFrame, ChurnModel],
) -> None:
    frame, model = telecom_kept
    derived = set(model.schema.derived)
    explainer = ChurnExplainer(model)
    at_risk = frame[model.predict_proba(frame) >= model.base_rate].head(600)
    raw = get_top_reasons(explainer.explain(at_risk), n=3)
    rows = [i for i, found in enumerate(raw) if {c for c, _, _ in found} & derived]
    assert len(rows) >= 5  # customers whose strongest reasons would name them
    customers = at_risk.iloc[rows]
    advice = advise_customers(
        explainer, customers, customers["customerID"].tolist(), cutoff=model.threshold
    )
    named = {column for a in advice for column, _, _ in a.reasons}
    assert named and not named & derived
