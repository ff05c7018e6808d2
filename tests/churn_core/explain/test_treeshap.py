"""Our TreeSHAP must give what shap.TreeExplainer gives, and add up to the model's own output.

shap (requirements-dev.txt) is the reference: the app does not import it (~95 MB).
"""

from __future__ import annotations

from itertools import combinations
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from churn_core.explain import treeshap
from churn_core.explain.treeshap import HistGradientBoostingExplainer

shap = pytest.importorskip("shap")


def bank_inputs(shared_data: Path, blanks: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The real bank table as numbers and one-hot columns (as the engine encodes it)."""
    frame = pd.read_csv(shared_data / "bank_churn" / "Churn_Modelling.csv")
    x = pd.get_dummies(
        frame.drop(columns=["RowNumber", "CustomerId", "Surname", "Exited"]),
        columns=["Geography", "Gender"],
        dtype=float,
    )
    if blanks:  # a number with blanks: trees send them one way at every split
        x.loc[x.sample(frac=0.15, random_state=1).index, "Balance"] = np.nan
    return x.to_numpy(dtype=float), frame["Exited"].to_numpy()


def agrees_with_shap(estimator: HistGradientBoostingClassifier, x: np.ndarray) -> None:
    ours = HistGradientBoostingExplainer(estimator)
    reference = shap.TreeExplainer(estimator, model_output="raw")
    phi = ours.shap_values(x)
    np.testing.assert_allclose(phi, reference.shap_values(x), rtol=0, atol=1e-10)
    assert ours.expected_value == pytest.approx(float(np.ravel(reference.expected_value)[0]))
    total = ours.expected_value + phi.sum(axis=1)
    np.testing.assert_allclose(total, estimator.decision_function(x), rtol=0, atol=1e-10)


def test_the_engines_gradient_boosting_on_the_bank_file(shared_data: Path) -> None:
    x, y = bank_inputs(shared_data)
    engine_like = HistGradientBoostingClassifier(
        learning_rate=0.04, max_iter=150, max_leaf_nodes=12, min_samples_leaf=50,
        l2_regularization=2.0, max_features=0.8, early_stopping=False, random_state=0,
    ).fit(x, y)  # fmt: skip
    agrees_with_shap(engine_like, x[:3000])


def test_deep_trees_with_blanks_and_leaves_integrated_per_customer(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, y = bank_inputs(shared_data, blanks=True)
    deep = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=63, random_state=0).fit(x, y)
    agrees_with_shap(deep, x[:2000])
    monkeypatch.setattr(treeshap, "TABLE_MAX_FEATURES", 2)  # most leaves the other way
    agrees_with_shap(deep, x[:500])


def test_a_customer_explained_alone_gets_the_same_values_as_in_a_crowd(
    shared_data: Path,
) -> None:
    x, y = bank_inputs(shared_data)
    model = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(x, y)
    explainer = HistGradientBoostingExplainer(model)
    crowd = explainer.shap_values(x[: treeshap.CHUNK_ROWS + 7])  # two chunks
    for row in (0, 5, treeshap.CHUNK_ROWS + 3):
        alone = explainer.shap_values(x[row : row + 1])
        np.testing.assert_allclose(alone[0], crowd[row], rtol=0, atol=1e-12)


def test_one_tree_by_hand_with_the_shapley_formula() -> None:
    """Two features, one tree: every value checked against the Shapley sum over coalitions,
    with the path-dependent expectation written out from the nodes' counts."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.normal(scale=0.5, size=400)) > 0
    model = HistGradientBoostingClassifier(max_iter=1, max_leaf_nodes=4, min_samples_leaf=20)
    model.fit(x, y)
    nodes = model._predictors[0][0].nodes

    def expectation(row: np.ndarray, known: set[int], node: int = 0) -> float:
        n = nodes[node]
        if n["is_leaf"]:
            return float(n["value"])
        left, right = int(n["left"]), int(n["right"])
        if int(n["feature_idx"]) in known:
            nxt = left if row[int(n["feature_idx"])] <= n["num_threshold"] else right
            return expectation(row, known, nxt)
        share = nodes[left]["count"] / n["count"]
        return share * expectation(row, known, left) + (1 - share) * expectation(row, known, right)

    explainer = HistGradientBoostingExplainer(model)
    for row in x[:20]:
        phi = explainer.shap_values(row.reshape(1, -1))[0]
        for i in range(2):
            others = [j for j in range(2) if j != i]
            by_hand = sum(
                factorial(len(s)) * factorial(2 - len(s) - 1) / factorial(2)
                * (expectation(row, {*s, i}) - expectation(row, set(s)))
                for k in range(len(others) + 1)
                for s in combinations(others, k)
            )  # fmt: skip
            assert phi[i] == pytest.approx(by_hand, abs=1e-12)
    baseline = float(np.ravel(model._baseline_prediction)[0])
    assert explainer.expected_value == pytest.approx(baseline + expectation(x[0], set()))


def test_native_category_splits_and_more_than_two_classes_are_refused() -> None:
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.integers(0, 4, 300), rng.normal(size=300)])
    y = (x[:, 0] == 2) | (x[:, 1] > 1)
    native = HistGradientBoostingClassifier(max_iter=5, categorical_features=[0]).fit(x, y)
    with pytest.raises(ValueError, match="one-hot"):
        HistGradientBoostingExplainer(native)
    three = HistGradientBoostingClassifier(max_iter=5).fit(x, rng.integers(0, 3, 300))
    with pytest.raises(ValueError, match="two-class"):
        HistGradientBoostingExplainer(three)
    with pytest.raises(TypeError, match="fitted"):
        HistGradientBoostingExplainer(HistGradientBoostingClassifier())
