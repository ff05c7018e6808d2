"""Uploads, trainings and scorings are logged with sizes and timings, never customer values."""

from __future__ import annotations

import json

import pytest

from churn_core.datasets.customers import generate_customers
from churn_core.errors import ChurnDataError
from churn_core.model.churn_model import FORMAT_VERSION
from ui.events import logs_scoring, logs_upload
from ui.model_state import _default_model
from ui.state import Dataset, use_upload

SECRET = "Zebulon Quackenbush"


def _events(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_an_upload_logs_sizes_and_hashes_and_no_customer_value(
    capsys: pytest.CaptureFixture[str],
) -> None:
    frame = generate_customers(rows=200, seed=5)
    frame["Name"] = SECRET
    raw = frame.to_csv(index=False).encode()
    dataset = use_upload(raw, "acme_customers.csv")
    out = capsys.readouterr().out
    (event,) = _events(out)
    assert event["event"] == "upload"
    assert event["status"] == "ok"
    assert (event["rows"], event["columns"], event["bytes"]) == (200, 16, len(raw))
    assert event["dataset"] != dataset.digest  # hashed again, not the raw digest
    for private in (SECRET, "acme", "CustomerID", "C000001", "Churned"):
        assert private not in out


def test_a_refused_upload_logs_the_problem_codes(capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(raw: bytes, name: str) -> Dataset:
        from churn_core.io.reading import read_table

        read_table(raw, name=name)
        raise AssertionError("read_table accepted an empty file")

    with pytest.raises(ChurnDataError):
        logs_upload(refuse)(b"", "empty.csv")
    (event,) = _events(capsys.readouterr().out)
    assert event["status"] == "refused"
    assert event["problems"] == 1
    assert event["codes"]
    assert event["bytes"] == 0


def test_a_scoring_logs_rows_those_who_left_and_the_model_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from churn_core.risk.scoring import score_customers

    model = _default_model.__wrapped__()  # type: ignore[attr-defined]
    frame = generate_customers(rows=300, seed=9)
    logs_scoring(score_customers)(model, frame)
    (event,) = _events(capsys.readouterr().out)
    assert event["event"] == "scoring"
    assert event["rows"] == 300
    assert event["already_left"] == (frame["Churned"] == "Yes").sum() > 0
    assert event["model_format"] == "churn-workbench-model"
    assert event["model_format_version"] == FORMAT_VERSION
    assert "CustomerID" not in json.dumps(event)
