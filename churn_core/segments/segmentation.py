"""Segments: groups of customers who behave alike, with a name, churn, value and a play each.

KMeans on standardised behaviour and value columns (:mod:`churn_core.segments.inputs`), the
number of segments chosen by silhouette and elbow (:mod:`churn_core.segments.k_choice`), names
from how each centre differs from the average customer (:mod:`churn_core.segments.names`), and
a retention play per segment from an editable table (:mod:`churn_core.segments.plays`).

Same file, same segments: the seed is fixed and rows are put in a canonical order first, so
shuffling the rows changes no customer's segment. Segments are numbered by size (0 is the
largest). A fitted :class:`Segmentation` places new customers with :meth:`Segmentation.assign`.

>>> from churn_core.schema.profile import profile_table
>>> from churn_core.datasets.customers import generate_customers
>>> customers = generate_customers(rows=400, seed=1)
>>> segments = fit_segments(customers, profile_table(customers), k=3)
>>> segments.k_, len(segments.labels_), segments.assign(customers.head(2)).size
(3, 400, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import pairwise_distances_argmin
from threadpoolctl import threadpool_limits

from churn_core import columns as col
from churn_core.columns import (
    CHURN_RATE,
    CLV,
    CUSTOMERS,
    MONTHLY_REVENUE,
    PLAY,
    PREDICTED_RISK,
    SEGMENT,
    SHARE,
    TENURE,
)
from churn_core.errors import ChurnDataError, DataWarning, Problem, file_row_numbers, plural
from churn_core.schema import Profile, Role, get_churned
from churn_core.segments.inputs import LEVEL, SegmentInputs, prepare_segment_inputs
from churn_core.segments.k_choice import MAX_K, MIN_K, KChoice, get_k_scores, recommend_k
from churn_core.segments.names import name_segments
from churn_core.segments.plays import get_segment_plays, get_trait_plays

SEED = 42
N_INIT = 3
#: KMeans and the silhouette run on one thread: on a shared or busy machine, OpenMP threads
#: waiting for each other made choosing k 40 times slower (9 s instead of 0.2 s on 5k rows).
THREADS = 1
MAP_POINTS = 5_000

ALL_CUSTOMERS = "All customers"


@dataclass
class Segmentation:
    """Fitted segments: who is in which, what each is called, and what it is worth.

    Attributes
    ----------
    labels_ : np.ndarray
        Each customer's segment number, in the frame's row order; 0 is the largest segment.
    names_ : list of str
        The name of segment ``i`` at position ``i``; unique.
    summary_ : pd.DataFrame
        One row per segment: name, customers, share, and churn rate, monthly revenue, tenure,
        predicted risk and CLV where known; the suggested play.
    overall_ : pd.Series
        The same measures for all customers together.
    zscores_ : pd.DataFrame
        Segments x features: how far each segment's average is from everyone's, in standard
        deviations (category levels: the standardised share of customers at that level).
    averages_ : pd.DataFrame
        The raw averages behind the z-scores, plus a row for all customers.
    map_ : pd.DataFrame
        ``x``, ``y`` and ``segment`` of up to :data:`MAP_POINTS` customers in two dimensions.
    map_axes_ : tuple of str
        What each map direction mostly reflects, in column names.
    """

    inputs_: SegmentInputs
    centres_: np.ndarray
    labels_: np.ndarray
    names_: list[str]
    index_: pd.Index
    summary_: pd.DataFrame
    overall_: pd.Series
    zscores_: pd.DataFrame
    averages_: pd.DataFrame
    map_: pd.DataFrame
    map_axes_: tuple[str, str]
    k_choice_: KChoice | None = None
    warnings_: list[DataWarning] = field(default_factory=list)

    @property
    def k_(self) -> int:
        return len(self.names_)

    @property
    def segments_(self) -> pd.Series:
        """Each fitted customer's segment name, aligned to the frame's index."""
        return pd.Series(
            np.asarray(self.names_, dtype=object)[self.labels_], self.index_, name=SEGMENT
        )

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """The segment number of each customer of ``frame`` (nearest centre)."""
        return pairwise_distances_argmin(self.inputs_.transform(frame), self.centres_)

    def assign(self, frame: pd.DataFrame) -> pd.Series:
        """The segment name of each customer of ``frame``, aligned to its index.

        Works on new customers with the same columns (blanks get the fitted medians); raises
        ChurnDataError naming any column that is missing.
        """
        names = np.asarray(self.names_, dtype=object)[self.predict(frame)]
        return pd.Series(names, index=frame.index, name=SEGMENT)

    def get_assignments(self, frame: pd.DataFrame, id_column: str | None) -> pd.DataFrame:
        """Customer id (or spreadsheet row number) and segment name, one row per customer."""
        if id_column is not None and id_column in frame.columns:
            ids, name = frame[id_column].to_numpy(), id_column
        else:
            numbers = file_row_numbers(frame)
            ids = np.asarray(numbers) if numbers is not None else np.arange(len(frame)) + 2
            name = col.ROW_NUMBER_ID
        return pd.DataFrame({name: ids, SEGMENT: self.assign(frame).to_numpy()})

    def get_plays(self, rules: pd.DataFrame | None = None) -> list[str]:
        """Each segment's play: from what sets it apart (the summary's), or from the user's
        edited ``rules`` (see :func:`get_segment_plays`)."""
        if rules is None:
            return self.summary_[PLAY].tolist()
        return get_segment_plays(self.summary_, self.overall_, rules)


def choose_k(
    frame: pd.DataFrame,
    profile: Profile,
    *,
    numeric: Sequence[str] | None = None,
    categorical: Sequence[str] = (),
    seed: int = SEED,
) -> KChoice:
    """Silhouette and elbow for 2 to 10 segments, and the recommended number with its reason.

    Raises ChurnDataError when the columns cannot be used or there are too few customers.
    """
    _, matrix, _, _ = prepare_segment_inputs(frame, profile, numeric, categorical)
    with threadpool_limits(THREADS):
        return _choose(matrix, seed)


def fit_segments(
    frame: pd.DataFrame,
    profile: Profile,
    *,
    numeric: Sequence[str] | None = None,
    categorical: Sequence[str] = (),
    k: int | str = "auto",
    seed: int = SEED,
    risk: Sequence[float] | np.ndarray | None = None,
    clv: Sequence[float] | np.ndarray | None = None,
) -> Segmentation:
    """Find, name and describe segments of customers.

    Parameters
    ----------
    frame, profile : pd.DataFrame, Profile
        The customers and their column roles.
    numeric : sequence of str, optional
        Number columns to use; all number features of the profile when omitted.
    categorical : sequence of str
        Category columns to add, one-hot encoded.
    k : int or "auto"
        Number of segments, 2 to 10; ``"auto"`` takes the recommendation of :func:`choose_k`.
    seed : int
        Fixes the sample and KMeans' start: the same data gives the same segments.
    risk, clv : array-like, optional
        Predicted churn probability and customer lifetime value per row of ``frame``; their
        segment averages join the summary.

    Returns
    -------
    Segmentation

    Raises
    ------
    ChurnDataError
        Fewer customers than segments, no number column, only constant columns, or columns
        that are ids, the label, dates or ignored. Blanks are filled and reported in
        ``warnings_``, never dropped.
    """
    inputs, matrix, order, warnings = prepare_segment_inputs(frame, profile, numeric, categorical)
    with threadpool_limits(THREADS):
        choice = _choose(matrix, seed) if k == "auto" else None
        k = choice.k if choice is not None else _check_k(k, matrix)
        fitted = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit(matrix)
        sorted_labels = pairwise_distances_argmin(matrix, fitted.cluster_centers_)
    sizes = np.bincount(sorted_labels, minlength=k)
    rank = sorted(range(k), key=lambda i: (-sizes[i], tuple(fitted.cluster_centers_[i])))
    centres = fitted.cluster_centers_[rank]
    renumber = np.argsort(rank)
    sorted_labels = renumber[sorted_labels]
    labels = np.empty(len(matrix), dtype=np.intp)
    labels[order] = sorted_labels
    zscores = _zscores(matrix, sorted_labels, inputs, k)
    names = name_segments(zscores, inputs.features)
    summary, overall = _summary(frame, profile, labels, names, risk, clv)
    summary[PLAY] = get_trait_plays(zscores, inputs.features, summary, overall)
    labels_of = [f.label for f in inputs.features]
    points, rows, axes = _map(matrix, labels_of, seed)
    shown = np.asarray(names, dtype=object)[sorted_labels[rows]]
    return Segmentation(
        inputs_=inputs,
        centres_=centres,
        labels_=labels,
        names_=names,
        index_=frame.index,
        summary_=summary,
        overall_=overall,
        zscores_=pd.DataFrame(zscores, index=names, columns=labels_of),
        averages_=_averages(frame, inputs, labels, names),
        map_=pd.DataFrame({"x": points[0], "y": points[1], SEGMENT: shown}),
        map_axes_=axes,
        k_choice_=choice,
        warnings_=warnings,
    )


def _choose(matrix: np.ndarray, seed: int) -> KChoice:
    n, distinct = len(matrix), _distinct_rows(matrix)
    top = min(MAX_K, distinct, n - 1)
    if top < MIN_K:
        raise ChurnDataError(
            [
                Problem(
                    f"Segments need at least 3 customers who differ in the chosen columns; "
                    f"there {'is' if distinct == 1 else 'are'} {plural(distinct, 'such customer')}"
                    f" among {plural(n, 'row')}.",
                    fix="Use a file with more customers, or choose columns that tell them apart.",
                    code="too_few_customers",
                )
            ]
        )
    scores, rows_used = get_k_scores(matrix, range(MIN_K, top + 1), seed)
    k, reason, clear = recommend_k(scores)
    return KChoice(scores, k, reason, clear, rows_used)


def _check_k(k: object, matrix: np.ndarray) -> int:
    if isinstance(k, str) and k.strip().isdigit():
        k = int(k)
    if not isinstance(k, int | np.integer) or isinstance(k, bool) or not MIN_K <= k <= MAX_K:
        raise ChurnDataError(
            [
                Problem(
                    f"The number of segments must be a whole number from {MIN_K} to {MAX_K}; "
                    f"got {k!r}.",
                    fix=f'Choose a number from {MIN_K} to {MAX_K}, or "auto" to use the '
                    "recommended number.",
                    code="segment_count_out_of_range",
                )
            ]
        )
    n = len(matrix)
    if n < k:
        raise ChurnDataError(
            [
                Problem(
                    f"{k} segments were asked for, but there {'is' if n == 1 else 'are'} only "
                    f"{plural(n, 'customer')}: each segment needs at least one.",
                    fix=f"Choose at most {max(n - 1, MIN_K)} segments, or use a file with more "
                    "customers.",
                    code="fewer_customers_than_segments",
                )
            ]
        )
    distinct = _distinct_rows(matrix)
    if distinct < k:
        raise ChurnDataError(
            [
                Problem(
                    f"{k} segments were asked for, but the {plural(n, 'customer')} have only "
                    f"{distinct} different combinations of values in the chosen columns "
                    "(blanks filled), so at most that many segments can differ.",
                    fix=f"Choose at most {distinct} segments, or add columns that tell customers "
                    "apart.",
                    code="too_few_distinct_customers",
                )
            ]
        )
    return int(k)


def _distinct_rows(matrix: np.ndarray) -> int:
    """Different rows; rows arrive sorted by value, so only neighbours can be equal."""
    if len(matrix) <= 50_000:
        return len(np.unique(matrix, axis=0))
    return int((np.diff(matrix, axis=0) != 0).any(axis=1).sum()) + 1


def _zscores(matrix: np.ndarray, labels: np.ndarray, inputs: SegmentInputs, k: int) -> np.ndarray:
    """Segment averages of the standardised features; levels scaled by their own spread."""
    counts = np.maximum(np.bincount(labels, minlength=k), 1)
    means = (
        np.column_stack(
            [np.bincount(labels, weights=matrix[:, j], minlength=k) for j in range(matrix.shape[1])]
        )
        / counts[:, None]
    )
    for j, feature in enumerate(inputs.features):
        if feature.kind == LEVEL:
            share = inputs.means[j]
            means[:, j] /= np.sqrt(share * (1 - share))
    return means


def _summary(
    frame: pd.DataFrame,
    profile: Profile,
    labels: np.ndarray,
    names: list[str],
    risk: Sequence[float] | np.ndarray | None,
    clv: Sequence[float] | np.ndarray | None,
) -> tuple[pd.DataFrame, pd.Series]:
    k = len(names)
    sizes = np.bincount(labels, minlength=k)
    summary = pd.DataFrame({SEGMENT: names, CUSTOMERS: sizes, SHARE: sizes / max(len(labels), 1)})
    overall: dict[str, float] = {CUSTOMERS: float(len(labels)), SHARE: 1.0}
    measures: dict[str, pd.Series] = {}
    churned = get_churned(frame, profile)
    if churned is not None and churned.notna().any():
        measures[CHURN_RATE] = churned.astype("Float64")
    for role, name in ((Role.REVENUE, MONTHLY_REVENUE), (Role.TENURE, TENURE)):
        column = profile.column_for(role)
        if column is not None:
            measures[name] = pd.to_numeric(frame[column], errors="coerce")
    for name, values in ((PREDICTED_RISK, risk), (CLV, clv)):
        if values is not None:
            if len(values) != len(frame):
                raise ValueError(
                    f"{name} needs one value per customer ({len(frame)}); got {len(values)}."
                )
            measures[name] = pd.Series(np.asarray(values, dtype=float), index=frame.index)
    for name, values in measures.items():
        numbers = pd.Series(values.to_numpy(dtype=float, na_value=np.nan))
        summary[name] = numbers.groupby(labels).mean().reindex(range(k)).to_numpy()
        overall[name] = float(numbers.mean())
    overall_series = pd.Series(overall)
    summary[PLAY] = get_segment_plays(summary, overall_series)
    return summary, overall_series


def _averages(
    frame: pd.DataFrame, inputs: SegmentInputs, labels: np.ndarray, names: list[str]
) -> pd.DataFrame:
    """Raw averages of number columns (blanks skipped) and each category's commonest value."""
    out = {}
    for name in inputs.numeric:
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        by = pd.Series(values).groupby(labels).mean().reindex(range(len(names))).tolist()
        out[name] = [*by, float(np.nanmean(values))]
    for name in inputs.categorical:
        text = frame[name].astype("string").fillna("(blank)").reset_index(drop=True)
        groups = [text[labels == i] for i in range(len(names))] + [text]
        out[name] = [_commonest(g) for g in groups]
    return pd.DataFrame(out, index=[*names, ALL_CUSTOMERS])


def _commonest(values: pd.Series) -> str:
    if values.empty:
        return ""
    counts = values.value_counts(normalize=True, sort=True)
    return f"{counts.index[0]} ({counts.iloc[0]:.0%})"


def _map(
    matrix: np.ndarray, labels: Sequence[str], seed: int
) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """Two-dimensional positions of sampled customers, their rows, and what each axis shows.

    The directions are the two along which customers differ most (principal components);
    each is described by the columns that weigh most in it.
    """
    rows = np.arange(len(matrix))
    if len(matrix) > MAP_POINTS:
        rows = np.sort(np.random.default_rng(seed).choice(len(matrix), MAP_POINTS, replace=False))
    if matrix.shape[1] < 2:
        return np.vstack([matrix[rows, 0], np.zeros(len(rows))]), rows, (labels[0], "")
    pca = PCA(n_components=2, random_state=seed).fit(matrix)
    axes = []
    for component, share in zip(pca.components_, pca.explained_variance_ratio_, strict=True):
        top = np.argsort(-np.abs(component))[:2]
        axes.append(f"{' and '.join(labels[i] for i in top)} ({share:.0%} of the differences)")
    return pca.transform(matrix[rows]).T, rows, (axes[0], axes[1])
