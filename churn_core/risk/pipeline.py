"""The whole pass from a table (or a file of any size) to the ranked at-risk list.

features -> probabilities (``score_customers``) -> customer values (``value_customers``) ->
ranking and policy (``rank_customers``); reasons and actions follow for the rows a person
reads (``churn_core.risk.reasons``). The app caches each step on its own (``ui/model_state.py``).

A file of any size (the command line) is streamed in flat memory: ``rank_file`` scores it a
chunk at a time, reading only the columns the model and the list need, with the model running
on a second thread while the next chunk is read (the model releases the GIL; each still uses
one OpenMP thread, see ``MODEL_THREADS``). Per customer it keeps only what the ranking needs
(position, id, probability, value), sorted externally when they do not fit
(``churn_core.risk.runs``), plus the model's inputs of the current top N to explain.
``iter_at_risk_blocks`` then yields the list in rank order, block by block, reasons and actions
filled for the top N, for ``write_at_risk_list`` to write as CSV (the same bytes as the app's
download) or Parquet.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import DataWarning
from churn_core.io import iter_csv_bytes, iter_table_chunks, write_parquet
from churn_core.model import CAPACITY, ChurnModel, Flagging, Policy, apply_policy, check_columns
from churn_core.risk.ranking import AtRiskList, describe_left_out, rank_customers
from churn_core.risk.runs import RUN_ROWS, RankedRuns, ScoredRows, ranks_before
from churn_core.risk.scoring import CustomerScores, score_customers, value_customers
from churn_core.survival import ClvAssumptions

if TYPE_CHECKING:
    from churn_core.explain import ChurnExplainer

#: Rows read at a time when a file is scored.
CHUNK_ROWS = 50_000
#: Chunks scored on other threads while the main thread reads the next one.
SCORING_THREADS = 1
#: Rows of the list per block written.
BLOCK_ROWS = 100_000


def get_at_risk_list(
    model: ChurnModel,
    frame: pd.DataFrame,
    *,
    policy: Policy | None = None,
    id_column: str | None = None,
    clv_assumptions: ClvAssumptions | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """Score, value and rank every customer of ``frame``; customers whose label says they
    already left are left out unless ``include_left``."""
    scores = score_customers(model, frame, id_column=id_column)
    values = value_customers(model, frame, clv_assumptions)
    return rank_customers(model, scores, values, policy=policy, include_left=include_left)


def score_file(
    path: str | Path,
    model: ChurnModel,
    *,
    policy: Policy | None = None,
    id_column: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    clv_assumptions: ClvAssumptions | None = None,
    include_left: bool = False,
) -> AtRiskList:
    """The at-risk list of a file, scored and valued chunk by chunk, held whole in memory (one
    row per listed customer; any policy). For files too long for that, see ``rank_file``."""
    scores: list[CustomerScores] = []
    values: list[np.ndarray] = []
    for _, scored, value in _scored_chunks(path, model, id_column, chunk_rows, clv_assumptions):
        scores.append(scored)
        values.append(value)
    return rank_customers(
        model,
        CustomerScores.concat(scores),
        np.concatenate(values),
        policy=policy,
        include_left=include_left,
    )


@dataclass
class ListSummary:
    """What scoring a file found: the command line's summary of the list."""

    listed: int = 0
    left_out: int = 0
    left_label: str = ""
    flagged: int = 0
    expected_churners: float = 0.0
    warnings: list[DataWarning] = field(default_factory=list)
    #: Rows given reasons and an action.
    explained: int = 0

    def describe_left_out(self) -> str:
        return describe_left_out(self.left_out, self.left_label)

    def summary(self) -> str:
        """``"1,234 customers flagged; about 567 of them are expected to leave"``."""
        none = np.array([], dtype=bool)
        return Flagging(none, none, self.flagged, self.expected_churners).summary()


@dataclass
class RankedFile(ListSummary):
    """A file scored and ranked in bounded memory: its listed customers, ready to be read in
    rank order (``iter_at_risk_blocks``), what the policy flagged, and what was odd."""

    runs: RankedRuns = field(default_factory=RankedRuns)
    id_name: str = col.ROW_NUMBER_ID
    policy: Policy = field(default_factory=Policy)
    #: The first customers of the list (up to ``explain_top``), in rank order, and their
    #: columns as the model reads them: the rows to explain.
    leaders: ScoredRows = field(default_factory=ScoredRows.empty)
    leader_inputs: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The most rows of the file held at once while it was read (chunks in flight).
    chunk_peak_rows: int = 0

    @property
    def peak_rows(self) -> int:
        """The most customers held in memory at once (at most): the chunks in flight, the
        sort's (``RankedRuns.peak_rows``) and the top N kept to explain. Counted, not timed."""
        return self.chunk_peak_rows + self.runs.peak_rows + len(self.leaders)

    def close(self) -> None:
        """Remove the sort's temporary files."""
        self.runs.close()


def rank_file(
    path: str | Path,
    model: ChurnModel,
    *,
    policy: Policy | None = None,
    id_column: str | None = None,
    include_left: bool = False,
    explain_top: int = 0,
    chunk_rows: int = CHUNK_ROWS,
    run_rows: int = RUN_ROWS,
    clv_assumptions: ClvAssumptions | None = None,
    spill_folder: str | Path | None = None,
) -> RankedFile:
    """Score and rank a file of any size in bounded memory (see the module docstring).

    ``explain_top``: keep the model's inputs of the first N customers of the list, to explain
    them. ``run_rows``: customers held before sorted runs are spilled to ``spill_folder``
    (default: the system's temporary folder). Close the result (or read it whole with
    ``iter_at_risk_blocks``) to remove the temporary files.

    Raises
    ------
    ChurnDataError
        When the file lacks columns the model needs.
    ValueError
        For a capacity policy ("the top 500"): it needs the list in memory (``score_file``).
    """
    policy = policy or Policy()
    if policy.kind == CAPACITY:
        raise ValueError("A capacity policy needs the whole list in memory; use score_file.")
    ranked = RankedFile(runs=RankedRuns(run_rows, folder=spill_folder), policy=policy)
    leaders = _Leaders(explain_top, list(model.schema.columns))
    tallies: list[CustomerScores] = []
    try:
        chunks = _scored_chunks(path, model, id_column, chunk_rows, clv_assumptions, ranked)
        for chunk, scores, values in chunks:
            kept = np.arange(len(scores.p)) if include_left else np.flatnonzero(~scores.left)
            rows = ScoredRows(
                chunk.index.to_numpy(dtype=np.int64)[kept],
                scores.ids[kept],
                scores.p[kept],
                np.asarray(values, dtype=float)[kept],
            )
            ranked.runs.add(rows)
            leaders.offer(rows, chunk, kept)
            flagging = _flagging(model, policy, rows.p, rows.values)
            ranked.flagged += flagging.count
            ranked.expected_churners += flagging.expected_churners
            ranked.left_out += len(scores.p) - len(kept)
            ranked.id_name = scores.id_name
            empty = np.array([])
            tallies.append(replace(scores, ids=empty, p=empty, left=empty))
    except BaseException:
        ranked.close()
        raise
    ranked.listed = len(ranked.runs)
    if tallies:
        ranked.warnings = CustomerScores.concat(tallies).warnings
    if ranked.left_out:
        ranked.left_label = f'{model.label_column} = "{model.label_mapping.churned_value}"'
    ranked.leaders, ranked.leader_inputs = leaders.rows, leaders.inputs
    ranked.explained = len(leaders.rows)
    return ranked


def iter_at_risk_blocks(
    ranked: RankedFile,
    model: ChurnModel,
    explainer: ChurnExplainer | None = None,
    *,
    top: int | None = None,
    block_rows: int = BLOCK_ROWS,
    ordered: Iterable[ScoredRows] | None = None,
) -> Iterator[pd.DataFrame]:
    """The at-risk list of ``ranked`` in rank order, a block at a time (at least one block,
    empty when no one is listed), its columns those of ``rank_customers``. The first
    ``len(ranked.leaders)`` rows get reasons and an action from ``explainer`` (a
    ``churn_core.explain.ChurnExplainer``), when given. ``top`` stops after N rows. The sort's
    temporary files are removed at the end. ``ordered``: the listed customers in rank order
    when they come from elsewhere than ``ranked.runs`` (Spark).
    """
    explained = len(ranked.leaders) if explainer is not None else 0
    if top is not None:
        explained = min(explained, top)
    head: list[tuple[pd.DataFrame, np.ndarray, np.ndarray]] = []
    done = 0
    yielded = False
    try:
        for block in ranked.runs.blocks(block_rows) if ordered is None else ordered:
            if top is not None:
                block = block.take(slice(0, max(top - done, 0)))
            frame, flagged = list_block(model, ranked, block, first_rank=done + 1)
            cut = min(max(explained - done, 0), len(block))
            done += len(block)
            if cut and explainer is not None:
                head.append((frame.iloc[:cut], flagged[:cut], block.positions[:cut]))
                frame = frame.iloc[cut:]
                if done >= explained:
                    yield explained_head(ranked, model, explainer, head)
                    yielded = True
            if len(frame) or not yielded:
                yield frame
                yielded = True
            if top is not None and done >= top:
                break
        if not yielded:
            empty = ScoredRows.empty()
            yield list_block(model, ranked, empty, first_rank=1)[0]
    finally:
        ranked.close()


def write_at_risk_list(
    ranked: RankedFile,
    model: ChurnModel,
    out: str | Path | BinaryIO,
    explainer: ChurnExplainer | None = None,
    *,
    top: int | None = None,
    ordered: Iterable[ScoredRows] | None = None,
) -> int:
    """Write the list as it is merged: Parquet when ``out`` is a path ending in ``.parquet``
    (full precision), else CSV, the same bytes as the app's download (``to_csv_bytes``).
    Returns the number of rows written. ``ordered``: see ``iter_at_risk_blocks``."""
    blocks = iter_at_risk_blocks(ranked, model, explainer, top=top, ordered=ordered)
    if isinstance(out, str | Path) and str(out).lower().endswith(".parquet"):
        return write_parquet(blocks, out)
    rows = 0

    def counted() -> Iterator[pd.DataFrame]:
        nonlocal rows
        for frame in blocks:
            rows += len(frame)
            yield frame

    with Path(out).open("wb") if isinstance(out, str | Path) else nullcontext(out) as handle:
        for data in iter_csv_bytes(counted()):
            handle.write(data)
    return rows


def needed_columns(model: ChurnModel, id_column: str | None) -> list[str]:
    """The columns scoring reads: the model's, the id, the label, revenue and tenure."""
    value = model.card["value"]
    source = value.get("retention_curve", {}).get("source", {})
    names = [
        *model.schema.columns,
        id_column,
        model.id_column,
        model.label_column,
        value.get("revenue_column"),
        source.get("tenure_column"),
        source.get("signup_column"),
    ]
    return [name for name in dict.fromkeys(names) if name]


def _check_file_columns(path: str | Path, model: ChurnModel) -> None:
    """Raise before any work when the file lacks columns the model needs (naming every column
    the file has that the model does not know)."""
    first = next(iter_table_chunks(path, 1), None)  # the generator is closed as it is freed
    if first is not None:
        check_columns(model, first)


def _score_chunk(
    model: ChurnModel,
    chunk: pd.DataFrame,
    id_column: str | None,
    clv_assumptions: ClvAssumptions | None,
) -> tuple[CustomerScores, np.ndarray]:
    return (
        score_customers(model, chunk, id_column=id_column),
        value_customers(model, chunk, clv_assumptions),
    )


def _scored_chunks(
    path: str | Path,
    model: ChurnModel,
    id_column: str | None,
    chunk_rows: int,
    clv_assumptions: ClvAssumptions | None,
    counter: RankedFile | None = None,
) -> Iterator[tuple[pd.DataFrame, CustomerScores, np.ndarray]]:
    """Each chunk with its scores and values, in file order; the model scores chunks on
    ``SCORING_THREADS`` other threads while the next chunk is read."""
    _check_file_columns(path, model)
    columns = needed_columns(model, id_column)
    pending: deque[tuple[pd.DataFrame, Future[tuple[CustomerScores, np.ndarray]]]] = deque()
    with ThreadPoolExecutor(SCORING_THREADS, thread_name_prefix="churn-score") as pool:
        for chunk in iter_table_chunks(path, chunk_rows, columns=columns):
            pending.append(
                (chunk, pool.submit(_score_chunk, model, chunk, id_column, clv_assumptions))
            )
            if counter is not None:  # every chunk alive: the pending ones, this one included
                held = sum(len(c) for c, _ in pending)
                counter.chunk_peak_rows = max(counter.chunk_peak_rows, held)
            while len(pending) > SCORING_THREADS:
                done, future = pending.popleft()
                yield done, *future.result()
        while pending:
            done, future = pending.popleft()
            yield done, *future.result()


def _flagging(model: ChurnModel, policy: Policy, p: np.ndarray, values: np.ndarray) -> Flagging:
    """The policy applied to some of the list's customers (a rule customer by customer)."""
    return apply_policy(
        p, policy, threshold=model.threshold, base_rate=model.base_rate, values=values
    )


def list_block(
    model: ChurnModel, ranked: RankedFile, rows: ScoredRows, *, first_rank: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows of the list in rank order, as ``rank_customers`` lays them out; and who is flagged."""
    flagging = _flagging(model, ranked.policy, rows.p, rows.values)
    frame = pd.DataFrame(
        {
            ranked.id_name: rows.ids,
            col.RANK: np.arange(first_rank, first_rank + len(rows)),
            col.CHURN_PROBABILITY: rows.p,
            col.RISK_BAND: flagging.bands,
            col.EXPECTED_VALUE_AT_RISK: rows.at_risk,
            col.CUSTOMER_VALUE: rows.values,
            **{name: "" for name in col.AT_RISK_COLUMNS[5:]},
        }
    )
    return frame, flagging.flagged


def explained_head(
    ranked: RankedFile,
    model: ChurnModel,
    explainer: ChurnExplainer,
    head: list[tuple[pd.DataFrame, np.ndarray, np.ndarray]],
) -> pd.DataFrame:
    """The list's first rows with reasons and actions, as ``add_reasons`` fills them."""
    from churn_core.risk.reasons import fill_reasons

    frame = pd.concat([part[0] for part in head])
    flagged = np.concatenate([part[1] for part in head])
    positions = np.concatenate([part[2] for part in head])
    if not np.array_equal(positions, ranked.leaders.positions[: len(positions)]):
        raise RuntimeError("The list's first rows are not the customers kept to explain.")
    explanation = explainer.explain(ranked.leader_inputs.iloc[: len(positions)])
    flagging = Flagging(flagged, frame[col.RISK_BAND].to_numpy(), int(flagged.sum()), 0.0)
    at_risk = AtRiskList(frame.reset_index(drop=True), flagging, ranked.id_name)
    rows = np.ones(len(frame), dtype=bool)
    return fill_reasons(at_risk, rows, explanation, model.schema).frame


class _Leaders:
    """The first ``n`` customers of the list so far, and their columns as the model reads them."""

    def __init__(self, n: int, columns: list[str]) -> None:
        self.n = max(int(n), 0)
        self.columns = columns
        self.rows = ScoredRows.empty()
        self.inputs = pd.DataFrame(columns=columns)

    def offer(self, rows: ScoredRows, chunk: pd.DataFrame, index: np.ndarray) -> None:
        """Consider a chunk's customers (``index``: their rows in ``chunk``)."""
        if not self.n or not len(rows):
            return
        if len(self.rows) == self.n:  # only customers ranked before the last leader enter
            better = ranks_before(rows, self.rows.key(self.n - 1))
            rows, index = rows.take(better), index[better]
            if not len(rows):
                return
        candidates = ScoredRows.concat([self.rows, rows])
        inputs = chunk.iloc[index][self.columns]
        inputs = pd.concat([self.inputs, inputs]) if len(self.inputs) else inputs
        order = candidates.rank_order()[: self.n]
        self.rows, self.inputs = candidates.take(order), inputs.iloc[order]
