"""Spark scores with the same bundle and gives the local engine's list: the same customers, in
the same order, with the same probabilities (within 1e-9), reasons and summary.

Spark runs in local mode (``local[2]``), one session for the whole test run. Without Java or
pyspark these tests skip, except under CI (CI=true), where they fail.
"""

from __future__ import annotations

import builtins
import importlib.util
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.errors import ChurnDataError
from churn_core.explain.contributions import ChurnExplainer
from churn_core.io.reading import read_table
from churn_core.model.churn_model import ChurnModel
from churn_core.risk import rank_file, write_at_risk_list
from churn_core.risk.pipeline import ListSummary
from tests.churn_core.conftest import SAMPLE, run_cli

ID = "CustomerID"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local Spark session (``local[2]``) shared by every test, stopped at the end."""
    missing = [
        what
        for what, found in (
            ("Java (apt-get install openjdk-17-jre-headless)", shutil.which("java")),
            ("pyspark (pip install -r requirements-dev.txt)", importlib.util.find_spec("pyspark")),
        )
        if not found
    ]
    if missing:
        reason = f"Spark tests need {' and '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run them, not skip them.")
        pytest.skip(reason)
    from churn_core.risk.spark import get_spark

    session = get_spark("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def customers(frame: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample twice over (new ids, the same rows: exact ties that only file order breaks),
    with a plan the model never saw: 10,000 customers."""
    twice = pd.concat([frame, frame], ignore_index=True)
    twice[ID] = [f"{i}-{k}" for k in (0, 1) for i in frame[ID]]
    twice.loc[[10, 7_010, 9_999], "Plan"] = "Platinum"
    path = tmp_path_factory.mktemp("spark") / "customers.csv"
    twice.to_csv(path, index=False)
    return path


@pytest.fixture
def small_partitions(spark: Any) -> Iterator[None]:
    """Several input partitions even for a small file: positions must follow the file."""
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(200_000))
    yield
    spark.conf.unset("spark.sql.files.maxPartitionBytes")


def local_list(path: Path, model: ChurnModel, out: Path, explain_top: int) -> ListSummary:
    ranked = rank_file(path, model, id_column=ID, include_left=True, explain_top=explain_top)
    explainer = ChurnExplainer(model) if ranked.explained else None
    write_at_risk_list(ranked, model, out, explainer)
    return ranked


@pytest.mark.slow
def test_the_spark_list_is_the_local_list(
    spark: Any, small_partitions: None, model: ChurnModel, customers: Path, tmp_path: Path
) -> None:
    from churn_core.risk.spark import score_with_spark

    local = tmp_path / "local.parquet"
    summary = local_list(customers, model, local, explain_top=0)
    on_spark = tmp_path / "spark.parquet"
    found = score_with_spark(str(customers), model, str(on_spark), id_column=ID, include_left=True)
    expected = pd.read_parquet(local)
    got = pd.read_parquet(on_spark).sort_values(col.RANK, ignore_index=True)
    assert got[ID].tolist() == expected[ID].tolist()  # the same customers in the same order
    assert got[col.RANK].tolist() == list(range(1, 10_001))
    np.testing.assert_allclose(
        got[col.CHURN_PROBABILITY], expected[col.CHURN_PROBABILITY], rtol=0, atol=1e-9
    )
    assert got[col.RISK_BAND].tolist() == expected[col.RISK_BAND].tolist()
    np.testing.assert_allclose(got[col.CUSTOMER_VALUE], expected[col.CUSTOMER_VALUE], atol=1e-6)
    assert (found.listed, found.flagged) == (summary.listed, summary.flagged)
    assert found.expected_churners == pytest.approx(summary.expected_churners, abs=1e-6)
    assert [w.message for w in found.warnings] == [w.message for w in summary.warnings]
    assert found.warnings[0].message.startswith("Plan has 3 customers with values the model")


@pytest.mark.slow
def test_the_spark_csv_with_reasons_is_the_local_csv_byte_for_byte(
    spark: Any, small_partitions: None, model: ChurnModel, customers: Path, tmp_path: Path
) -> None:
    from churn_core.risk.spark import score_with_spark

    local = tmp_path / "local.csv"
    local_list(customers, model, local, explain_top=150)
    on_spark = tmp_path / "spark.csv"
    found = score_with_spark(
        str(customers), model, str(on_spark), id_column=ID, include_left=True, reasons=150
    )
    assert found.explained == 150
    assert on_spark.read_bytes() == local.read_bytes()
    written = pd.read_csv(io.BytesIO(on_spark.read_bytes()), encoding="utf-8-sig")
    assert written[col.TOP_REASON_1].iloc[:150].notna().all()


@pytest.mark.slow
def test_score_on_spark_from_the_command_line_writes_what_the_local_engine_writes(
    spark: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "model"
    assert run_cli("train", SAMPLE, "--out", folder).returncode == 0
    local, on_spark = tmp_path / "local.csv", tmp_path / "spark.csv"
    assert run_cli("score", SAMPLE, "--model", folder, "--out", local).returncode == 0
    result = run_cli(
        "score", SAMPLE, "--model", folder, "--out", on_spark, "--engine", "spark",
        "--master", "local[2]",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert on_spark.read_bytes() == local.read_bytes()
    assert "scored 5,000 customers; listed 3,750; " in result.stderr
    assert "; reasons for the first 3,750; " in result.stderr


def test_without_pyspark_the_error_says_how_to_install_it(
    model: ChurnModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyspark"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    from churn_core.risk.spark import score_with_spark

    with pytest.raises(ChurnDataError) as caught:
        score_with_spark(str(SAMPLE), model, None)
    (problem,) = caught.value.problems
    assert problem.message == "--engine spark needs pyspark, which is not installed."
    assert problem.fix.startswith("Install it with: pip install pyspark==4.3.0")


def test_the_sample_reads_the_same_through_spark_text_cells() -> None:
    """The driver-side half of the Spark path, without Spark: text cells parsed and cleaned
    give the local reader's chunk."""
    from churn_core.io.reading import parse_text_cells, sniff_text_layout

    table = read_table(SAMPLE).frame
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).replace("", None)
    layout = sniff_text_layout(SAMPLE.read_bytes()[: 1 << 20], SAMPLE.name)
    pd.testing.assert_frame_equal(parse_text_cells(raw.iloc[100:900], layout), table.iloc[100:900])
