"""Every command on a log with zero configuration: profile, train, score, segments, kpis,
rollup; called in-process (``main``), plus one real subprocess as users run it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.cli import main
from tests.churn_core.conftest import run_cli

ROOT = Path(__file__).resolve().parents[3]
ACTIVITY_LOG = ROOT / "data" / "sample_activity_log.csv"
EXIT_BAD_INPUT = 2


@pytest.fixture(scope="module")
def cdnow(shared_data: Path) -> Path:
    return shared_data / "cdnow_sample" / "CDNOW_sample.txt"


@pytest.fixture(scope="module")
def france(shared_data: Path) -> Path:
    return shared_data / "online_retail_france" / "france.csv"


@pytest.fixture(scope="module")
def france_model(france: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "france"
    assert main(["train", str(france), "--out", str(out)]) == 0
    return out


def test_profile_says_a_log_is_a_log(cdnow: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", str(cdnow)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["shape"] == "transactions"
    assert payload["roles"]["Column C"] == "timestamp"
    assert payload["problems"] == []


def test_train_on_a_log_writes_a_bundle_whose_card_defines_churn(
    france: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model"
    assert main(["train", str(france), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    card = json.loads(captured.out)
    assert card["churn_definition"]["window_days"] == 60
    assert card["log"]["shape"] == "transactions"
    assert (out / "model.json").is_file()
    assert captured.err.startswith(
        "A customer has churned when they have no activity in the 60 days after a cutoff."
    )
    assert "Why 60 days: 4 returns in 5 come within 59 days" in captured.err


def test_train_takes_a_window_and_trigger_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", str(ACTIVITY_LOG), "--window", "60", "--trigger", "Cancel"]
    assert main([*args, "--out", str(tmp_path / "m")]) == 0
    definition = json.loads(capsys.readouterr().out)["churn_definition"]
    assert (definition["window_days"], definition["triggers"]) == (60, ["Cancel"])


def test_score_lists_every_customer_of_the_log_once_with_the_lapsed_marked(
    france: Path, france_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "list.csv"
    assert main(["score", str(france), "--model", str(france_model), "--out", str(out)]) == 0
    listed = pd.read_csv(out, encoding="utf-8-sig")
    assert len(listed) == 87 and listed["CustomerID"].is_unique
    assert set(listed[col.LAPSED]) == {"Yes", "No"}
    assert listed[col.TOP_REASON_1].notna().all()
    assert "87 customers as of 9 December 2011; 35 lapsed" in capsys.readouterr().err
    workbook, parquet = tmp_path / "list.xlsx", tmp_path / "list.parquet"
    for other in (workbook, parquet):  # the same list, as its name asks
        assert main(["score", str(france), "--model", str(france_model), "--out", str(other)]) == 0
    read = pd.read_excel(workbook, dtype={"CustomerID": str})
    assert read["CustomerID"].tolist() == listed["CustomerID"].astype(str).tolist()
    assert pd.read_parquet(parquet)[col.LAPSED].tolist() == listed[col.LAPSED].tolist()


def test_segments_of_a_log_are_customers_never_lines(
    cdnow: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "segments.csv"
    assert main(["segments", str(cdnow), "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(table) == 2357 and table["Column A"].is_unique
    assert "segments:" in capsys.readouterr().err


def test_kpis_of_a_log_give_active_customers_and_repeat_rate(
    cdnow: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kpis", str(cdnow)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["shape"] == "transactions" and payload["window_days"] == 180
    assert payload["active_customers"] + payload["lapsed_customers"] == 2357
    assert 0 < payload["repeat_rate"] < 1
    assert payload["retention"]["12_months"] is not None


def test_kpis_of_a_log_with_its_model_give_revenue_at_risk(
    france: Path, france_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kpis", str(france), "--model", str(france_model)]) == 0
    assert json.loads(capsys.readouterr().out)["revenue_at_risk"] > 0


def test_rollup_writes_one_row_per_customer_and_labels_a_past_cutoff(
    cdnow: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole, past = tmp_path / "whole.csv", tmp_path / "past.csv"
    assert main(["rollup", str(cdnow), "--out", str(whole)]) == 0
    table = pd.read_csv(whole, encoding="utf-8-sig", dtype={"Column A": str})
    assert len(table) == 2357 and col.CHURNED_IN_WINDOW not in table.columns
    assert main(["rollup", str(cdnow), "--cutoff", "1997-10-01", "--out", str(past)]) == 0
    err = capsys.readouterr().err
    labelled = pd.read_csv(past, encoding="utf-8-sig", dtype={"Column A": str})
    assert labelled[col.LAST_ACTIVITY].max() < "1997-10-01"
    assert set(labelled[col.CHURNED_IN_WINDOW].dropna()) == {"Yes", "No"}
    assert "Churned = no activity in the 180 days from 1997-10-01" in err


def test_rollup_of_a_customer_table_exits_2_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["rollup", str(ROOT / "data" / "sample_customers.csv"), "--out", str(tmp_path / "x")]
    )
    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err.startswith(
        "error: sample_customers.csv has one row per customer, not a log of purchases or events"
    )


def test_a_log_too_short_for_the_window_exits_2_saying_what_is_needed(
    france: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["train", str(france), "--window", "180", "--out", str(tmp_path / "m")])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("error: The log covers 374 days (1 December 2010 to 9 December 2011);")
    assert "Traceback" not in err


def test_a_bad_cutoff_exits_2(
    cdnow: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rollup", str(cdnow), "--cutoff", "soon", "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err == 'error: "soon" is not a date. Write it as YYYY-MM-DD.\n'


def test_train_and_score_the_bundled_log_as_users_run_them(tmp_path: Path) -> None:
    model, out = tmp_path / "model", tmp_path / "list.csv"
    trained = run_cli("train", ACTIVITY_LOG, "--out", model)
    assert trained.returncode == 0, trained.stderr
    scored = run_cli("score", ACTIVITY_LOG, "--model", model, "--out", out, "--top", "100")
    assert scored.returncode == 0, scored.stderr
    listed = pd.read_csv(out, encoding="utf-8-sig")
    assert len(listed) == 100 and listed["CustomerID"].is_unique
    assert (listed[col.LAPSED] == "No").all()  # the active come first
