"""How many segments: silhouette and elbow for k = 2 to 10, and a recommendation in words.

- **Silhouette** (-1 to 1): how much closer each customer is to its own segment than to the
  next nearest one; higher means cleaner, more separate groups.
- **Elbow**: the share of the differences between customers left *within* segments (inertia over
  the total spread). It always falls as segments are added; the bend ("elbow") is where adding
  more stops paying off.

On large tables both are measured on a fixed-seed sample (:data:`SCAN_ROWS` customers, the
silhouette on :data:`SILHOUETTE_ROWS` of them), so choosing k stays fast and repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances

from churn_core.columns import SILHOUETTE, WITHIN_SHARE, K

MIN_K, MAX_K = 2, 10
SCAN_ROWS = 10_000
SILHOUETTE_ROWS = 2_000
#: A best silhouette at or above this means the customers fall into clearly separate groups.
CLEAR_SILHOUETTE = 0.25
#: Silhouettes closer than this are a tie, and the smaller number of segments wins.
SILHOUETTE_TIE = 0.01
#: When no k separates the customers clearly, the elbow is looked for in this range.
USEFUL_K = (3, 6)


@dataclass(frozen=True)
class KChoice:
    """The scores for every k tried, the recommended k and why, in words."""

    scores: pd.DataFrame  # columns K, WITHIN_SHARE, SILHOUETTE; one row per k
    k: int
    why: str  # reads after "because": "the customers split most clearly ..."
    clear: bool  # True when the customers fall into clearly separate groups
    rows_used: int  # customers the scores were measured on (all, or a sample)

    @property
    def reason(self) -> str:
        """``"4 segments, because the customers split most clearly ..."``: the reason with its
        numbers (silhouette, elbow), for analysts."""
        return f"{self.k} segments, because {self.why}"

    @property
    def plain(self) -> str:
        """The choice in plain words, for the page's main text (no silhouette or elbow).

        >>> scores = pd.DataFrame({K: [2, 3], WITHIN_SHARE: [0.5, 0.3], SILHOUETTE: [0.2, 0.4]})
        >>> KChoice(scores, 3, "", True, 100).plain
        '3 segments: with 3 the customers fall into the most clearly separate groups.'
        """
        if self.scores[SILHOUETTE].isna().all():
            return f"{self.k} segments: there are too few different customers to compare more."
        if self.clear:
            return (
                f"{self.k} segments: with {self.k} the customers fall into the most clearly "
                "separate groups."
            )
        return (
            f"{self.k} segments: more than {self.k} would tell little more about how customers "
            "differ. The groups overlap, so read them as useful summaries with soft borders."
        )


def get_k_scores(matrix: np.ndarray, ks: range, seed: int) -> tuple[pd.DataFrame, int]:
    """Silhouette and within-segment share for each k, on a fixed-seed sample of the rows.

    Returns the scores (one row per k) and how many rows they were measured on.
    """
    rng = np.random.default_rng(seed)
    rows = matrix
    if len(matrix) > SCAN_ROWS:
        rows = matrix[np.sort(rng.choice(len(matrix), SCAN_ROWS, replace=False))]
    judged = np.arange(len(rows))
    if len(rows) > SILHOUETTE_ROWS:
        judged = np.sort(rng.choice(len(rows), SILHOUETTE_ROWS, replace=False))
    total = float(((rows - rows.mean(axis=0)) ** 2).sum())
    distances = pairwise_distances(rows[judged])  # once for every k
    records = []
    for k in ks:
        fitted = KMeans(n_clusters=k, n_init=2, random_state=seed).fit(rows)
        silhouette = get_silhouette(distances, fitted.labels_[judged])
        records.append((k, float(fitted.inertia_) / total if total else 0.0, silhouette))
    return pd.DataFrame(records, columns=[K, WITHIN_SHARE, SILHOUETTE]), len(rows)


def get_silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a square matrix of distances (NaN unless 2 to n - 1 groups).

    For each customer, ``a`` is the mean distance to the others in its segment and ``b`` the
    mean distance to the nearest other segment; its silhouette is ``(b - a) / max(a, b)``, and
    0 when it is alone in its segment. The same as ``sklearn.metrics.silhouette_score`` (a test
    checks), but one matrix product per k instead of recomputing every distance.
    """
    groups, codes = np.unique(labels, return_inverse=True)
    n, k = len(labels), len(groups)
    if not 1 < k < n:
        return float("nan")
    members = np.zeros((n, k))
    members[np.arange(n), codes] = 1.0
    sums = distances @ members  # each customer's total distance to each segment
    sizes = members.sum(axis=0)
    own = sizes[codes]
    a = sums[np.arange(n), codes] / np.maximum(own - 1, 1)
    others = sums / sizes
    others[np.arange(n), codes] = np.inf
    b = others.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(own > 1, (b - a) / np.maximum(a, b), 0.0)
    return float(np.nan_to_num(score).mean())


def recommend_k(scores: pd.DataFrame) -> tuple[int, str, bool]:
    """The k to suggest, why (to read after "because"), and whether the groups are clearly apart.

    The best silhouette wins when it shows clear groups (ties go to fewer segments). Otherwise
    the elbow of the within-segment share is suggested, within a range that is easy to act on.

    >>> s = pd.DataFrame({K: [2, 3, 4], WITHIN_SHARE: [0.6, 0.2, 0.18],
    ...                   SILHOUETTE: [0.5, 0.71, 0.6]})
    >>> recommend_k(s)[:2]
    (3, 'the customers split most clearly into separate groups at 3 (silhouette 0.71, the best from 2 to 4).')
    """  # noqa: E501
    ks = scores[K].to_numpy(int)
    silhouettes = scores[SILHOUETTE].to_numpy(float)
    if np.isnan(silhouettes).all():
        k = int(ks[0])
        return k, "there are too few different customers to compare more.", False
    best = float(np.nanmax(silhouettes))
    span = f"from {ks[0]} to {ks[-1]}"
    if best >= CLEAR_SILHOUETTE:
        k = int(ks[np.flatnonzero(silhouettes >= best - SILHOUETTE_TIE)[0]])
        return (
            k,
            f"the customers split most clearly into separate groups at {k} "
            f"(silhouette {silhouettes[ks == k][0]:.2f}, the best {span}).",
            True,
        )
    k = _elbow(ks, scores[WITHIN_SHARE].to_numpy(float))
    return (
        k,
        "that is where the elbow chart bends: more segments explain little more. The "
        f"customers do not fall into clearly separate groups (the best silhouette "
        f"{span} is {best:.2f}; {CLEAR_SILHOUETTE:.2f} or more would be clear), so read the "
        "segments as useful summaries with soft borders.",
        False,
    )


def _elbow(ks: np.ndarray, within: np.ndarray) -> int:
    """The k farthest below the straight line from the first point to the last (the bend)."""
    if len(ks) < 3 or within[0] == within[-1]:
        return int(ks[0])
    x = (ks - ks[0]) / (ks[-1] - ks[0])
    y = (within - within[-1]) / (within[0] - within[-1])
    gap = (1 - x) - y
    allowed = (ks >= USEFUL_K[0]) & (ks <= USEFUL_K[1])
    if not allowed.any():
        allowed[:] = True
    return int(ks[allowed][np.argmax(gap[allowed])])
