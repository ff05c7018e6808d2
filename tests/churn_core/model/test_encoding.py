"""How models read their inputs: one-hot categories, imputed and scaled numbers for linear
models, raw numbers for trees."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.model.encoding import build_preprocessor
from churn_core.schema.features import FeatureSchema, get_feature_frame, get_feature_schema
from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "CustomerID": ["A1", "A2", "A3", "A4", "A5", "A6"],
            "TenureMonths": [1, 5, np.nan, 30, 48, 60],
            "Plan": ["Basic", "Premium", None, "Basic", "Standard", "Basic"],
            "Paperless": [True, False, True, True, False, True],
            "StoreNo": [3, 1, 3, 2, 2, 1],
            "Email": [f"a{i}@example.com" for i in range(6)],
            "Churned": ["Yes", "No", "Yes", "No", "No", "No"],
        }
    )


@pytest.fixture
def schema(customers: pd.DataFrame) -> FeatureSchema:
    roles = {"StoreNo": Role.CATEGORICAL, "Paperless": Role.NUMERIC}
    return get_feature_schema(customers, profile_table(customers, roles=roles))


def test_linear_models_get_imputed_scaled_numbers_and_one_hot_categories(
    customers: pd.DataFrame, schema: FeatureSchema
) -> None:
    features = get_feature_frame(customers, schema)
    prepare = build_preprocessor(schema, scale=True).fit(features)
    out = prepare.transform(features)
    names = list(prepare.get_feature_names_out())
    assert names[:3] == ["TenureMonths", "Paperless", "missingindicator_TenureMonths"]
    tenure = out[:, 0]
    assert not np.isnan(out).any()
    assert tenure.mean() == pytest.approx(0.0, abs=1e-12)  # median-imputed, then standardised
    assert {n for n in names if n.startswith("Plan_")} == {
        f"Plan_{level}" for level in schema.levels["Plan"]
    }


def test_trees_get_raw_numbers_with_missing_values_kept(
    customers: pd.DataFrame, schema: FeatureSchema
) -> None:
    features = get_feature_frame(customers, schema)
    out = build_preprocessor(schema, scale=False).fit(features).transform(features)
    np.testing.assert_array_equal(out[:, 0], features["TenureMonths"].to_numpy())


def test_an_unseen_level_becomes_all_zeros_instead_of_an_error(
    customers: pd.DataFrame, schema: FeatureSchema
) -> None:
    prepare = build_preprocessor(schema, scale=False).fit(get_feature_frame(customers, schema))
    names = list(prepare.get_feature_names_out())
    later = get_feature_frame(customers.assign(Plan="Platinum"), schema)
    out = prepare.transform(later)
    plan = [i for i, n in enumerate(names) if n.startswith("Plan_")]
    assert (out[:, plan] == 0).all()
