"""The at-risk list's order for a file of any size, in bounded memory: an external merge sort.

Ranking needs every customer's score before the first row can be written, but not every
customer in memory at once. Scored customers (file position, id, probability, value: what the
list needs, not their columns) are held up to ``run_rows`` at a time; a file that fits is sorted
in memory. Past that, each full batch is sorted and spilled to a temporary file (a "run"), and
the runs are merged back in rank order a block at a time (a k-way merge; more than ``MAX_RUNS``
runs are merged in passes), so memory stays flat however long the file.

The order is the at-risk list's (docs/architecture.md, "The at-risk list"): expected value at
risk, highest first (missing last), then probability, highest first, then file order; the same
as ``churn_core.risk.ranking.rank_customers``.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

#: Customers held in memory before a sorted run is spilled to disk (~100 MB with text ids).
RUN_ROWS = 1_000_000
#: Customers the merge holds across all runs at once (at most ``run_rows``).
MERGE_ROWS = 200_000
#: Most runs merged at once; more are first merged in passes, so the merge's memory is bounded.
MAX_RUNS = 32
#: Rows per block written to a run file, the unit the merge reads (at most a 64th of the merge's).
SPILL_BLOCK = 4_096

#: A rank key: (minus expected value at risk, missing as +inf; minus probability; file position).
Key = tuple[float, float, int]


@dataclass
class ScoredRows:
    """Scored customers: where each is in the file, their id, probability and value."""

    positions: np.ndarray  # 0-based position in the file (int64)
    ids: np.ndarray
    p: np.ndarray
    values: np.ndarray  # what keeping the customer is worth; NaN when unknown

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def at_risk(self) -> np.ndarray:
        """Expected value at risk: probability x value."""
        return np.asarray(self.p * self.values, dtype=float)

    def keys(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rank key's three parts, each sorted ascending in rank order."""
        at_risk = self.at_risk
        return np.where(np.isnan(at_risk), np.inf, -at_risk), -self.p, self.positions

    def key(self, i: int) -> Key:
        at_risk = float(self.p[i] * self.values[i])
        return (
            (np.inf if np.isnan(at_risk) else -at_risk),
            -float(self.p[i]),
            int(self.positions[i]),
        )

    def rank_order(self) -> np.ndarray:
        """Indices that put these rows in rank order."""
        first, second, third = self.keys()
        return np.lexsort((third, second, first))

    def count_through(self, cut: Key) -> int:
        """How many leading rows (in rank order already) rank at or before ``cut``."""
        return int(ranks_before(self, cut, inclusive=True).sum())

    def take(self, index: np.ndarray | slice) -> ScoredRows:
        return ScoredRows(self.positions[index], self.ids[index], self.p[index], self.values[index])

    @classmethod
    def empty(cls) -> ScoredRows:
        return cls(np.array([], dtype=np.int64), np.array([], dtype=object), *([np.array([])] * 2))

    @classmethod
    def concat(cls, parts: list[ScoredRows]) -> ScoredRows:
        parts = [part for part in parts if len(part)] or [cls.empty()]
        if len(parts) == 1:
            return parts[0]
        return cls(
            np.concatenate([part.positions for part in parts]),
            np.concatenate([part.ids for part in parts]),
            np.concatenate([part.p for part in parts]),
            np.concatenate([part.values for part in parts]),
        )


def ranks_before(rows: ScoredRows, cut: Key, *, inclusive: bool = False) -> np.ndarray:
    """Per row: does it rank before ``cut`` (or at it, when ``inclusive``)?"""
    first, second, third = rows.keys()
    last = third <= cut[2] if inclusive else third < cut[2]
    return (first < cut[0]) | (
        (first == cut[0]) & ((second < cut[1]) | ((second == cut[1]) & last))
    )


class RankedRuns:
    """Scored customers gathered chunk by chunk, then read back in rank order (``blocks``).

    Holds at most ``run_rows`` customers before spilling a sorted run to a temporary folder;
    the merge holds at most ``merge_rows + 2 x max_runs x spill_block`` (by default at most
    ``2 x run_rows``). ``peak_rows`` counts the most customers it ever held at once (the memory
    bound, counted).
    Use as a context manager (or call ``close``) so the temporary files are removed.
    """

    def __init__(
        self,
        run_rows: int = RUN_ROWS,
        *,
        merge_rows: int | None = None,
        spill_block: int | None = None,
        max_runs: int = MAX_RUNS,
        folder: str | Path | None = None,
    ) -> None:
        if merge_rows is None:
            merge_rows = min(MERGE_ROWS, run_rows)
        if spill_block is None:
            spill_block = min(SPILL_BLOCK, max(1, merge_rows // (2 * max_runs)))
        if min(run_rows, merge_rows, spill_block) < 1 or max_runs < 2:
            raise ValueError(
                "run_rows, merge_rows and spill_block must be at least 1 and max_runs at least "
                f"2. Got {run_rows}, {merge_rows}, {spill_block} and {max_runs}."
            )
        self.run_rows = run_rows
        self.merge_rows = merge_rows
        self.spill_block = spill_block
        self.max_runs = max_runs
        self.rows = 0
        self.peak_rows = 0
        self.runs: list[Path] = []
        self._folder = folder
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._held: list[ScoredRows] = []
        self._held_rows = 0
        self._made = 0

    def __enter__(self) -> RankedRuns:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.rows

    def add(self, rows: ScoredRows) -> None:
        """Take a chunk's scored customers (any order); spill a sorted run when memory is full."""
        if not len(rows):
            return
        if self._held and self._held_rows + len(rows) > self.run_rows:
            self._spill()
        self._held.append(rows)
        self._held_rows += len(rows)
        self.rows += len(rows)
        self._count(self._held_rows)
        if self._held_rows > self.run_rows:
            self._spill()

    def blocks(self, block_rows: int = 100_000) -> Iterator[ScoredRows]:
        """Every customer in rank order, a block at a time (merged from disk when spilled)."""
        if not self.runs:
            held = ScoredRows.concat(self._held)
            ordered = held.take(held.rank_order())
            for start in range(0, len(ordered), block_rows):
                yield ordered.take(slice(start, start + block_rows))
            return
        self._spill()
        while len(self.runs) > self.max_runs:  # merge in passes: the merge's memory stays bounded
            first, self.runs = self.runs[: self.max_runs], self.runs[self.max_runs :]
            path = self._new_run()
            with path.open("wb") as out:
                for block in self._merge(first):
                    _write_run(out, block, self.spill_block)
            for done in first:
                done.unlink()
            self.runs.append(path)
        yield from self._merge(self.runs)

    def close(self) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None
        self.runs = []

    def _count(self, held: int) -> None:
        self.peak_rows = max(self.peak_rows, held)

    def _new_run(self) -> Path:
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="churn_runs_", dir=self._folder)
        self._made += 1
        return Path(self._temporary.name) / f"run_{self._made:05d}.pkl"

    def _spill(self) -> None:
        if not self._held:
            return
        held = ScoredRows.concat(self._held)
        self._held, self._held_rows = [], 0
        path = self._new_run()
        with path.open("wb") as out:
            _write_run(out, held.take(held.rank_order()), self.spill_block)
        self.runs.append(path)

    def _merge(self, paths: list[Path]) -> Iterator[ScoredRows]:
        """The runs' customers in rank order: each step emits every buffered row that ranks at
        or before the smallest of the runs' last buffered keys (nothing unread can precede it)."""
        per_run = max(self.spill_block, self.merge_rows // len(paths))
        readers = [_RunReader(path, per_run) for path in paths]
        try:
            active = [r for r in readers if r.fill()]
            while active:
                cut = min(r.buffer.key(len(r.buffer) - 1) for r in active)
                parts = [r.take_through(cut) for r in active]
                block = ScoredRows.concat(parts)
                self._count(len(block) + sum(len(r.buffer) for r in active))
                yield block.take(block.rank_order())
                active = [r for r in active if r.fill()]
        finally:
            for reader in readers:
                reader.close()


def _write_run(out: BinaryIO, rows: ScoredRows, block: int) -> None:
    for start in range(0, len(rows), block):
        part = rows.take(slice(start, start + block))
        pickle.dump(
            (part.positions, part.ids, part.p, part.values), out, protocol=pickle.HIGHEST_PROTOCOL
        )


class _RunReader:
    """One sorted run file, read a few blocks at a time."""

    def __init__(self, path: Path, rows: int) -> None:
        self._file: BinaryIO | None = path.open("rb")
        self._rows = rows
        self.buffer = ScoredRows.empty()

    def fill(self) -> bool:
        """Top the buffer up to its size if it ran empty; False when the run is used up."""
        if len(self.buffer) or self._file is None:
            return bool(len(self.buffer))
        parts = []
        read = 0
        while read < self._rows:
            try:
                parts.append(ScoredRows(*pickle.load(self._file)))  # our own run file
            except EOFError:
                self.close()
                break
            read += len(parts[-1])
        self.buffer = ScoredRows.concat(parts)
        return bool(len(self.buffer))

    def take_through(self, cut: Key) -> ScoredRows:
        count = self.buffer.count_through(cut)
        taken = self.buffer.take(slice(0, count))
        self.buffer = self.buffer.take(slice(count, None))
        return taken

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
