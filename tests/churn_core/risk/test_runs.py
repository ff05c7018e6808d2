"""The external merge sort gives the list's order whatever fits in memory, in bounded memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from churn_core.risk.runs import RankedRuns, ScoredRows, ranks_before


def customers(n: int, seed: int = 1) -> ScoredRows:
    """Scores with many exact ties (2-decimal probabilities, whole values), missing values,
    zero values and ``-0.0`` risks: the cases where the order rests on the tie-breaks."""
    rng = np.random.default_rng(seed)
    p = np.round(rng.random(n), 2)
    values = np.round(rng.random(n) * 10)
    values[rng.random(n) < 0.1] = np.nan
    values[:20] = 0.0
    values[20:30] = -0.0
    ids = np.array([f"C{i:05d}" for i in range(n)], dtype=object)
    return ScoredRows(np.arange(n, dtype=np.int64), ids, p, values)


def in_memory_order(rows: ScoredRows) -> np.ndarray:
    """The order ``rank_customers`` gives: value at risk (missing last), probability, file."""
    at_risk = rows.p * rows.values
    return np.lexsort((-rows.p, np.where(np.isnan(at_risk), np.inf, -at_risk)))


def ranked(rows: ScoredRows, chunk: int, **options: int) -> tuple[ScoredRows, RankedRuns]:
    with RankedRuns(**options) as runs:
        for start in range(0, len(rows), chunk):
            runs.add(rows.take(slice(start, start + chunk)))
        return ScoredRows.concat(list(runs.blocks(block_rows=97))), runs


def test_the_order_sorted_in_memory_is_the_lists_order() -> None:
    rows = customers(5_000)
    got, runs = ranked(rows, chunk=700, run_rows=10_000)
    assert not runs.runs  # it all fitted: nothing spilled
    np.testing.assert_array_equal(got.positions, in_memory_order(rows))


@pytest.mark.parametrize(
    "options",
    [
        {"run_rows": 250, "merge_rows": 100, "spill_block": 16},
        {"run_rows": 1, "merge_rows": 1, "spill_block": 1, "max_runs": 2},  # merged in passes
        {"run_rows": 999, "merge_rows": 5, "spill_block": 7, "max_runs": 3},
    ],
)
def test_the_external_sort_with_tiny_runs_gives_the_in_memory_order(
    options: dict[str, int],
) -> None:
    rows = customers(3_000 if options["run_rows"] > 1 else 300)
    got, _ = ranked(rows, chunk=123, **options)
    expected = rows.take(in_memory_order(rows))
    np.testing.assert_array_equal(got.positions, expected.positions)
    np.testing.assert_array_equal(got.ids, expected.ids)
    np.testing.assert_array_equal(got.p, expected.p)
    np.testing.assert_array_equal(got.values, expected.values)


def test_the_customers_held_at_once_do_not_grow_with_the_number_of_customers() -> None:
    options = {"run_rows": 500, "merge_rows": 200, "spill_block": 50, "max_runs": 4}
    peaks = {}
    for n in (2_000, 20_000, 60_000):  # 4 runs merged at once; 40 and 120 merged in passes
        _, runs = ranked(customers(n), chunk=100, **options)
        peaks[n] = runs.peak_rows
    bound = max(500, 200 + 2 * 4 * 50)  # a run, or the merge's buffers (see RankedRuns)
    assert all(peak <= bound for peak in peaks.values()), peaks
    assert peaks[60_000] <= peaks[2_000] * 1.5, peaks


def test_the_temporary_runs_are_removed_when_done(tmp_path: Path) -> None:
    rows = customers(1_000)
    with RankedRuns(100, folder=tmp_path) as runs:
        for start in range(0, len(rows), 100):
            runs.add(rows.take(slice(start, start + 100)))
        assert list(tmp_path.rglob("*.pkl"))
        assert len(list(runs.blocks())) > 0
    assert not list(tmp_path.rglob("*.pkl"))


def test_ranks_before_compares_value_at_risk_then_probability_then_file_order() -> None:
    rows = ScoredRows(
        np.array([0, 1, 2, 3]),
        np.array(["a", "b", "c", "d"], dtype=object),
        np.array([0.5, 0.5, 0.9, 0.5]),
        np.array([10.0, 10.0, np.nan, 20.0]),
    )
    cut = rows.key(1)  # 5.0 at risk, probability 0.5, file position 1
    assert ranks_before(rows, cut).tolist() == [True, False, False, True]
    assert ranks_before(rows, cut, inclusive=True).tolist() == [True, True, False, True]


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="must be at least 1"):
        RankedRuns(0)
