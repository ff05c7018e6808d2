"""The command line as users run it: ``python -m churn_core ...`` (in this process, and a few
smoke tests in a real subprocess)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.churn_core.conftest import run_cli, run_cli_process

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
BAD = ROOT / "tests" / "data" / "bad"
EXIT_BAD_INPUT = 2


run = run_cli


def assert_one_readable_paragraph(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert stderr.startswith("error: ")
    assert stderr.endswith("\n") and "\n\n" not in stderr


@pytest.fixture(scope="module")
def sample_profile() -> subprocess.CompletedProcess[str]:
    return run_cli_process("profile", SAMPLE)  # the real entry point, once


def test_profile_prints_json_with_rows_columns_roles_problems_and_warnings(
    sample_profile: subprocess.CompletedProcess[str],
) -> None:
    assert sample_profile.returncode == 0, sample_profile.stderr
    payload = json.loads(sample_profile.stdout)
    assert {"rows", "columns", "roles", "problems", "warnings"} <= set(payload)
    assert payload["file"] == "sample_customers.csv"
    assert (payload["rows"], payload["columns"]) == (5000, 15)
    assert payload["roles"]["Churned"] == "label"
    assert payload["roles"]["CustomerID"] == "id"
    assert payload["problems"] == [] and payload["warnings"] == []
    assert sample_profile.stderr == ""


def test_a_bad_file_exits_2_with_one_paragraph_and_no_traceback() -> None:
    result = run_cli_process("profile", BAD / "empty.csv")  # the real process's exit status
    assert result.returncode == EXIT_BAD_INPUT
    assert result.stdout == ""
    assert result.stderr == (
        "error: empty.csv is empty. Export the customer table again and check it has rows.\n"
    )


def test_ragged_rows_exit_2_with_the_readers_message() -> None:
    result = run("profile", BAD / "ragged_rows.csv")
    assert result.returncode == EXIT_BAD_INPUT
    assert_one_readable_paragraph(result.stderr)
    assert result.stderr.startswith("error: 3 rows of ragged_rows.csv have more values")


def test_a_missing_file_exits_2_naming_the_path(tmp_path: Path) -> None:
    result = run("profile", tmp_path / "nope.csv")
    assert result.returncode == EXIT_BAD_INPUT
    assert result.stderr == (
        f'error: No file found at "{tmp_path / "nope.csv"}". Check the path and try again.\n'
    )


def test_profile_problems_still_print_the_json_and_exit_2() -> None:
    result = run("profile", BAD / "no_label.csv")
    assert result.returncode == EXIT_BAD_INPUT
    payload = json.loads(result.stdout)
    assert [p["code"] for p in payload["problems"]] == ["no_label"]
    assert_one_readable_paragraph(result.stderr)
    assert result.stderr.startswith("error: No churn label found:")


def test_no_label_on_the_command_line_points_to_target() -> None:
    result = run("profile", BAD / "no_label.csv")
    assert "--target" in result.stderr
    assert "Data page" not in result.stderr


def test_target_and_id_set_the_label_and_the_id() -> None:
    result = run(
        "profile", BAD / "is_active_yes_no.csv", "--target", "IsActive", "--id", "CustomerID"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["label"]["column"] == "IsActive"
    assert payload["label"]["churned_value"] == "No"
    details = {c["name"]: c for c in payload["column_details"]}
    assert details["IsActive"]["set_by_user"] and details["CustomerID"]["set_by_user"]
    assert details["CustomerID"]["role"] == "id"


def test_target_on_a_column_with_three_values_exits_2_with_the_problem() -> None:
    result = run("profile", BAD / "label_three_values.csv", "--target", "Plan")
    assert result.returncode == EXIT_BAD_INPUT
    assert result.stderr.startswith("error: Plan must have exactly two values")


def test_an_unknown_target_column_lists_the_real_columns() -> None:
    result = run("profile", BAD / "no_label.csv", "--target", "Churn")
    assert result.returncode == EXIT_BAD_INPUT
    assert result.stdout == ""
    assert result.stderr == (
        'error: There is no column "Churn"; the columns are: CustomerID, Plan, TenureMonths, '
        "MonthlyCharges, SupportCalls. Check the spelling (it is case-sensitive).\n"
    )


def test_a_named_sheet_is_profiled() -> None:
    result = run("profile", BAD / "two_sheets.xlsx", "--sheet", "Archive")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == 4


def test_sample_writes_the_asked_number_of_customers(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    result = run("sample", "--rows", "60", "--seed", "3", "--out", out)
    assert result.returncode == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 61
    assert result.stderr == f"wrote 60 customers to {out}\n"


def test_sample_with_too_few_rows_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    result = run("sample", "--rows", "3", "--out", out)
    assert result.returncode == EXIT_BAD_INPUT
    assert result.stderr == "error: rows must be at least 50; got 3 instead.\n"
    assert not out.exists()


def test_a_missing_command_is_a_usage_error_not_a_traceback() -> None:
    result = run_cli_process()
    assert result.returncode == EXIT_BAD_INPUT
    assert "Traceback" not in result.stderr
    assert "usage: python -m churn_core" in result.stderr
