"""``python -m churn_core drift`` and ``outcomes`` as users run them: JSON shapes, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.churn_core.conftest import run_cli, run_cli_process
from tests.churn_core.monitoring.test_outcomes import small_list
from tests.churn_core.monitoring.test_track_record import OUTCOMES

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
MODEL = ROOT / "models" / "default"


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The sample split into a reference half and a "new" half without its label, and a
    planted shift of the new half (charges +20%)."""
    folder = tmp_path_factory.mktemp("months")
    frame = pd.read_csv(SAMPLE)
    order = np.random.default_rng(0).permutation(len(frame))
    reference, new = frame.iloc[order[:2500]], frame.iloc[order[2500:]]
    new = new.drop(columns=["Churned", "ChurnDate"])
    paths = folder / "reference.csv", folder / "new.csv", folder / "shifted.csv"
    reference.to_csv(paths[0], index=False)
    new.to_csv(paths[1], index=False)
    new.assign(MonthlyCharges=new["MonthlyCharges"] * 1.2).to_csv(paths[2], index=False)
    return paths


def test_drift_prints_every_column_with_its_measure_and_the_share_drifted(
    months: tuple[Path, Path, Path],
) -> None:
    reference, _, shifted = months
    result = run_cli("drift", reference, shifted)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["share_drifted"] == pytest.approx(0.1)
    assert payload["drifted_columns"] == ["MonthlyCharges"]
    first = payload["columns"][0]
    assert {"column", "drifted", "measure", "value", "threshold", "sentence"} <= set(first)
    assert first["column"] == "MonthlyCharges" and first["drifted"] is True
    assert first["measure"] == "Wasserstein distance (normed)" and first["threshold"] == 0.1
    assert first["sentence"].endswith("in this file (+20%).")
    assert result.stderr == (
        "1 of 10 columns (10%) drifted from the reference file: MonthlyCharges.\n"
    )


def test_drift_with_a_model_ranks_by_importance_and_gives_the_predicted_churn(
    months: tuple[Path, Path, Path],
) -> None:
    reference, new, _ = months
    result = run_cli("drift", reference, new, "--model", MODEL)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    importance = [c["importance"] for c in payload["columns"]]
    assert importance == sorted(importance, reverse=True) and payload["share_drifted"] == 0
    assert set(payload["predicted_churn_rate"]) == {"reference", "new"}


def test_drift_between_files_with_different_columns_exits_2_naming_them(
    months: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    reference, new, _ = months
    fewer = tmp_path / "fewer.csv"
    pd.read_csv(new).drop(columns=["Plan"]).to_csv(fewer, index=False)
    result = run_cli("drift", reference, fewer)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "error: The new file and the reference file have different columns: the new file lacks "
        "Plan, which the reference file has. Export both files with the same columns under the "
        "same names, or compare with a reference that has this file's columns.\n"
    )


def lists(tmp_path: Path, outcomes: pd.DataFrame = OUTCOMES) -> tuple[Path, Path]:
    listed, later = tmp_path / "list.csv", tmp_path / "outcomes.csv"
    small_list().to_csv(listed, index=False)
    outcomes.to_csv(later, index=False)
    return listed, later


def test_outcomes_prints_the_track_record_and_the_same_by_band(tmp_path: Path) -> None:
    result = run_cli("outcomes", *lists(tmp_path))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["listed"] == 6 and payload["actual_churners"] == 3
    assert payload["expected_churners"] == pytest.approx(2.8)
    assert payload["precision"] == pytest.approx(2 / 3)
    assert payload["lift"] == pytest.approx(14 / 9)
    assert [b["band"] for b in payload["by_band"]] == ["High", "Medium", "Low"]
    assert set(payload["by_band"][0]) == {
        "band",
        "customers",
        "expected_churners",
        "actual_churners",
        "churn_rate",
        "lift",
    }
    assert result.stderr.startswith("Of the 6 customers on the list whose outcome is known")


def test_outcomes_takes_the_label_and_id_columns_by_name(tmp_path: Path) -> None:
    renamed = OUTCOMES.rename(columns={"Churn": "Gone"}).assign(
        Gone=lambda f: f["Gone"].map({"Yes": "1", "No": "0"})
    )
    result = run_cli("outcomes", *lists(tmp_path, renamed), "--label", "Gone", "--id", "CustomerID")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["actual_churners"] == 3


def test_outcomes_from_next_months_file_needs_the_missing_confirmed(tmp_path: Path) -> None:
    next_month = pd.DataFrame({"CustomerID": ["B", "E", "F", "G"], "Plan": ["a"] * 4})
    paths = lists(tmp_path, next_month)
    refused = run_cli("outcomes", *paths)
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        "error: The outcomes file has no churn label, so it reads as next month's customer "
        "file: 3 customers on the list are missing from it."
    )
    confirmed = run_cli("outcomes", *paths, "--missing-left")
    assert confirmed.returncode == 0, confirmed.stderr
    assert json.loads(confirmed.stdout)["actual_churners"] == 3  # A, C and D are gone


def test_outcomes_whose_ids_match_none_of_the_list_exit_2_with_examples(tmp_path: Path) -> None:
    other = pd.DataFrame({"CustomerID": ["X1", "X2"], "Churn": ["Yes", "No"]})
    result = run_cli("outcomes", *lists(tmp_path, other))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "error: None of the 6 customers on the list is in the outcomes file (matched on "
        'CustomerID). Ids on the list look like "A", "B" and "C"; in the outcomes file like '
        '"X1" and "X2". Check that both files hold the same customers under the same id column '
        "(--id COLUMN).\n"
    )


def test_outcomes_on_a_file_that_is_not_a_list_exits_2(tmp_path: Path) -> None:
    _, later = lists(tmp_path)
    result = run_cli("outcomes", SAMPLE, later)
    assert result.returncode == 2
    assert result.stderr.startswith('error: The list has no column "churn_probability"')


def test_the_real_entry_point_runs_outcomes_on_a_list_written_by_score(tmp_path: Path) -> None:
    """One subprocess smoke test: score writes a list, outcomes reads it back with the labels."""
    frame = pd.read_csv(SAMPLE).iloc[:400]
    month, listed = tmp_path / "month.csv", tmp_path / "list.csv"
    frame.drop(columns=["Churned", "ChurnDate"]).to_csv(month, index=False)
    later = tmp_path / "later.csv"
    frame[["CustomerID", "Churned"]].to_csv(later, index=False)
    scored = run_cli_process("score", month, "--model", MODEL, "--out", listed, "--reasons", "0")
    assert scored.returncode == 0, scored.stderr
    result = run_cli_process("outcomes", listed, later)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["listed"] == 400 and payload["actual_churners"] == int(
        (frame["Churned"] == "Yes").sum()
    )
