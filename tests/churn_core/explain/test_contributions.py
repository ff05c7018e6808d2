"""Explanations must be exact: per customer, base + contributions = the model's own output."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from churn_core.datasets.customers import PLANTED_DRIVERS
from churn_core.explain.contributions import (
    ChurnExplainer,
    get_dependence_df,
    get_importance_df,
    get_piece_columns,
    get_top_reasons,
    group_pieces,
    to_points,
)
from churn_core.model.churn_model import ChurnModel
from churn_core.model.encoding import build_preprocessor
from churn_core.schema.features import FeatureSchema, get_feature_frame

#: The four drivers the sample plants strongly (the others are "mild").
STRONG_DRIVERS = {"Contract", "PaymentFailures12m", "SupportTickets90d", "UsageTrendPct"}


@pytest.fixture(scope="module")
def tree_model(model: ChurnModel, frame: pd.DataFrame) -> ChurnModel:
    """Gradient boosting on the sample's columns, with a calibration that is not the identity."""
    features = get_feature_frame(frame, model.schema)
    y = frame["Churned"].eq("Yes").to_numpy()
    pipeline = Pipeline(
        [
            ("prepare", build_preprocessor(model.schema, scale=False)),
            ("model", HistGradientBoostingClassifier(max_iter=60, random_state=0)),
        ]
    ).fit(features, y)
    return ChurnModel(pipeline, 0.8, -0.3, model.schema, model.card)


@pytest.fixture(scope="module", params=["linear", "tree"])
def any_model(request: pytest.FixtureRequest, model: ChurnModel, tree_model: ChurnModel):  # type: ignore[no-untyped-def]
    return model if request.param == "linear" else tree_model


def test_the_sample_model_is_linear_and_the_tree_fixture_is_not(
    model: ChurnModel, tree_model: ChurnModel
) -> None:
    assert model.is_linear and not tree_model.is_linear


def test_base_plus_contributions_equals_the_models_log_odds_for_every_row(
    any_model: ChurnModel, frame: pd.DataFrame
) -> None:
    explanation = ChurnExplainer(any_model).explain(frame)
    p = any_model.predict_proba(frame)
    rebuilt = explanation.base_log_odds + explanation.log_odds.sum(axis=1)
    np.testing.assert_allclose(rebuilt, logit(p), atol=1e-9)


def test_base_plus_points_equals_the_models_probability_for_every_row(
    any_model: ChurnModel, frame: pd.DataFrame
) -> None:
    explanation = ChurnExplainer(any_model).explain(frame)
    p = any_model.predict_proba(frame)
    np.testing.assert_allclose(explanation.probability, p, atol=1e-12)
    rebuilt = explanation.base_probability + explanation.points.sum(axis=1) / 100
    np.testing.assert_allclose(rebuilt, p, atol=1e-12)


def test_points_keep_the_sign_of_each_log_odds_contribution(
    any_model: ChurnModel, frame: pd.DataFrame
) -> None:
    explanation = ChurnExplainer(any_model).explain(frame)
    big = np.abs(explanation.log_odds) > 1e-9
    assert (np.sign(explanation.points[big]) == np.sign(explanation.log_odds[big])).all()


def test_grouped_contributions_equal_the_sum_of_their_one_hot_pieces(
    any_model: ChurnModel, frame: pd.DataFrame
) -> None:
    explainer = ChurnExplainer(any_model)
    pieces = explainer.explain_pieces(any_model.encode(get_feature_frame(frame, any_model.schema)))
    grouped = explainer.explain(frame).log_odds
    owners = np.array(get_piece_columns(any_model))
    assert len(owners) == pieces.shape[1]
    for j, column in enumerate(any_model.schema.columns):
        np.testing.assert_allclose(grouped[:, j], pieces[:, owners == column].sum(axis=1))
    contract_pieces = (owners == "Contract").sum()
    assert contract_pieces == 3  # Month-to-month, One year, Two year: one contribution


def test_group_pieces_sums_by_hand() -> None:
    pieces = np.array([[1.0, 2.0, -0.5, 4.0], [0.0, -1.0, 1.0, 2.0]])
    grouped = group_pieces(pieces, ["a", "b", "b", "c"], ("a", "b", "c"))
    assert grouped.tolist() == [[1.0, 1.5, 4.0], [0.0, 0.0, 2.0]]


def test_the_planted_drivers_lead_global_importance(
    any_model: ChurnModel, frame: pd.DataFrame
) -> None:
    importance = get_importance_df(ChurnExplainer(any_model).explain(frame))
    ranked = importance["column"].tolist()
    assert ranked[0] == "Contract"  # the strongest planted driver
    assert len(set(ranked[:6]) & STRONG_DRIVERS) >= 3
    assert set(ranked[:4]) <= set(PLANTED_DRIVERS) | {"TenureMonths"}
    assert ranked.index("Region") >= 6  # planted nowhere
    assert (importance["mean_abs_points"].diff().dropna() <= 0).all()  # largest first


def test_reasons_use_the_users_own_names_and_values(model: ChurnModel, frame: pd.DataFrame) -> None:
    explanation = ChurnExplainer(model).explain(frame.head(300))
    sentences = [
        f"{column} is {value} ({points:+.0f} pts)"
        for reasons in get_top_reasons(explanation)
        for column, value, points in reasons
    ]
    assert sentences
    pattern = re.compile(r"^(\w+) is (.+) \([+-]\d+ pts\)$")
    for sentence in sentences:
        match = pattern.match(sentence)
        assert match, sentence
        assert match.group(1) in model.schema.columns
        assert "_" not in match.group(1) and "missingindicator" not in sentence
    assert any(s.startswith("Contract is Month-to-month (+") for s in sentences)


def test_a_customers_reasons_come_from_their_own_values(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    explanation = ChurnExplainer(model).explain(frame.head(50))
    for i, reasons in enumerate(get_top_reasons(explanation)):
        for column, value, points in reasons:
            raw = frame[column].iloc[i]
            assert points > 0
            if isinstance(raw, str):
                assert value == raw
            else:
                assert float(value.replace(",", "")) == pytest.approx(float(raw), abs=0.005)
        assert len(reasons) <= 3


def test_a_customers_explanation_does_not_depend_on_the_other_rows(
    any_model: ChurnModel, frame: pd.DataFrame
) -> None:
    explainer = ChurnExplainer(any_model)
    together = explainer.explain(frame.head(200))
    shuffled = frame.head(200).sample(frac=1.0, random_state=3)
    apart = explainer.explain(shuffled)
    back = np.argsort(shuffled.index.to_numpy())
    np.testing.assert_allclose(apart.points[back], together.points, atol=1e-9)
    alone = explainer.explain(frame.iloc[[7]])
    np.testing.assert_allclose(alone.points[0], together.points[7], atol=1e-9)


def test_the_customer_frame_lists_every_column_strongest_first(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    explanation = ChurnExplainer(model).explain(frame.head(5))
    one = explanation.get_customer_df(0)
    assert set(one["column"]) == set(model.schema.columns)
    assert (one["points"].abs().diff().dropna() <= 1e-12).all()
    assert one["points"].sum() / 100 + explanation.base_probability == pytest.approx(
        explanation.probability[0]
    )


def test_dependence_pairs_each_customers_value_with_its_points(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    explanation = ChurnExplainer(model).explain(frame.head(400))
    dependence = get_dependence_df(explanation, "UsageTrendPct")
    assert len(dependence) == 400
    known = dependence.dropna(subset=["value"])
    # Planted: declining usage raises churn. The linear model's points fall as usage grows.
    assert np.corrcoef(known["value"].astype(float), known["points"])[0, 1] < -0.75


def test_the_base_is_the_risk_of_the_average_log_odds_customer(model: ChurnModel) -> None:
    explainer = ChurnExplainer(model)
    reference = np.asarray(model.reference).reshape(1, -1)
    raw = model.encoded_log_odds(reference)[0]
    assert explainer.base_log_odds == pytest.approx(model.slope * raw + model.intercept)
    assert 0 < expit(explainer.base_log_odds) < 1


def test_a_waterfall_of_points_never_leaves_0_to_100_percent(
    any_model: ChurnModel, frame: pd.DataFrame
) -> None:
    explanation = ChurnExplainer(any_model).explain(frame)
    order = np.argsort(-np.abs(explanation.points), axis=1)  # the waterfall's order
    walked = np.take_along_axis(explanation.points, order, axis=1)
    running = 100 * explanation.base_probability + np.cumsum(walked, axis=1)
    assert running.min() > 0 and running.max() < 100


def test_points_by_hand_and_when_effects_cancel_out() -> None:
    # base 0: 50 %. The strongest (+2) goes first: 50 % -> 88.08 %; then -1: -> 73.11 %.
    points = to_points(np.array([[-1.0, 2.0], [1.0, -1.0]]), 0.0)
    np.testing.assert_allclose(points[0], [-14.973850, 38.079708], atol=1e-6)
    assert points[1].sum() == pytest.approx(0.0, abs=1e-12)  # back where it started
    assert points[1][0] > 0 > points[1][1]  # each keeps its sign


def test_a_model_with_only_number_columns_is_explained_exactly(frame: pd.DataFrame) -> None:
    numbers = FeatureSchema(("TenureMonths", "SupportTickets90d", "UsageTrendPct"), ())
    features = get_feature_frame(frame, numbers)
    pipeline = Pipeline(
        [
            ("prepare", build_preprocessor(numbers, scale=True)),
            ("model", LogisticRegression()),
        ]
    ).fit(features, frame["Churned"].eq("Yes"))
    reference = pipeline[:-1].transform(features).mean(axis=0)
    model = ChurnModel(pipeline, 1.0, 0.0, numbers, {}, reference=reference)
    explanation = ChurnExplainer(model).explain(frame.head(100))
    # UsageTrendPct has blanks: its missing-value indicator is a piece of it too.
    assert get_piece_columns(model) == [*numbers.numeric, "UsageTrendPct"]
    rebuilt = explanation.base_log_odds + explanation.log_odds.sum(axis=1)
    np.testing.assert_allclose(rebuilt, logit(model.predict_proba(frame.head(100))), atol=1e-9)


def test_linear_contributions_are_what_shaps_linear_explainer_gives(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    import shap

    encoded = model.encode(get_feature_frame(frame.head(300), model.schema))
    masker = shap.maskers.Independent(np.asarray(model.reference).reshape(1, -1))
    reference = shap.LinearExplainer(model.pipeline[-1], masker)
    explainer = ChurnExplainer(model)
    np.testing.assert_allclose(
        explainer.explain_pieces(encoded), model.slope * reference.shap_values(encoded), atol=1e-12
    )
    expected_base = model.slope * float(np.ravel(reference.expected_value)[0]) + model.intercept
    assert explainer.base_log_odds == pytest.approx(expected_base, abs=1e-12)
