"""How a model reads its inputs: categories one-hot encoded, numbers imputed and scaled for
linear models (raw for trees, which handle blanks themselves).

One-hot for every model keeps SHAP explanations exact for trees (native categorical splits do
not) and, on our data, scores the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from churn_core.schema import FeatureSchema


def build_preprocessor(schema: FeatureSchema, *, scale: bool) -> ColumnTransformer:
    """One-hot categories; numbers imputed and scaled for linear models, raw for trees."""
    if scale:
        numbers: Any = make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True), StandardScaler()
        )
    else:
        numbers = "passthrough"  # gradient boosting handles missing values itself
    return ColumnTransformer(
        [
            ("num", numbers, list(schema.numeric)),
            (
                "cat",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False, dtype=np.float64),
                list(schema.categorical),
            ),
        ],
        verbose_feature_names_out=False,
        sparse_threshold=0.0,
    )
