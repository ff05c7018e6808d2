"""Fixtures for the engine tests: the sample's model, fitted once per test run."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import joblib
import pytest

from churn_core.model import ChurnModel
from churn_core.profile import profile_table
from churn_core.reading import read_table
from churn_core.training import fit_churn_model

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_customers.csv"
SEED = 42


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
