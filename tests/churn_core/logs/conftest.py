"""Fixtures for the log tests: the shared real logs and the bundled activity log, read once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from churn_core.io.reading import read_table
from churn_core.logs import Activity, fit_log_model, prepare_activity
from churn_core.model import ChurnModel
from churn_core.schema.profile import Profile, profile_table

ROOT = Path(__file__).resolve().parents[3]
ACTIVITY_LOG = ROOT / "data" / "sample_activity_log.csv"


def read_log(path: Path) -> tuple[pd.DataFrame, Profile, Activity]:
    table = read_table(path, max_mb=None)
    profile = profile_table(table.frame, warnings=table.warnings)
    return table.frame, profile, prepare_activity(table.frame, profile)


@pytest.fixture(scope="session")
def cdnow(shared_data: Path) -> tuple[pd.DataFrame, Profile, Activity]:
    return read_log(shared_data / "cdnow_sample" / "CDNOW_sample.txt")


@pytest.fixture(scope="session")
def france(shared_data: Path) -> tuple[pd.DataFrame, Profile, Activity]:
    return read_log(shared_data / "online_retail_france" / "france.csv")


@pytest.fixture(scope="session")
def events() -> tuple[pd.DataFrame, Profile, Activity]:
    return read_log(ACTIVITY_LOG)


@pytest.fixture(scope="session")
def events_model(events: tuple[pd.DataFrame, Profile, Activity]) -> ChurnModel:
    """A model trained on the bundled activity log at its suggested window (30 days)."""
    return fit_log_model(events[2])


@pytest.fixture(scope="session")
def france_model(france: tuple[pd.DataFrame, Profile, Activity]) -> ChurnModel:
    """A model trained on the shared France invoice lines at their suggested window (60 days)."""
    return fit_log_model(france[2])
