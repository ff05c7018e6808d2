"""Fixtures for the engine tests: the sample's model, fitted once per test run."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import joblib
import numpy as np
import pandas as pd
import pytest

from churn_core.cli import main
from churn_core.io.reading import read_table
from churn_core.model.churn_model import ChurnModel
from churn_core.model.training import fit_churn_model
from churn_core.schema.features import FeatureSchema, get_feature_schema
from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_customers.csv"
SEED = 42


class CliResult(NamedTuple):
    """What a command printed and its exit status, as ``subprocess.run`` reports them."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> CliResult:
    """``python -m churn_core ARGS`` run in this process, from the project folder (fast: no new
    interpreter, no imports again). ``run_cli_process`` runs it as a real subprocess."""
    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    debug = os.environ.pop("CHURN_DEBUG", None)
    try:
        with (
            contextlib.chdir(ROOT),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main([str(arg) for arg in args])
            except SystemExit as stop:  # argparse's usage errors
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        if debug is not None:
            os.environ["CHURN_DEBUG"] = debug
    stdout.flush()
    return CliResult(code, out.getvalue().decode("utf-8"), err.getvalue())


def run_cli_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m churn_core ARGS`` from the project folder, in a real subprocess, as a user
    runs it (for the few smoke tests of the real entry point)."""
    env = {k: v for k, v in os.environ.items() if k != "CHURN_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "churn_core", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """The bundled sample, read as the app reads it."""
    return read_table(SAMPLE).frame


@pytest.fixture(scope="module")
def model(sample_model: ChurnModel) -> ChurnModel:
    return sample_model


@pytest.fixture(scope="session")
def sample_model(tmp_path_factory: pytest.TempPathFactory) -> ChurnModel:
    """The sample's model (seed 42): training, bundles, scoring and the card all use it."""
    return fit_sample_once(tmp_path_factory)


def fit_sample_once(tmp_path_factory: pytest.TempPathFactory) -> ChurnModel:
    """The sample's model (seed 42), fitted once per test run and shared by every module.

    Training, bundles, scoring and the model card all need this same model. Under pytest-xdist
    each worker would fit it again, so the first to get here fits it and pickles it into this
    run's temporary folder, which all workers share; the others wait for it and load it.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, shared by its workers
    path = root / "sample-model-seed42.joblib"
    with (root / "sample-model.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.is_file():
            return joblib.load(path)
        frame = read_table(SAMPLE).frame
        model = fit_churn_model(frame, profile_table(frame), seed=SEED)
        joblib.dump(model, path)
        return model


@pytest.fixture
def feature_customers() -> pd.DataFrame:
    """Six customers with every kind of column: an id, a number with a blank, a category with a
    blank, a yes/no, a code stored as a number, personal data and the label."""
    return pd.DataFrame(
        {
            "CustomerID": ["A1", "A2", "A3", "A4", "A5", "A6"],
            "TenureMonths": [1, 5, np.nan, 30, 48, 60],
            "Plan": ["Basic", "Premium", None, "Basic", "Standard", "Basic"],
            "Paperless": [True, False, True, True, False, True],
            "StoreNo": [3, 1, 3, 2, 2, 1],
            "Email": [f"a{i}@example.com" for i in range(6)],
            "Churned": ["Yes", "No", "Yes", "No", "No", "No"],
        }
    )


@pytest.fixture
def feature_schema(feature_customers: pd.DataFrame) -> FeatureSchema:
    """Their model inputs, with StoreNo read as a category and Paperless as a number."""
    roles = {"StoreNo": Role.CATEGORICAL, "Paperless": Role.NUMERIC}
    return get_feature_schema(feature_customers, profile_table(feature_customers, roles=roles))


@pytest.fixture(scope="session")
def telecom_kept() -> tuple[pd.DataFrame, ChurnModel]:
    """The IBM telecom file with its derived columns kept in the model (the user's choice:
    TotalCharges as a number, MonthlyCharges as revenue), a logistic regression."""
    from tests.churn_core.public_like import fit_one_kind, telecom_path

    frame = read_table(telecom_path()).frame
    roles = {"TotalCharges": Role.NUMERIC, "MonthlyCharges": Role.REVENUE}
    model = fit_one_kind(frame, profile_table(frame, roles=roles), "Logistic regression")
    return frame, model  # type: ignore[return-value]
