"""Event logs are one JSON object per line on stdout, with sizes and hashes only."""

from __future__ import annotations

import json

import pytest

from churn_core.telemetry import format_event, hash_id, log_event


def test_an_event_is_one_json_line_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    log_event("upload", rows=3, bytes=120, seconds=0.123456789, codes=["too_big"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["event"] == "upload"
    assert record["rows"] == 3
    assert record["seconds"] == 0.1235
    assert record["codes"] == ["too_big"]
    assert record["time"].endswith("+00:00")


def test_hashes_are_short_stable_and_differ_between_ids() -> None:
    assert hash_id("a") == hash_id(b"a")
    assert len(hash_id("a")) == 12
    assert hash_id("a") != hash_id("b")


def test_fields_keep_their_order_after_event_and_time() -> None:
    assert list(format_event("x", b=1, a=2)) == ["time", "event", "b", "a"]


def test_a_value_json_cannot_write_does_not_break_the_caller(
    capsys: pytest.CaptureFixture[str],
) -> None:
    log_event("odd", value=float("nan"))  # NaN is not strict JSON; json.dumps writes NaN
    assert "odd" in capsys.readouterr().out
