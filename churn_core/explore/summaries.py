"""The numbers behind the Explore page: distributions, churn rate by group, correlations, blanks.

Every function takes the cleaned customer frame and returns a small frame that a page can show
or :mod:`churn_core.explore.plots` can draw; raw rows never reach the browser.

``churned`` is a nullable boolean Series aligned to the frame. Rows where it is NA (label
unknown) still count in distributions but are left out of churn rates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from scipy.stats import norm

from churn_core.columns import (
    BIN_HIGH,
    BIN_LOW,
    CHURNED_COUNT,
    MISSING,
    MISSING_COLUMNS,
    RATE_COLUMNS,
    STAYED_COUNT,
)

BLANK_LABEL = "(blank)"
MAX_DISCRETE_VALUES = 30


def wilson_interval(
    successes: np.ndarray | Sequence[float] | float,
    trials: np.ndarray | Sequence[float] | float,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion: the range the true rate likely lies in.

    Parameters
    ----------
    successes, trials : array-like
        Counts (e.g. churned customers, customers), broadcast against each other.
    confidence : float, default 0.95
        Probability that the interval covers the true rate.

    Returns
    -------
    (low, high) : tuple of numpy.ndarray
        Bounds in [0, 1]; NaN where ``trials`` is 0.

    Examples
    --------
    >>> low, high = wilson_interval(5, 10)
    >>> round(float(low), 4), round(float(high), 4)
    (0.2366, 0.7634)
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1. Got {confidence!r} instead.")
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("successes must be between 0 and trials for every group.")
    z2 = norm.ppf(0.5 + confidence / 2) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = np.sqrt(z2 * (p * (1 - p) / n + z2 / (4 * n**2))) / denominator
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def format_number(value: float, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1,234.5"`` (``decimals=1``); never prints ``"-0"``."""
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def get_overall_churn_rate(churned: pd.Series) -> float:
    """Share of customers with a known label who churned; NaN when no label is known."""
    known = churned.astype("boolean").dropna()
    return float(known.mean()) if len(known) else float("nan")


def get_churn_rate_by_category(
    frame: pd.DataFrame, column: str, churned: pd.Series, max_levels: int = 15
) -> pd.DataFrame:
    """Churn rate per value of a column, with a 95% Wilson interval.

    Text values come highest churn rate first; numbers (0/1 flags, 1-4 products) in their
    natural order.

    The ``max_levels`` largest values keep their own row; the rest become one
    ``"Other (N values)"`` row, and missing values one ``"(blank)"`` row; both come last.
    Works for text, bool and low-cardinality numeric columns (``1.0`` shows as ``"1"``).

    Returns
    -------
    pandas.DataFrame
        ``value, customers, churned, churn_rate, ci_low, ci_high``; ``customers`` counts only
        rows whose churn label is known.
    """
    _check_column(frame, column)
    _check_positive("max_levels", max_levels)
    known, churn = _label_arrays(frame, churned)
    group, names = _categories(frame[column], max_levels, known)
    k = len(names)
    table = _rate_frame(
        names,
        np.bincount(group[known], minlength=k),
        np.bincount(group[known & churn], minlength=k),
    )
    table["_order"] = np.maximum(np.arange(k) - (k - 3), 0)  # kept 0, Other 1, blank 2
    table = table[(table["_order"] == 0) | (table["customers"] > 0)]
    series = frame[column]
    if is_numeric_dtype(series) and not is_bool_dtype(series):
        # Numbers keep their natural order (1, 2, 3 products), not the order of their rates.
        table["_value"] = pd.to_numeric(table["value"].str.replace(",", ""), errors="coerce")
        keys, ascending = ["_order", "_value"], [True, True]
    else:
        keys, ascending = ["_order", "churn_rate", "customers"], [True, False, False]
    table = table.sort_values(keys, ascending=ascending, kind="stable")
    return table.drop(columns=[c for c in ("_order", "_value") if c in table]).reset_index(
        drop=True
    )


def get_churn_rate_by_bins(
    frame: pd.DataFrame, column: str, churned: pd.Series, bins: int = 10
) -> pd.DataFrame:
    """Churn rate per range of a numeric column, ranges holding about equal numbers of customers.

    Ranges come from quantiles of the non-missing values; repeated cut points are merged and a
    value that alone fills a whole range (such as 0 in a mostly-zero column) gets its own row,
    labelled just ``"0"``. A constant column gives one row. Labels use the lowest and highest
    value actually in each range (``"18–25"``, ``"1,000–2,500"``). Missing values form a final
    ``"(blank)"`` row when present.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`get_churn_rate_by_category` plus ``bin_low, bin_high``, ordered
        low to high.
    """
    _check_positive("bins", bins)
    values = _numeric_values(frame, column)
    known, churn = _label_arrays(frame, churned)
    present = ~np.isnan(values)
    bin_of, lows, highs = _quantile_bins(values, present, bins)
    k = len(lows)
    group = np.where(present, bin_of, k)
    decimals = _label_decimals(lows, highs)
    names = [_range_label(lo, hi, decimals) for lo, hi in zip(lows, highs, strict=True)]
    table = _rate_frame(
        [*names, BLANK_LABEL],
        np.bincount(group[known], minlength=k + 1),
        np.bincount(group[known & churn], minlength=k + 1),
    )
    table[BIN_LOW] = np.append(lows, np.nan)
    table[BIN_HIGH] = np.append(highs, np.nan)
    if table["customers"].iat[-1] == 0:
        table = table.iloc[:-1]
    return table.reset_index(drop=True)


def get_histogram(
    frame: pd.DataFrame, column: str, churned: pd.Series | None = None, bins: int = 30
) -> pd.DataFrame:
    """Counts of customers per range of a numeric column, ready to draw as bars.

    Columns with at most ``min(bins, 30)`` distinct values get one bar per value; others get
    at most ``bins`` equal-width ranges with round edges. Missing values are left out.

    Returns
    -------
    pandas.DataFrame
        ``bin_low, bin_high, label, customers`` and, when ``churned`` is given,
        ``churned_count, stayed_count`` (rows with an unknown label count in ``customers``
        only). Ranges include ``bin_low`` and exclude ``bin_high``, except the last.
    """
    _check_positive("bins", bins)
    values = _numeric_values(frame, column)
    present = ~np.isnan(values)
    v = values[present]
    distinct = np.unique(v)
    if distinct.size <= min(bins, MAX_DISCRETE_VALUES):
        lows = highs = distinct
        bin_of = np.searchsorted(distinct, v)
        decimals = _exact_decimals(distinct)
        labels = [format_number(x, decimals) for x in distinct]
    else:
        integer = bool(np.all(distinct == np.round(distinct)))
        edges, decimals = _nice_edges(float(distinct[0]), float(distinct[-1]), bins, integer)
        lows, highs = edges[:-1], edges[1:]
        bin_of = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, len(lows) - 1)
        integer_steps = integer and decimals == 0 and edges[-1] > distinct[-1]
        labels = [
            _range_label(lo, hi - 1 if integer_steps else hi, decimals)
            for lo, hi in zip(lows, highs, strict=True)
        ]
    k = len(lows)
    table = pd.DataFrame({BIN_LOW: lows, BIN_HIGH: highs, "label": labels})
    table["customers"] = np.bincount(bin_of, minlength=k)
    if churned is not None:
        known, churn = _label_arrays(frame, churned)
        table[CHURNED_COUNT] = np.bincount(bin_of[(known & churn)[present]], minlength=k)
        table[STAYED_COUNT] = np.bincount(bin_of[(known & ~churn)[present]], minlength=k)
    return table


def get_value_counts(
    frame: pd.DataFrame, column: str, churned: pd.Series | None = None, max_levels: int = 15
) -> pd.DataFrame:
    """Customers per value of a column, largest first, ``"Other (N values)"`` and blanks last.

    Returns
    -------
    pandas.DataFrame
        ``value, customers`` and, when ``churned`` is given, ``churned_count, stayed_count``.
    """
    _check_column(frame, column)
    _check_positive("max_levels", max_levels)
    group, names = _categories(frame[column], max_levels, np.ones(len(frame), dtype=bool))
    k = len(names)
    table = pd.DataFrame({"value": names, "customers": np.bincount(group, minlength=k)})
    if churned is not None:
        known, churn = _label_arrays(frame, churned)
        table[CHURNED_COUNT] = np.bincount(group[known & churn], minlength=k)
        table[STAYED_COUNT] = np.bincount(group[known & ~churn], minlength=k)
    keep = (np.arange(k) < k - 2) | (table["customers"].to_numpy() > 0)
    return table[keep].reset_index(drop=True)


def get_numeric_columns(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The columns among ``columns`` that hold numbers (what a correlation can use)."""
    return [c for c in columns if is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])]


def get_correlations(
    frame: pd.DataFrame,
    columns: Sequence[str],
    churned: pd.Series | None = None,
    label_name: str = "Churned",
) -> pd.DataFrame:
    """Spearman (rank) correlation between numeric columns, with the churn label first.

    Ranks are taken per column over its non-missing values; pairs use rows where both are
    present. Constant columns (including a label with one class) are dropped.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, ones on the diagonal; index and columns are the column names.
    """
    names = list(dict.fromkeys(columns))
    for name in names:
        _check_column(frame, name)
    not_numeric = [str(c) for c in names if not is_numeric_dtype(frame[c])]
    if not_numeric:
        raise ValueError(
            f"Correlations need number columns; not numbers: {', '.join(not_numeric)}."
        )
    data = {c: frame[c].to_numpy(dtype=float, na_value=np.nan) for c in names}
    if churned is not None:
        if label_name in data:
            raise ValueError(f"label_name {label_name!r} is already a column; choose another name.")
        known, churn = _label_arrays(frame, churned)
        data = {label_name: np.where(known, churn.astype(float), np.nan), **data}
    ranks = {name: _average_ranks(values) for name, values in data.items()}
    kept = [c for c, r in ranks.items() if r.size and np.fmax.reduce(r) > np.fmin.reduce(r)]
    if not kept:
        return pd.DataFrame(index=pd.Index([]), columns=pd.Index([]), dtype=float)
    corr = _pairwise_correlation(np.column_stack([ranks[c] for c in kept]))
    return pd.DataFrame(corr, index=pd.Index(kept), columns=pd.Index(kept))


def get_missing_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values per column, most first: ``column, missing, missing_pct`` (0-100)."""
    missing = frame.isna().sum().to_numpy()
    share = 100 * missing / len(frame) if len(frame) else np.zeros(len(missing))
    table = pd.DataFrame(
        dict(zip(MISSING_COLUMNS, (list(frame.columns), missing, share), strict=True))
    )
    return table.sort_values(MISSING, ascending=False, kind="stable").reset_index(drop=True)


def get_missing_map(frame: pd.DataFrame, blocks: int = 100) -> pd.DataFrame:
    """Fraction missing per column in up to ``blocks`` consecutive blocks of rows.

    Rows are numbered as a spreadsheet shows them (the header is row 1), so the index reads
    like ``"rows 2–1,001"``.

    Returns
    -------
    pandas.DataFrame
        One row per block (index named ``"rows"``), one column per frame column, values in [0, 1].
    """
    _check_positive("blocks", blocks)
    n = len(frame)
    k = min(blocks, n)
    starts = (np.arange(k) * n) // k
    sizes = np.diff(np.append(starts, n))
    if k:
        counts = np.add.reduceat(frame.isna().to_numpy(), starts, axis=0, dtype=np.int64)
    else:
        counts = np.zeros((0, frame.shape[1]))
    first, last = starts + 2, starts + sizes + 1
    labels = [
        f"row {a:,}" if a == b else f"rows {a:,}–{b:,}" for a, b in zip(first, last, strict=True)
    ]
    return pd.DataFrame(
        counts / np.maximum(sizes, 1)[:, None],
        index=pd.Index(labels, name="rows"),
        columns=frame.columns,
    )


# --- helpers ------------------------------------------------------------------------------


def _check_column(frame: pd.DataFrame, column: str) -> None:
    if column not in frame.columns:
        shown = ", ".join(str(c) for c in frame.columns[:10])
        more = ", ..." if frame.shape[1] > 10 else ""
        raise ValueError(f"{column!r} is not a column of this data. Columns: {shown}{more}.")


def _check_positive(name: str, value: int) -> None:
    if not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1. Got {value!r} instead.")


def _label_arrays(frame: pd.DataFrame, churned: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(label known, churned) as plain bool arrays in frame order."""
    if len(churned) != len(frame) or not churned.index.equals(frame.index):
        raise ValueError("churned must be aligned to frame: same length and the same index.")
    try:
        labels = churned.astype("boolean")
    except (TypeError, ValueError) as exc:
        raise ValueError("churned must hold True/False (or 1/0), with NA where unknown.") from exc
    return labels.notna().to_numpy(), labels.fillna(False).to_numpy(dtype=bool)


def _numeric_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    _check_column(frame, column)
    series = frame[column]
    if is_bool_dtype(series) or not is_numeric_dtype(series):
        raise ValueError(
            f"{column} must hold numbers to be cut into ranges; it holds {series.dtype} values. "
            "Count it by value instead."
        )
    values = series.to_numpy(dtype=float, na_value=np.nan)
    values[~np.isfinite(values)] = np.nan
    return values


def _format_value(value: object) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(int(value)) if float(value).is_integer() else f"{float(value):.6g}"
    return str(value)


def _categories(
    series: pd.Series, max_levels: int, counted: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Per-row group codes: kept levels 0..k-1 (largest first), Other = k, blank = k + 1."""
    codes, uniques = pd.factorize(series)
    labels = [_format_value(u) for u in uniques]
    blank = [i for i, label in enumerate(labels) if not label.strip()]
    if blank:
        codes = np.where(np.isin(codes, blank), -1, codes)
    sizes = np.bincount(codes[(codes >= 0) & counted], minlength=len(labels))
    ranked = sorted(np.flatnonzero(sizes), key=lambda i: (-sizes[i], labels[i]))
    keep, rest = ranked[:max_levels], ranked[max_levels:]
    lookup = np.full(len(labels) + 1, len(keep), dtype=np.intp)
    lookup[keep] = np.arange(len(keep))
    lookup[-1] = len(keep) + 1
    other = f"Other ({len(rest)} value{'' if len(rest) == 1 else 's'})"
    return lookup[codes], [labels[i] for i in keep] + [other, BLANK_LABEL]


def _rate_frame(names: list[str], customers: np.ndarray, churned: np.ndarray) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(customers > 0, churned / customers, np.nan)
    low, high = wilson_interval(churned, customers)
    columns = [names, customers, churned, rate, low, high]
    return pd.DataFrame(dict(zip(RATE_COLUMNS, columns, strict=True)))


def _quantile_bins(
    values: np.ndarray, present: np.ndarray, bins: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bin per row (-1 where missing) and the lowest / highest value in each bin."""
    ordered = np.sort(values[present])
    if ordered.size == 0:
        return np.full(len(values), -1), np.empty(0), np.empty(0)
    n = ordered.size
    cuts = ordered[np.minimum(np.arange(bins + 1) * n // bins, n - 1)]  # bin i starts at i*n/bins
    heavy = np.unique(cuts[1:][cuts[1:] == cuts[:-1]])
    after = ordered[np.minimum(np.searchsorted(ordered, heavy, side="right"), ordered.size - 1)]
    starts = np.unique(np.concatenate([cuts[:-1], heavy, after[after > heavy]]))
    sorted_bin = np.searchsorted(starts, ordered, side="right") - 1
    ids = np.arange(len(starts))
    lows = ordered[np.searchsorted(sorted_bin, ids, side="left")]
    highs = ordered[np.searchsorted(sorted_bin, ids, side="right") - 1]
    bin_of = np.where(present, np.searchsorted(starts, values, side="right") - 1, -1)
    return bin_of, lows, highs


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of the finite values (ties share their average rank); NaN elsewhere."""
    ranks = np.full(len(values), np.nan)
    present = np.isfinite(values)
    if present.any():
        _, inverse, counts = np.unique(values[present], return_inverse=True, return_counts=True)
        ranks[present] = (np.cumsum(counts) - (counts - 1) / 2)[inverse]
    return ranks


def _pairwise_correlation(x: np.ndarray) -> np.ndarray:
    """Pearson correlation of each pair of columns over rows where both are present."""
    present = ~np.isnan(x)
    filled = np.where(present, x - np.nanmean(x, axis=0, keepdims=True), 0.0)
    mask = present.astype(float)
    n = mask.T @ mask
    with np.errstate(divide="ignore", invalid="ignore"):
        sums = filled.T @ mask  # [i, j]: sum of column i over rows where j is present too
        spread = (filled**2).T @ mask - sums**2 / n
        corr = (filled.T @ filled - sums * sums.T / n) / np.sqrt(spread * spread.T)
    corr = np.clip((corr + corr.T) / 2, -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr


def _nice_edges(low: float, high: float, bins: int, integer: bool) -> tuple[np.ndarray, int]:
    """At most ``bins`` equal ranges with round edges covering [low, high], and their decimals."""
    raw = (high - low) / bins
    magnitude = 10.0 ** np.floor(np.log10(raw))
    edges = np.linspace(low, high, bins + 1)
    for step in np.array([1, 2, 2.5, 5, 10, 20, 25, 50]) * magnitude:
        start = np.floor(low / step) * step
        count = int(np.floor((high - start) / step)) + 1
        whole = not integer or (step >= 1 and float(step).is_integer())
        if step >= raw and count <= bins and whole:
            edges = start + step * np.arange(count + 1)
            break
    decimals = _exact_decimals(edges)
    return np.round(edges, decimals), decimals


def _exact_decimals(values: np.ndarray, most: int = 6) -> int:
    """Fewest decimals (up to ``most``) that write every value without rounding it."""
    tolerance = 1e-9 * max(1.0, float(np.abs(values).max(initial=0)))
    exact = (d for d in range(most) if np.all(np.abs(values - np.round(values, d)) <= tolerance))
    return next(exact, most)


def _label_decimals(lows: np.ndarray, highs: np.ndarray) -> int:
    if lows.size == 0 or (np.all(lows == np.round(lows)) and np.all(highs == np.round(highs))):
        return 0
    span = float(highs.max() - lows.min()) or abs(float(highs.max())) or 1.0
    return int(np.clip(2 - np.floor(np.log10(span)), 0, 6))


def _range_label(low: float, high: float, decimals: int) -> str:
    a, b = format_number(low, decimals), format_number(high, decimals)
    return a if a == b else f"{a} to {b}" if a.startswith("-") or b.startswith("-") else f"{a}–{b}"
