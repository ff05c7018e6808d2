"""``python -m churn_core kpis FILE [--model DIR]`` as users run it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.churn_core.card_issuer import make_card_issuer_customers
from tests.churn_core.conftest import run_cli

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"


def test_kpis_prints_retention_lifetime_and_clv_and_says_why_revenue_at_risk_is_null() -> None:
    result = run_cli("kpis", SAMPLE)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["churn_rate"] == 0.25
    assert set(payload["retention"]) == {"3_months", "6_months", "12_months", "24_months"}
    assert 0 < payload["retention"]["24_months"] < payload["retention"]["3_months"] < 1
    assert payload["median_lifetime_months"] is None and payload["notes"]["median_lifetime"]
    assert payload["average_clv"] > 0 and payload["total_clv"] > payload["average_clv"]
    assert payload["revenue_at_risk"] is None
    assert payload["notes"]["revenue_at_risk"] == "Needs churn probabilities: pass --model DIR."


def test_kpis_with_a_model_gives_revenue_at_risk_below_total_clv() -> None:
    result = run_cli("kpis", SAMPLE, "--model", ROOT / "models" / "default")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert 0 < payload["revenue_at_risk"] < payload["total_clv"]
    assert "revenue_at_risk" not in payload["notes"]


def test_kpis_on_a_file_without_durations_exits_2_with_a_readable_message(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("Customer,Plan,Churn\n1,a,Yes\n2,b,No\n3,a,No\n")
    result = run_cli("kpis", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: Retention curves and CLV need to know how long")
    assert "Add a tenure column (months as a customer) or a signup date" in result.stderr


def test_kpis_with_a_model_that_does_not_fit_the_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Tenure,Churn,Plan\n1,Yes,a\n5,No,b\n9,No,a\n")
    result = run_cli("kpis", path, "--model", ROOT / "models" / "default")
    assert result.returncode == 2
    assert "This file's columns don't match the saved model" in result.stderr


def test_kpis_on_a_card_issuers_file_leaves_early_retention_blank_and_says_why(
    tmp_path: Path,
) -> None:
    path = tmp_path / "BankChurners.csv"
    make_card_issuer_customers(rows=2000, seed=4).to_csv(path, index=False)
    result = run_cli("kpis", path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["retention"]["12_months"] is None
    assert payload["measured_from_month"] == 13.0
    assert payload["notes"]["retention_12"].startswith(
        "No customer in this file is younger than 13 months"
    )
    assert (
        payload["notes"]["durations"] == "Time as a customer from Months_on_book (read as months)."
    )
    assert "warning: No customer in this file is younger than 13 months" in result.stderr
