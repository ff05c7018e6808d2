"""Exact TreeSHAP for scikit-learn's histogram gradient boosting, in NumPy.

What ``shap.TreeExplainer(model, model_output="raw")`` computes (path-dependent TreeSHAP,
Lundberg et al. 2020), without importing shap: its import (numba, llvmlite, matplotlib) costs
about 95 MB of a 512 MB dyno, more than any user's data. Tests compare the two to 1e-10 on
every kind of model the engine trains; shap stays the reference, in ``requirements-dev.txt``.

How. A tree's output is a sum over its leaves, and in path-dependent TreeSHAP a leaf with value
``v`` answers a coalition ``S`` of features with ``v * prod(o_j if j in S else z_j)`` over the
distinct features ``j`` on its path: ``o_j`` is 1 when the customer takes the path's turn at
every split on ``j`` (else 0), and ``z_j`` the share of training customers who took those turns
(the nodes' counts). The Shapley weights ``k! (d-k-1)! / d!`` are Beta integrals, so the
leaf's share of feature ``i``'s value is

    v * (o_i - z_i) * integral over t in [0, 1] of prod over j != i of ((1 - t) z_j + t o_j)

a polynomial of degree ``d - 1`` that Gauss-Legendre quadrature with ``ceil(d / 2)`` points
integrates exactly. A customer enters only through the ``o_j``, so each leaf gets a table over
its ``2**d`` agreement patterns, built once per model, and explaining a customer is two small
matrix products and a lookup per tree. Leaves with more than :data:`TABLE_MAX_FEATURES`
distinct features on their path (rare: the engine's trees have 12 leaves) are integrated per
customer instead, which keeps the tables small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial.legendre import leggauss

#: Leaves with at most this many distinct features on their path get a lookup table
#: (2**8 patterns x 8 values); deeper ones are integrated per customer.
TABLE_MAX_FEATURES = 8
#: Customers explained at once: the per-tree arrays stay a few MB.
CHUNK_ROWS = 4096


@dataclass(frozen=True)
class _Leaf:
    value: float
    count: float  # training customers who reached it
    features: list[int]  # distinct features on the path, in path order
    zero: np.ndarray  # z_j: share of training customers taking the path's turns on feature j
    path: list[tuple[int, int, bool]]  # (internal node, slot of its feature, goes left)


def _leaves(nodes: np.ndarray) -> list[_Leaf]:
    """Every leaf of one tree (``TreePredictor.nodes``) with what its path asks of a customer."""
    left, right = nodes["left"].tolist(), nodes["right"].tolist()
    feature, count = nodes["feature_idx"].tolist(), nodes["count"].tolist()
    is_leaf, value = nodes["is_leaf"].tolist(), nodes["value"].tolist()
    out = []
    stack: list[tuple[int, list[tuple[int, bool]]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        if not is_leaf[node]:
            stack.append((right[node], [*path, (node, False)]))
            stack.append((left[node], [*path, (node, True)]))
            continue
        features: list[int] = []
        zero: list[float] = []
        slots = []
        for parent, goes_left in path:
            child = left[parent] if goes_left else right[parent]
            if feature[parent] not in features:
                features.append(feature[parent])
                zero.append(1.0)
            slot = features.index(feature[parent])
            zero[slot] *= count[child] / count[parent]
            slots.append((parent, slot, goes_left))
        out.append(_Leaf(float(value[node]), float(count[node]), features, np.array(zero), slots))
    return out


def _integrals(zero: np.ndarray, agree: np.ndarray) -> np.ndarray:
    """For each row of ``agree`` (0/1, one column per path feature) and each feature ``i``: the
    integral over [0, 1] of prod over j != i of ((1 - t) z_j + t o_j), exact by Gauss-Legendre."""
    d = len(zero)
    nodes, weights = leggauss(max(1, (d + 1) // 2))
    t, weights = (nodes + 1) / 2, weights / 2
    factors = (1 - t) * zero[:, None] + t * agree[..., None]  # (rows, d, points)
    before = np.ones((len(agree), d + 1, len(t)))
    after = np.ones((len(agree), d + 1, len(t)))
    for j in range(d):
        before[:, j + 1] = before[:, j] * factors[:, j]
        after[:, d - 1 - j] = after[:, d - j] * factors[:, d - 1 - j]
    return np.asarray((before[:, :d] * after[:, 1:]) @ weights)


def _patterns(d: int) -> np.ndarray:
    """All 2**d agreement patterns as rows of 0/1: bit j of the row's index is o_j."""
    return ((np.arange(2**d)[:, None] >> np.arange(d)) & 1).astype(float)


class _Tree:
    """One tree, arranged so a chunk of customers is explained by array operations only."""

    def __init__(self, nodes: np.ndarray) -> None:
        leaves = _leaves(nodes)
        root = float(nodes["count"][0])
        self.expected = sum(leaf.value * leaf.count / root for leaf in leaves)
        internal = np.flatnonzero(~nodes["is_leaf"].astype(bool))
        column = {int(node): k for k, node in enumerate(internal)}
        self.feature = nodes["feature_idx"][internal].astype(np.intp)
        self.threshold = nodes["num_threshold"][internal].astype(float)
        self.missing_left = nodes["missing_go_to_left"][internal].astype(bool)

        # A slot is one (leaf, distinct path feature). The customer agrees with a slot when
        # it takes the path's turn at every split on that feature: counted as a product.
        slot_leaf: list[int] = []
        slot_bit: list[float] = []
        slot_feature: list[int] = []
        first_slot: list[int] = []
        for number, leaf in enumerate(leaves):
            first_slot.append(len(slot_leaf))
            slot_leaf += [number] * len(leaf.features)
            slot_bit += [2.0**j for j in range(len(leaf.features))]
            slot_feature += leaf.features
        slots = len(slot_leaf)
        # wrong turns = turns_left + goes_left @ against: a right turn is wrong when the
        # customer goes left, a left turn when they do not.
        self.against = np.zeros((len(internal), slots), np.float32)
        self.turns_left = np.zeros(slots, np.float32)
        for number, leaf in enumerate(leaves):
            for node, slot, goes_left in leaf.path:
                at = first_slot[number] + slot
                self.against[column[node], at] += -1.0 if goes_left else 1.0
                self.turns_left[at] += float(goes_left)
        self.bits = np.zeros((slots, len(leaves)), np.float32)  # agreement -> pattern number
        self.bits[np.arange(slots), slot_leaf] = slot_bit
        self.features, owner = np.unique(np.array(slot_feature, np.intp), return_inverse=True)
        self.to_features = np.zeros((slots, len(self.features)))
        self.to_features[np.arange(slots), owner] = 1.0

        tables: list[np.ndarray] = []
        self.deep: list[tuple[_Leaf, int]] = []
        size = 0
        table_slots = []
        for number, leaf in enumerate(leaves):
            d = len(leaf.features)
            first = first_slot[number]
            if d > TABLE_MAX_FEATURES:
                self.deep.append((leaf, first))
                continue
            patterns = _patterns(d)
            table = leaf.value * (patterns - leaf.zero) * _integrals(leaf.zero, patterns)
            tables.append(table.ravel())
            table_slots += [(first + j, size + j, d) for j in range(d)]
            size += table.size
        self.table = np.concatenate([*tables, np.zeros(1)])  # the last cell: deep leaves' 0
        # Where slot s's value for pattern p is: start[s] + p * stride[s] (0 for deep leaves).
        self.start = np.full(slots, size, np.intp)
        self.stride = np.zeros(slots, np.intp)
        self.slot_leaf = np.array(slot_leaf, np.intp)
        for at, start, d in table_slots:
            self.start[at], self.stride[at] = start, d

    def add_to(self, x: np.ndarray, phi: np.ndarray) -> None:
        """Add this tree's SHAP values for the customers ``x`` to ``phi`` (same rows)."""
        if not len(self.feature):
            return  # a single leaf: the same for everyone, all in the expected value
        values = x[:, self.feature]
        goes_left = np.where(np.isnan(values), self.missing_left, values <= self.threshold)
        agree = goes_left.astype(np.float32) @ self.against + self.turns_left < 0.5
        pattern = (agree.astype(np.float32) @ self.bits).astype(np.intp)  # (rows, leaves)
        shares = self.table[self.start + pattern[:, self.slot_leaf] * self.stride]
        phi[:, self.features] += shares @ self.to_features
        for leaf, first in self.deep:
            o = agree[:, first : first + len(leaf.features)].astype(float)
            phi[:, leaf.features] += leaf.value * (o - leaf.zero) * _integrals(leaf.zero, o)


class HistGradientBoostingExplainer:
    """Exact SHAP values of a binary ``HistGradientBoostingClassifier`` in its raw log-odds.

    ``expected_value + shap_values(X).sum(axis=1)`` equals ``decision_function(X)`` for every
    row. Numeric splits only: native categorical splits are refused (use one-hot inputs).
    """

    def __init__(self, estimator: object) -> None:
        predictors = getattr(estimator, "_predictors", None)
        if predictors is None:
            raise TypeError("Expected a fitted HistGradientBoostingClassifier.")
        if any(len(per_iteration) != 1 for per_iteration in predictors):
            raise ValueError("Only two-class gradient boosting can be explained here.")
        nodes = [per_iteration[0].nodes for per_iteration in predictors]
        if any(tree["is_categorical"].any() for tree in nodes):
            raise ValueError(
                "This model splits categories natively, which TreeSHAP cannot explain exactly; "
                "train it on one-hot columns."
            )
        self._trees = [_Tree(tree) for tree in nodes]
        baseline = float(np.ravel(estimator._baseline_prediction)[0])  # type: ignore[attr-defined]
        self.expected_value = baseline + sum(tree.expected for tree in self._trees)

    def shap_values(self, x: np.ndarray) -> np.ndarray:
        """One row per customer, one column per input column: log-odds contributions."""
        x = np.asarray(x, dtype=float)
        phi = np.zeros(x.shape)
        for start in range(0, len(x), CHUNK_ROWS):
            rows = slice(start, start + CHUNK_ROWS)
            part = phi[rows]  # a view: the trees add into it
            for tree in self._trees:
                tree.add_to(x[rows], part)
        return phi
