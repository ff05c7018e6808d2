"""``train``/``score --db`` and ``workspace list|use``, run as users run them (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.churn_core.workspace.test_database import HEAD
from tests.postgres import PostgresServer, free_port

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
SECRET = "a-test-secret-key"


def run(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m churn_core ARGS`` in a subprocess with this environment added."""
    base = {k: v for k, v in os.environ.items() if k not in {"CHURN_DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "churn_core", *map(str, args)],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def fails_plainly(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's first 1,000 customers: quicker to train twice."""
    path = tmp_path_factory.mktemp("cli-workspace") / "customers.csv"
    path.write_text("\n".join(SAMPLE.read_text().splitlines()[:1001]) + "\n")
    return path


@pytest.fixture(params=["sqlite via --db", "postgresql via DATABASE_URL"])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, str], tuple[str, ...]]:
    """(environment, options) that point the command line at a new workspace."""
    env = {"WORKSPACE_DIR": str(tmp_path / "workspace")}
    if request.param.startswith("sqlite"):
        return env, ("--db", f"sqlite:///{tmp_path / 'cli.db'}")
    server: PostgresServer = request.getfixturevalue("postgres")
    return {**env, "DATABASE_URL": server.empty_database(), "SECRET_KEY": SECRET}, ()


def test_train_keeps_models_score_uses_the_one_in_use_and_workspace_list_shows_all(
    setup: tuple[dict[str, str], tuple[str, ...]], small_sample: Path, tmp_path: Path
) -> None:
    env, db = setup
    first = run(env, "train", small_sample, *db)
    assert first.returncode == 0, first.stderr
    card = json.loads(first.stdout)
    assert card["bundle"] is None  # kept in the workspace only
    assert card["workspace"]["model_id"] == 1 and card["workspace"]["in_use"] is True
    assert first.stderr.strip().endswith("; kept as model 1, in use")
    assert not (ROOT / "models" / "customers").exists()

    second = run(env, "train", small_sample, *db, "--seed", "3", "--out", tmp_path / "bundle")
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["workspace"] == {
        **card["workspace"],
        "model_id": 2,
        "in_use": False,
    }
    assert (tmp_path / "bundle" / "model.json").is_file()
    assert "model 1 stays in use" in second.stderr
    assert "switch with: python -m churn_core workspace use 2" in second.stderr

    switched = run(env, "workspace", "use", "2", *db)
    assert switched.returncode == 0, switched.stderr
    assert json.loads(switched.stdout)["in_use"] is True

    to_score = tmp_path / "this-month.csv"
    pd.read_csv(small_sample).drop(columns="Churned").to_csv(to_score, index=False)
    scored = run(env, "score", to_score, *db, "--top", "20", "--out", tmp_path / "list.csv")
    assert scored.returncode == 0, scored.stderr
    assert "kept the list as list 1 in the workspace" in scored.stderr
    delivered = pd.read_csv(tmp_path / "list.csv")
    assert len(delivered) == 20

    listed = run(env, "workspace", "list", *db)
    assert listed.returncode == 0, listed.stderr
    kept = json.loads(listed.stdout)
    assert kept["schema_version"] == HEAD
    assert [d["name"] for d in kept["datasets"]] == ["customers.csv"]  # kept once
    assert [(m["id"], m["in_use"]) for m in kept["models"]] == [(2, True), (1, False)]
    assert [(x["model_id"], x["rows"], x["data_name"]) for x in kept["lists"]] == [
        (2, 20, "this-month.csv")
    ]
    assert kept["last_in_use"] == {"dataset_id": 1, "model_id": 1}
    storage = {row["What"]: row for row in kept["storage"]}
    assert storage["Models"]["Kept"] == 2 and storage["At-risk lists"]["Kept"] == 1
    assert kept["storage_used_mb"] > 0


def test_score_with_a_workspace_but_no_model_for_the_file_says_what_to_do(
    setup: tuple[dict[str, str], tuple[str, ...]], small_sample: Path
) -> None:
    env, db = setup
    message = fails_plainly(run(env, "score", small_sample, *db))
    assert "No model in use in the workspace (" in message
    assert "fits the columns of customers.csv. Train one with: python -m churn_core train" in (
        message
    )


def test_score_without_a_model_or_a_workspace_says_what_to_give(small_sample: Path) -> None:
    message = fails_plainly(run({}, "score", small_sample))
    assert message == (
        "error: No model to score with. Give --model DIR (written by train), or --db to use the "
        "workspace's model in use.\n"
    )


def test_a_database_the_workspace_cannot_use_or_reach_exits_2_with_a_message(
    small_sample: Path,
) -> None:
    message = fails_plainly(run({}, "workspace", "list", "--db", "mysql://u:p@h/d"))
    assert "PostgreSQL or SQLite, not mysql" in message
    port = free_port()
    url = f"postgresql://u:hunter2@127.0.0.1:{port}/d"
    message = fails_plainly(run({"SECRET_KEY": SECRET}, "train", small_sample, "--db", url))
    assert f"(PostgreSQL at 127.0.0.1:{port}/d) cannot be reached" in message
    assert "hunter2" not in message
