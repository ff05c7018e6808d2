"""``train`` and ``score`` as users run them: ``python -m churn_core ...`` (in this process)."""

from __future__ import annotations

import fcntl
import io
import json
import os
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pandas as pd
import pytest

from churn_core.columns import AT_RISK_COLUMNS, RECOMMENDED_ACTION, TOP_REASON_1
from churn_core.explain.contributions import ChurnExplainer
from churn_core.io.export import to_csv_bytes
from churn_core.io.reading import read_table
from churn_core.model.bundle import CARD_FILE, MODEL_FILE, load_model
from churn_core.risk import get_at_risk_list
from churn_core.risk.reasons import add_reasons
from churn_core.schema.profile import profile_table
from tests.churn_core.conftest import run_cli

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
EXIT_BAD_INPUT = 2


run = run_cli


class Trained(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def assert_one_readable_paragraph(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert stderr.startswith("error: ")
    assert stderr.endswith("\n") and "\n\n" not in stderr


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Trained]:
    """`train` on the sample, run once per test run even when pytest-xdist splits this module.

    The first worker to get here trains into this run's shared temporary folder and records
    what `train` printed; any other worker waits for it and reads the record.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, shared by its workers
    out, record = root / "cli-sample-model", root / "cli-train.json"
    with (root / "cli-train.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.is_file():
            result = run("train", SAMPLE, "--out", out)
            record.write_text(json.dumps([result.returncode, result.stdout, result.stderr]))
    return out, Trained(*json.loads(record.read_text()))


@pytest.fixture(scope="module")
def folder(bundle) -> Path:
    out, result = bundle
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow  # needs the bundle `train` writes (about 6 s)
def test_train_prints_the_model_card_as_json_and_writes_the_bundle(bundle) -> None:
    out, result = bundle
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["bundle"] == str(out)
    assert card["label"]["column"] == "Churned" and card["id_column"] == "CustomerID"
    assert {"roc_auc", "pr_auc", "brier", "top_decile_lift", "f1"} <= set(card["metrics"])
    assert (out / MODEL_FILE).is_file() and (out / CARD_FILE).is_file()
    assert result.stderr == (
        f"trained {card['model']['name']}: held-out ROC-AUC {card['metrics']['roc_auc']:.3f}; "
        f"wrote {out}\n"
    )


@pytest.mark.slow  # needs the bundle `train` writes (about 6 s)
def test_score_from_the_command_line_matches_the_page_byte_for_byte(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "at_risk.csv"
    result = run("score", SAMPLE, "--model", folder, "--out", out)
    assert result.returncode == 0, result.stderr
    frame = read_table(SAMPLE).frame
    model = load_model(folder)
    scored = get_at_risk_list(model, frame, id_column=profile_table(frame).id_column)
    page = add_reasons(scored, frame, ChurnExplainer(model)).frame  # 3,750 < --reasons 10,000
    assert out.read_bytes() == to_csv_bytes(page)
    flagged = page[scored.flagging.flagged]
    assert (flagged[TOP_REASON_1] != "").all() and (flagged[RECOMMENDED_ACTION] != "").all()
    assert len(page) == 3_750  # the 1,250 who already left are not in the list
    assert result.stderr.startswith(
        '1,250 customers who already left (Churned = "Yes") are not in the list. '
        "(--include-left keeps them)\nscored 5,000 customers; listed 3,750; "
    )
    assert "; reasons for the first 3,750" in result.stderr
    assert result.stderr.endswith(f"; wrote {out}\n")


@pytest.mark.slow  # needs the bundle `train` writes (about 6 s)
def test_score_include_left_keeps_everyone(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "everyone.csv"
    result = run(
        "score", SAMPLE, "--model", folder, "--out", out, "--include-left", "--reasons", "0"
    )
    assert result.returncode == 0, result.stderr
    assert len(read_table(out).frame) == 5_000
    assert result.stderr.startswith("scored 5,000 customers; listed 5,000; ")


@pytest.mark.slow  # needs the bundle `train` writes (about 6 s)
def test_score_with_top_10_writes_the_first_10_rows(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "top.csv"
    result = run("score", SAMPLE, "--model", folder, "--top", "10", "--out", out)
    assert result.returncode == 0, result.stderr
    written = pd.read_csv(io.BytesIO(out.read_bytes()), encoding="utf-8-sig")
    assert list(written.columns) == ["CustomerID", *AT_RISK_COLUMNS]
    assert written["rank"].tolist() == list(range(1, 11))


@pytest.mark.slow  # needs the bundle `train` writes (about 6 s)
def test_scoring_a_file_the_model_does_not_fit_exits_2_with_one_paragraph(
    folder: Path, tmp_path: Path, shared_data: Path
) -> None:
    out = tmp_path / "never.csv"
    bank = shared_data / "bank_churn" / "Churn_Modelling.csv"
    result = run("score", bank, "--model", folder, "--out", out)
    assert result.returncode == EXIT_BAD_INPUT
    assert_one_readable_paragraph(result.stderr)
    assert result.stderr.startswith(
        "error: This file's columns don't match the saved model. "
        "Missing: TenureMonths, MonthlyCharges, "
    )
    assert result.stderr.endswith(" or retrain on a file that has them.\n")
    assert result.stdout == "" and not out.exists()


def test_scoring_with_a_folder_that_holds_no_model_exits_2_saying_train_first(
    tmp_path: Path,
) -> None:
    result = run("score", SAMPLE, "--model", tmp_path / "none")
    assert result.returncode == EXIT_BAD_INPUT
    assert result.stderr == (
        f'error: No model card (model.json) in "{tmp_path / "none"}". Train a model first, or '
        "point to a folder written by this app.\n"
    )


DEFAULT_MODEL = ROOT / "models" / "default"


def test_score_with_a_band_and_top_ranks_the_list_from_1_and_carries_the_users_columns(
    tmp_path: Path,
) -> None:
    out = tmp_path / "medium.csv"
    result = run(
        "score", SAMPLE, "--model", DEFAULT_MODEL, "--band", "Medium", "--top", "30",
        "--carry", "Email", "Plan", "--reasons", "5", "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = pd.read_csv(io.BytesIO(out.read_bytes()), encoding="utf-8-sig")
    assert list(written.columns) == ["CustomerID", *AT_RISK_COLUMNS, "Email", "Plan"]
    assert written["rank"].tolist() == list(range(1, 31))
    assert set(written["risk_band"]) == {"Medium"}
    assert (written["Email"] == written["CustomerID"].str.lower() + "@example.com").all()
    assert written[TOP_REASON_1].notna().sum() == 5
    assert "; listed 30; " in result.stderr and "; reasons for the first 5" in result.stderr


def test_score_to_an_xlsx_writes_the_hand_over_workbook_with_its_about_sheet(
    tmp_path: Path,
) -> None:
    out = tmp_path / "list.xlsx"
    result = run(
        "score", SAMPLE, "--model", DEFAULT_MODEL, "--band", "High", "--top", "20",
        "--currency", "EUR", "--reasons", "0", "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["At-risk customers"]
    assert [c.value for c in sheet[1]][:4] == [
        "CustomerID",
        "Rank",
        "Churn probability",
        "Risk band",
    ]
    assert [sheet.cell(r, 2).value for r in range(2, 22)] == list(range(1, 21))
    about = dict(book["About this list"].iter_rows(min_row=2, values_only=True))
    assert about["Data"] == "sample_customers.csv" and about["Currency"] == "EUR"
    assert about["Customers in this list"] == "20 (High band only, the first 20)"


def test_carrying_a_column_the_file_lacks_exits_2_naming_it(tmp_path: Path) -> None:
    result = run("score", SAMPLE, "--model", DEFAULT_MODEL, "--carry", "Phone")
    assert result.returncode == EXIT_BAD_INPUT
    assert_one_readable_paragraph(result.stderr)
    assert result.stderr.startswith("error: There is no column 'Phone' to carry into the list")
