"""The 1/10 CDNOW sample of the BG/NBD paper, summarised and fitted once per test run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.btyd.forecast import BtydForecast, fit_btyd
from churn_core.btyd.summary import PurchaseSummary, summarize_purchases

CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"


def read_cdnow(path: Path) -> pd.DataFrame:
    """The sample as published: whitespace-separated, no header, dates as YYYYMMDD."""
    log = pd.read_csv(
        path,
        sep=r"\s+",
        header=None,
        names=["customer", "sample", "date", "cds", "amount"],
        dtype={"customer": str, "date": str},
    )
    log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
    return log


@pytest.fixture(scope="session")
def cdnow(shared_data: Path) -> pd.DataFrame:
    return read_cdnow(shared_data / "cdnow_sample" / "CDNOW_sample.txt")


@pytest.fixture(scope="session")
def cdnow_summary(cdnow: pd.DataFrame) -> PurchaseSummary:
    return summarize_purchases(
        cdnow,
        "customer",
        "date",
        "amount",
        calibration_end=CALIBRATION_END,
        holdout_end=HOLDOUT_END,
    )


@pytest.fixture(scope="session")
def cdnow_forecast(cdnow_summary: PurchaseSummary) -> BtydForecast:
    return fit_btyd(cdnow_summary)


@pytest.fixture(scope="session")
def histories(cdnow_summary: PurchaseSummary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, t_x, T)`` of the 2,357 CDNOW customers, in weeks."""
    frame = cdnow_summary.customers
    return (
        frame["frequency"].to_numpy(float),
        frame["recency_weeks"].to_numpy(float),
        frame["age_weeks"].to_numpy(float),
    )
