"""A file of any size to the at-risk list in flat memory: the same list, byte for byte, as the
table scored whole (``get_at_risk_list`` + ``add_reasons`` + ``to_csv_bytes``)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.explain.contributions import ChurnExplainer
from churn_core.io.export import to_csv_bytes
from churn_core.io.reading import read_table
from churn_core.model.churn_model import ChurnModel
from churn_core.model.policies import CAPACITY, PROFIT, Policy
from churn_core.risk import get_at_risk_list, rank_file, write_at_risk_list
from churn_core.risk.pipeline import SCORING_THREADS, iter_at_risk_blocks
from churn_core.risk.reasons import add_reasons
from tests.churn_core.conftest import SAMPLE

ID = "CustomerID"


@pytest.fixture(scope="module")
def explainer(model: ChurnModel) -> ChurnExplainer:
    return ChurnExplainer(model)


def page_list(
    model: ChurnModel,
    frame: pd.DataFrame,
    explainer: ChurnExplainer,
    *,
    explained: int,
    include_left: bool = False,
    policy: Policy | None = None,
) -> bytes:
    """The list as the app builds and downloads it: the first ``explained`` rows explained."""
    scored = get_at_risk_list(model, frame, id_column=ID, include_left=include_left, policy=policy)
    rows = np.arange(len(scored.frame)) < explained
    if rows.any():
        scored = add_reasons(scored, frame, explainer, rows=rows)
    return to_csv_bytes(scored.frame)


def streamed(path: Path, model: ChurnModel, explainer: ChurnExplainer, **options) -> bytes:
    top = options.pop("top", None)
    ranked = rank_file(path, model, id_column=ID, **options)
    out = io.BytesIO()
    write_at_risk_list(ranked, model, out, explainer, top=top)
    return out.getvalue()


@pytest.mark.parametrize("include_left", [False, True])
def test_a_file_streamed_in_tiny_chunks_and_runs_gives_the_pages_list_byte_for_byte(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer, include_left: bool
) -> None:
    got = streamed(
        SAMPLE,
        model,
        explainer,
        include_left=include_left,
        explain_top=300,
        chunk_rows=333,
        run_rows=700,  # several sorted runs, merged from disk
    )
    assert got == page_list(model, frame, explainer, explained=300, include_left=include_left)


def test_the_list_sorted_in_memory_and_externally_is_the_same(
    model: ChurnModel, explainer: ChurnExplainer
) -> None:
    in_memory = streamed(SAMPLE, model, explainer, explain_top=50, chunk_rows=1_000)
    external = streamed(SAMPLE, model, explainer, explain_top=50, chunk_rows=250, run_rows=100)
    assert in_memory == external


def test_top_n_writes_the_first_n_rows_with_their_reasons(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer
) -> None:
    got = streamed(SAMPLE, model, explainer, explain_top=20, top=25, run_rows=500)
    whole = page_list(model, frame, explainer, explained=20)
    assert got == b"".join(whole.splitlines(keepends=True)[:26])  # header + 25 rows


def test_a_row_by_row_policy_flags_the_same_customers_as_on_the_page(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer
) -> None:
    policy = Policy(PROFIT, offer_cost=40.0, success_rate=0.3)
    got = streamed(SAMPLE, model, explainer, policy=policy, run_rows=800)
    assert got == page_list(model, frame, explainer, explained=0, policy=policy)


def test_a_capacity_policy_is_refused_because_it_needs_the_list_in_memory(
    model: ChurnModel,
) -> None:
    with pytest.raises(ValueError, match="capacity policy needs the whole list"):
        rank_file(SAMPLE, model, policy=Policy(CAPACITY, capacity=10))


def test_memory_holds_a_bounded_number_of_customers_whatever_the_file_length(
    model: ChurnModel, frame: pd.DataFrame, tmp_path: Path
) -> None:
    """Counted, not timed: the rows held at once (chunks in flight, the sort, the top N)."""
    chunk, run, top = 400, 1_500, 100
    peaks = {}
    for copies in (1, 6):
        path = tmp_path / f"customers_x{copies}.csv"
        many = pd.concat([frame] * copies, ignore_index=True)
        many[ID] = [f"{i}-{k}" for k in range(copies) for i in frame[ID]]
        many.to_csv(path, index=False)
        ranked = rank_file(
            path, model, id_column=ID, explain_top=top, chunk_rows=chunk, run_rows=run
        )
        blocks = sum(len(block) for block in iter_at_risk_blocks(ranked, model))
        assert blocks == ranked.listed == 3_750 * copies
        peaks[copies] = ranked.peak_rows  # after the merge: the sort's peak is in it
    bound = (SCORING_THREADS + 1) * chunk + 2 * run + top
    assert all(peak <= bound for peak in peaks.values()), peaks
    assert peaks[6] <= peaks[1] + run, peaks  # 6 times the customers, not 6 times the memory


def test_parquet_in_gives_the_same_list_as_csv_in(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer, tmp_path: Path
) -> None:
    path = tmp_path / "customers.parquet"
    read_table(SAMPLE).frame.to_parquet(path, index=False)
    assert streamed(path, model, explainer, explain_top=40, chunk_rows=700) == streamed(
        SAMPLE, model, explainer, explain_top=40, chunk_rows=700
    )


def test_parquet_out_holds_the_list_at_full_precision(
    model: ChurnModel, frame: pd.DataFrame, explainer: ChurnExplainer, tmp_path: Path
) -> None:
    out = tmp_path / "at_risk.parquet"
    ranked = rank_file(SAMPLE, model, id_column=ID, explain_top=30, run_rows=1_000)
    assert write_at_risk_list(ranked, model, out, explainer) == 3_750
    written = pd.read_parquet(out)
    scored = get_at_risk_list(model, frame, id_column=ID)
    expected = add_reasons(scored, frame, explainer, rows=np.arange(3_750) < 30).frame
    assert list(written.columns) == [ID, *col.AT_RISK_COLUMNS]
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)


def test_a_file_without_the_models_columns_is_refused_naming_the_new_ones(
    model: ChurnModel, frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "renamed.csv"
    frame.rename(columns={"Contract": "ContractType"}).to_csv(path, index=False)
    with pytest.raises(ChurnDataError) as caught:
        rank_file(path, model)
    (problem,) = caught.value.problems
    assert "Missing: Contract." in problem.message and "New: ContractType." in problem.message
