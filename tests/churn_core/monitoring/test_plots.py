"""The monthly loop's charts: each draws what it is given, or says why it cannot."""

from __future__ import annotations

import pandas as pd

from churn_core.io import read_table
from churn_core.monitoring import check_list, get_drift, get_movers, get_track_history, plots
from tests.churn_core.monitoring.test_drift import SAMPLE, halves
from tests.churn_core.monitoring.test_movers import CURRENT, PREVIOUS
from tests.churn_core.monitoring.test_outcomes import small_list
from tests.churn_core.monitoring.test_track_record import OUTCOMES


def test_the_drift_chart_has_one_bar_per_column_and_the_threshold_line() -> None:
    report = get_drift(*halves(read_table(SAMPLE).frame))
    fig = plots.plot_drift(report)
    (bars,) = fig.data
    assert len(bars.y) == len(report.frame) and max(bars.x) < 1
    assert fig.layout.shapes[0].x0 == 1.0


def test_the_track_record_chart_sets_expected_against_actual_per_band() -> None:
    fig = plots.plot_track_record(check_list(small_list(), OUTCOMES))
    expected, actual = fig.data
    assert list(expected.x) == ["High", "Medium", "Low"]
    assert list(actual.y) == [2, 1, 0]


def test_calibration_history_and_movers_charts_draw() -> None:
    record = check_list(small_list(), OUTCOMES)
    assert plots.plot_track_calibration(record).data
    history = plots.plot_track_history(get_track_history({"Jan": record, "Feb": record}))
    assert [len(t.x) for t in history.data] == [2, 2]
    (bars,) = plots.plot_movers(get_movers(PREVIOUS, CURRENT)).data
    assert list(bars.y) == [1] * 6


def test_empty_inputs_give_a_figure_that_says_why() -> None:
    assert (
        "Nobody moved" in plots.plot_movers(get_movers(CURRENT, CURRENT)).layout.annotations[0].text
    )
    history = plots.plot_track_history(get_track_history({}))
    assert "No list has been checked" in history.layout.annotations[0].text
    none_known = check_list(small_list(), OUTCOMES.iloc[:3]).by_band
    assert isinstance(none_known, pd.DataFrame)
