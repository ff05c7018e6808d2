"""``score`` as users run it on large files: Parquet out, Spark asked for but not installed;
and ``train --list``, one command from a file to its explained list."""

from __future__ import annotations

import builtins
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from churn_core.columns import AT_RISK_COLUMNS, CHURN_PROBABILITY, RANK
from churn_core.model.bundle import save_model
from churn_core.model.churn_model import ChurnModel
from tests.churn_core.conftest import SAMPLE, run_cli


@pytest.fixture(scope="module")
def folder(model: ChurnModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_model(model, tmp_path_factory.mktemp("bundle") / "sample")


def test_score_writes_parquet_with_the_rows_of_the_csv(folder: Path, tmp_path: Path) -> None:
    csv, parquet = tmp_path / "at_risk.csv", tmp_path / "at_risk.parquet"
    assert (
        run_cli("score", SAMPLE, "--model", folder, "--out", csv, "--reasons", "20").returncode == 0
    )
    result = run_cli("score", SAMPLE, "--model", folder, "--out", parquet, "--reasons", "20")
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith(f"; reasons for the first 20; wrote {parquet}\n")
    written = pd.read_parquet(parquet)
    expected = pd.read_csv(io.BytesIO(csv.read_bytes()), encoding="utf-8-sig")
    assert list(written.columns) == ["CustomerID", *AT_RISK_COLUMNS]
    assert written["CustomerID"].tolist() == expected["CustomerID"].tolist()
    assert written[RANK].tolist() == list(range(1, 3_751))
    pd.testing.assert_series_equal(written[CHURN_PROBABILITY].round(4), expected[CHURN_PROBABILITY])


def test_score_on_spark_without_pyspark_exits_2_saying_how_to_install_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyspark"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    result = run_cli("score", SAMPLE, "--model", folder, "--engine", "spark")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: --engine spark needs pyspark, which is not installed. Install it with: "
        "pip install pyspark==4.3.0"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_train_with_a_list_writes_what_score_writes_with_its_model(tmp_path: Path) -> None:
    listed, bundle, scored = tmp_path / "listed.csv", tmp_path / "bundle", tmp_path / "scored.csv"
    trained = run_cli("train", SAMPLE, "--out", bundle, "--list", listed)
    assert trained.returncode == 0, trained.stderr
    assert f"; listed 3,750 customers still with you in {listed}" in trained.stderr
    assert run_cli("score", SAMPLE, "--model", bundle, "--out", scored).returncode == 0
    assert listed.read_bytes() == scored.read_bytes()


def test_train_with_a_list_on_a_log_says_to_score_it_instead(tmp_path: Path) -> None:
    log = Path(__file__).resolve().parents[3] / "data" / "sample_activity_log.csv"
    result = run_cli("train", log, "--out", tmp_path / "m", "--list", tmp_path / "l.csv")
    assert result.returncode == 2
    assert "--list writes a customer table's list; a log's is written by score." in result.stderr
    assert not (tmp_path / "m").exists()


def test_spark_with_options_that_need_the_whole_list_exits_2_naming_them(folder: Path) -> None:
    result = run_cli("score", SAMPLE, "--model", folder, "--engine", "spark", "--band", "High")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(
        "error: --engine spark streams the list as CSV or Parquet; --band needs it whole."
    )
