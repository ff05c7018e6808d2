"""The bundled activity log: rebuilt byte for byte by a command, small, and its planted drivers
show in who churns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.cli import main
from churn_core.datasets.activity import (
    EVENT_TYPES,
    LOG_COLUMNS,
    PLANTED_LOG_DRIVERS,
    generate_activity_log,
)
from churn_core.io.reading import read_table
from churn_core.logs import define_churn, get_training_table, prepare_activity
from churn_core.schema.profile import profile_table

BUNDLED = Path(__file__).resolve().parents[3] / "data" / "sample_activity_log.csv"


def test_the_bundled_log_is_rebuilt_byte_for_byte_by_the_sample_command(tmp_path: Path) -> None:
    out = tmp_path / "log.csv"
    assert (
        main(["sample", "--kind", "log", "--rows", "1000", "--seed", "11", "--out", str(out)]) == 0
    )
    assert out.read_bytes() == BUNDLED.read_bytes()


def test_the_bundled_log_is_small_enough_to_ship() -> None:
    assert BUNDLED.stat().st_size < 3 * 1024 * 1024


def test_the_same_seed_gives_the_same_log_and_another_seed_another() -> None:
    one = generate_activity_log(customers=80, seed=3)
    pd.testing.assert_frame_equal(one, generate_activity_log(customers=80, seed=3))
    assert not one.equals(generate_activity_log(customers=80, seed=4))


def test_rows_are_in_time_order_with_amounts_only_on_purchases() -> None:
    log = generate_activity_log(customers=120, seed=5)
    assert list(log.columns) == list(LOG_COLUMNS)
    assert log["Timestamp"].is_monotonic_increasing
    assert set(log["Event"]) <= set(EVENT_TYPES)
    assert log["Amount"].notna().eq(log["Event"].eq("Purchase")).all()
    assert (log["Amount"].dropna() > 0).all()


def test_too_few_customers_are_refused() -> None:
    with pytest.raises(ValueError, match=r"customers must be at least 50; got 10 instead\."):
        generate_activity_log(customers=10)


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    """The bundled log's customers at its cutoffs, with a 60-day window: features and label."""
    table = read_table(BUNDLED)
    activity = prepare_activity(table.frame, profile_table(table.frame))
    return get_training_table(activity, define_churn(activity, 60)).frame


def churn_rate(frame: pd.DataFrame, mask: pd.Series) -> float:
    return float(frame.loc[mask, col.CHURNED_IN_WINDOW].eq("Yes").mean())


def test_the_planted_drivers_raise_churn_as_documented(labelled: pd.DataFrame) -> None:
    assert set(PLANTED_LOG_DRIVERS) == {
        "Support complaint",
        "Downgrade",
        "Activity",
        "Plan",
        "Purchase",
    }
    complained = labelled["Support complaint events"] > 0
    assert churn_rate(labelled, complained) > churn_rate(labelled, ~complained) + 0.05
    downgraded = labelled["Downgrade events"] > 0
    assert churn_rate(labelled, downgraded) > churn_rate(labelled, ~downgraded) + 0.05
    plan = labelled["Latest Plan"]
    assert churn_rate(labelled, plan == "Basic") > churn_rate(labelled, plan == "Premium")
    fading = labelled[col.ACTIVITY_CHANGE_90] < -50
    assert churn_rate(labelled, fading) > churn_rate(labelled, ~fading)
    bought = labelled[col.SPEND_LAST_90] > 0
    assert churn_rate(labelled, bought) < churn_rate(labelled, ~bought)
    assert 0.1 < labelled[col.CHURNED_IN_WINDOW].eq("Yes").mean() < 0.5
    assert np.isfinite(labelled[col.SPEND_TOTAL]).all()
