"""A trained churn model: the fitted pipeline, its calibration, its input schema and its card.

Probabilities are calibrated with Platt scaling on the model's own log-odds:
``p = sigmoid(slope * log_odds + intercept)``. Being a straight line in log-odds, it keeps
explanations exact (contributions to the log-odds scale by ``slope``) where isotonic
calibration would not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from churn_core.schema import Derivation, FeatureSchema, LabelMapping, get_feature_frame

#: What a bundle's card says it is; loading refuses anything else (see churn_core.model.bundle).
FORMAT = "churn-workbench-model"
FORMAT_VERSION = 2  # 2: the explainer's reference customer is saved with the model

#: OpenMP threads for fitting and predicting. Gradient boosting's threads spin while waiting;
#: on a shared machine (a Heroku dyno, CI, another session training) two threads on two busy
#: cores measured 4x slower than one (20.5 s against 4.9 s for 10k customers).
MODEL_THREADS = 1


def model_threads() -> threadpool_limits:
    """Context manager limiting OpenMP threads while a model fits or predicts."""
    return threadpool_limits(limits=MODEL_THREADS, user_api="openmp")


@dataclass
class Evaluation:
    """Held-out customers' outcomes and scores, kept to draw the model card's charts."""

    y_test: np.ndarray
    p_test: np.ndarray  # the chosen model, calibrated
    p_test_raw: np.ndarray  # the chosen model before calibration
    p_baseline: np.ndarray  # the one-rule baseline
    p_candidates: dict[str, np.ndarray] = field(default_factory=dict)
    #: Other scores of the same customers the model is compared with (a log's P(alive)).
    p_benchmarks: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class ChurnModel:
    """Everything needed to score a new file the way the training file was read."""

    pipeline: Pipeline
    slope: float
    intercept: float
    schema: FeatureSchema
    card: dict[str, Any]
    evaluation: Evaluation | None = None
    #: The mean training customer in the model's own encoding: what a linear model's
    #: explanations are measured from (trees carry their own, see churn_core.explain.contributions).
    reference: np.ndarray | None = None

    @property
    def name(self) -> str:
        return str(self.card["model"]["name"])

    @property
    def threshold(self) -> float:
        return float(self.card["threshold"]["value"])

    @property
    def label_column(self) -> str:
        return str(self.card["label"]["column"])

    @property
    def label_mapping(self) -> LabelMapping:
        """Which label values mean left and stayed, as the training file spelled them."""
        label = self.card["label"]
        return LabelMapping(str(label["churned_value"]), str(label["stayed_value"]))

    @property
    def id_column(self) -> str | None:
        return self.card.get("id_column")

    @property
    def revenue_column(self) -> str | None:
        return self.card["value"].get("revenue_column")

    @property
    def base_rate(self) -> float:
        return float(self.card["data"]["churn_rate"])

    @property
    def typical_customer(self) -> dict[str, Any]:
        """The typical customer's values (see churn_core.model.typical): a real training
        customer at the explanations' base risk. Bundles from before it: median numbers and
        commonest categories."""
        found = self.card.get("typical_customer")
        return dict(found["values"]) if found else self.schema.typical_customer()

    @property
    def derived(self) -> list[Derivation]:
        """Columns the training file had that are about a function of others (sources first);
        the model leaves them out unless the user chose to keep them."""
        return [Derivation.from_dict(d) for d in self.card.get("derived", [])]

    @property
    def is_linear(self) -> bool:
        return hasattr(self.pipeline[-1], "coef_")

    def encode(self, features: pd.DataFrame) -> np.ndarray:
        """Model-ready features in the model's own encoding (one-hot, scaled for linear)."""
        x = features[list(self.schema.columns)]
        return np.asarray(self.pipeline[:-1].transform(x), dtype=float)

    def log_odds(self, features: pd.DataFrame) -> np.ndarray:
        """The fitted model's raw log-odds of churn, before calibration."""
        with model_threads():
            return self.encoded_log_odds(self.encode(features))

    def encoded_log_odds(self, encoded: np.ndarray) -> np.ndarray:
        """Raw log-odds from features already in the model's encoding (see ``encode``)."""
        estimator = self.pipeline[-1]
        if not self.is_linear:
            return np.asarray(estimator.decision_function(encoded))  # trees: row by row
        # A linear model's log-odds summed column by column, not by one matrix product:
        # BLAS rounds a product differently depending on the batch, and a customer's score
        # must not depend on which other rows share the file (or the chunk).
        out = np.full(len(encoded), float(estimator.intercept_[0]))
        for j, weight in enumerate(estimator.coef_[0]):
            out = out + encoded[:, j] * weight
        return out

    def predict_features(self, features: pd.DataFrame) -> np.ndarray:
        """Calibrated churn probability for model-ready features (see ``get_feature_frame``)."""
        return np.asarray(expit(self.slope * self.log_odds(features) + self.intercept))

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated churn probability for each row of a customer table."""
        return self.predict_features(get_feature_frame(frame, self.schema))
