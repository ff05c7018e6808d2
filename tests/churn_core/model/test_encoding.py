"""How models read their inputs: one-hot categories, imputed and scaled numbers for linear
models, raw numbers for trees."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.model.encoding import build_preprocessor
from churn_core.schema.features import FeatureSchema, get_feature_frame


def test_linear_models_get_imputed_scaled_numbers_and_one_hot_categories(
    feature_customers: pd.DataFrame, feature_schema: FeatureSchema
) -> None:
    features = get_feature_frame(feature_customers, feature_schema)
    prepare = build_preprocessor(feature_schema, scale=True).fit(features)
    out = prepare.transform(features)
    names = list(prepare.get_feature_names_out())
    assert names[:3] == ["TenureMonths", "Paperless", "missingindicator_TenureMonths"]
    tenure = out[:, 0]
    assert not np.isnan(out).any()
    assert tenure.mean() == pytest.approx(0.0, abs=1e-12)  # median-imputed, then standardised
    assert {n for n in names if n.startswith("Plan_")} == {
        f"Plan_{level}" for level in feature_schema.levels["Plan"]
    }


def test_trees_get_raw_numbers_with_missing_values_kept(
    feature_customers: pd.DataFrame, feature_schema: FeatureSchema
) -> None:
    features = get_feature_frame(feature_customers, feature_schema)
    out = build_preprocessor(feature_schema, scale=False).fit(features).transform(features)
    np.testing.assert_array_equal(out[:, 0], features["TenureMonths"].to_numpy())


def test_an_unseen_level_becomes_all_zeros_instead_of_an_error(
    feature_customers: pd.DataFrame, feature_schema: FeatureSchema
) -> None:
    prepare = build_preprocessor(feature_schema, scale=False).fit(
        get_feature_frame(feature_customers, feature_schema)
    )
    names = list(prepare.get_feature_names_out())
    later = get_feature_frame(feature_customers.assign(Plan="Platinum"), feature_schema)
    out = prepare.transform(later)
    plan = [i for i, n in enumerate(names) if n.startswith("Plan_")]
    assert (out[:, plan] == 0).all()
