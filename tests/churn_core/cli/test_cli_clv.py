"""``python -m churn_core clv FILE`` as users run it, on the CDNOW sample written as a CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.churn_core.btyd.conftest import read_cdnow
from tests.churn_core.conftest import run_cli

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def cdnow_csv(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clv") / "cdnow.csv"
    log = read_cdnow(shared_data / "cdnow_sample" / "CDNOW_sample.txt")
    log.assign(date=log["date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    return path


def test_clv_prints_the_papers_parameters_the_holdout_and_a_summary(
    cdnow_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "customers.csv"
    result = run_cli(
        "clv",
        cdnow_csv,
        "--calibration-end",
        "1997-09-30",
        "--holdout-end",
        "1998-06-30",
        "--out",
        out,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["columns"] == {"customer": "customer", "date": "date", "amount": "amount"}
    paper = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}
    fitted = {**payload["bgnbd"], **payload["gamma_gamma"]}
    assert fitted == {k: pytest.approx(v, abs=0.01) for k, v in paper.items()}
    assert payload["holdout"]["actual"] == 1882
    assert payload["holdout"]["predicted"] == pytest.approx(1882, rel=0.15)
    summary = payload["summary"]
    assert summary["customers"] == 2357 and summary["repeat_customers"] == 946
    assert 0 < summary["average_clv"] < summary["total_clv"]
    assert summary["assumptions"] == {
        "margin": 0.6,
        "annual_discount_rate": 0.1,
        "horizon_months": 36,
    }
    assert "warning: amount is zero, negative, blank or not a number in 8 rows" in result.stderr
    customers = pd.read_csv(out, dtype={"customer": str}, encoding="utf-8-sig")
    assert list(customers.columns) == [
        "customer",
        "frequency",
        "recency_weeks",
        "age_weeks",
        "p_alive",
        "expected_purchases_90d",
        "expected_days_to_next_purchase",
        "expected_spend",
        "clv",
    ]
    assert len(customers) == 2357 and customers["customer"].iloc[0] == "00004"
    assert customers["clv"].sum() == pytest.approx(summary["total_clv"], abs=0.05)


def test_clv_without_a_holdout_prints_nulls_and_takes_the_assumptions(cdnow_csv: Path) -> None:
    result = run_cli("clv", cdnow_csv, "--margin", "0.3", "--horizon", "12")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["holdout"] == {"actual": None, "predicted": None}
    assert payload["calibration_end"] == "1998-06-30"  # the log's last purchase day
    assert payload["summary"]["assumptions"]["margin"] == 0.3


def test_a_holdout_end_before_the_calibration_end_exits_2_with_a_readable_message(
    cdnow_csv: Path,
) -> None:
    result = run_cli(
        "clv", cdnow_csv, "--calibration-end", "1997-09-30", "--holdout-end", "1997-06-30"
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "error: The holdout end (1997-06-30) must be after the calibration end (1997-09-30)"
    )


def test_columns_that_cannot_be_told_apart_are_all_reported_with_the_option_to_name_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "order,ordered,shipped,price\n1,2024-01-01,2024-01-03,5\n2,2024-01-02,2024-01-04,6\n"
    )
    result = run_cli("clv", path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (
        "error: 3 problems were found:\n"
        "1. Cannot tell which column holds the purchase customer: found none. Name it with "
        "--customer COLUMN.\n"
        "2. Cannot tell which column holds the purchase date: found ordered, shipped. Name it "
        "with --date COLUMN.\n"
        "3. Cannot tell which column holds the purchase amount: found none. Name it with "
        "--amount COLUMN.\n"
    )


def test_too_few_repeat_customers_exits_2_and_says_how_many(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("customer,date,amount\na,2024-01-01,5\nb,2024-01-02,6\na,2024-02-01,7\n")
    result = run_cli("clv", path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: Only 1 customer of 2 bought again on a later day")


def test_the_cdnow_file_as_published_needs_no_column_named(shared_data: Path) -> None:
    result = run_cli(
        "clv",
        shared_data / "cdnow_sample" / "CDNOW_sample.txt",
        "--calibration-end",
        "1997-09-30",
        "--holdout-end",
        "1998-06-30",
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["shape"] == "transactions"
    assert payload["columns"] == {"customer": "Column A", "date": "Column C", "amount": "Column E"}
    paper = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}
    assert {**payload["bgnbd"], **payload["gamma_gamma"]} == {
        k: pytest.approx(v, abs=0.01) for k, v in paper.items()
    }
    assert payload["holdout"]["actual"] == 1882
    assert "warning: Column E is zero, negative, blank or not a number in 8 rows" in result.stderr


def test_an_event_log_counts_its_payments_as_purchases(tmp_path: Path) -> None:
    out = tmp_path / "customers.csv"
    result = run_cli("clv", ROOT / "data" / "sample_activity_log.csv", "--out", out)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["shape"] == "events"
    assert payload["columns"] == {"customer": "CustomerID", "date": "Timestamp", "amount": "Amount"}
    assert payload["gamma_gamma"] is not None and payload["summary"]["total_clv"] > 0
    customers = pd.read_csv(out, encoding="utf-8-sig")
    assert customers["CustomerID"].is_unique and len(customers) == payload["summary"]["customers"]


def test_invoice_lines_are_read_without_naming_columns_and_an_unfittable_log_says_so(
    shared_data: Path,
) -> None:
    result = run_cli("clv", shared_data / "online_retail_france" / "france.csv")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Cannot tell which column" not in result.stderr
    assert result.stderr.startswith("error: The BG/NBD model could not be fitted to this log")


def test_named_columns_still_choose_them_over_the_logs_roles(cdnow_csv: Path) -> None:
    result = run_cli(
        "clv", cdnow_csv, "--customer", "customer", "--date", "date", "--amount", "cds"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert "shape" not in payload
    assert payload["columns"] == {"customer": "customer", "date": "date", "amount": "cds"}
