"""The BTYD figures: built from engine results, business words on the axes, empty cases say why."""

from __future__ import annotations

import pandas as pd

from churn_core import columns as col
from churn_core.btyd import plots
from churn_core.btyd.forecast import BtydForecast
from churn_core.btyd.holdout import get_cumulative_purchases, get_holdout_by_frequency


def test_holdout_by_past_purchases_draws_actual_and_predicted_per_group(
    cdnow_forecast: BtydForecast,
) -> None:
    end = cdnow_forecast.purchases.calibration_end
    fig = plots.plot_holdout_by_frequency(get_holdout_by_frequency(cdnow_forecast), end)
    assert [t.name for t in fig.data] == ["Actual", "Predicted"]
    assert list(fig.data[0].x) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert fig.layout.xaxis.title.text == "Repeat purchases up to 1997-09-30"
    assert fig.layout.yaxis.title.text == "Purchases per customer afterwards"
    empty = plots.plot_holdout_by_frequency(pd.DataFrame(), end)
    assert empty.layout.annotations[0].text == "Set a holdout end to check the predictions."


def test_purchases_over_time_mark_where_the_forecast_starts(cdnow_forecast: BtydForecast) -> None:
    end = cdnow_forecast.purchases.calibration_end
    fig = plots.plot_cumulative_purchases(get_cumulative_purchases(cdnow_forecast), end)
    assert [t.name for t in fig.data] == ["Actual", "Predicted"]
    assert fig.layout.shapes[0].x0 == end
    assert fig.layout.annotations[0].text == "calibration end: forecast after this"
    assert fig.layout.yaxis.title.text == "Repeat purchases so far"


def test_p_alive_shows_one_time_buyers_apart(cdnow_forecast: BtydForecast) -> None:
    fig = plots.plot_p_alive(cdnow_forecast.customers)
    assert [t.name for t in fig.data] == [
        "Bought again (946)",
        "Bought once: counted active (1,411)",
    ]
    assert sum(len(t.x) for t in fig.data) == 2357
    assert fig.layout.xaxis.title.text == "Chance still buying"
    assert plots.plot_p_alive(cdnow_forecast.customers.head(0)).layout.annotations


def test_clv_spread_marks_the_average_and_says_why_when_there_is_none(
    cdnow_forecast: BtydForecast,
) -> None:
    fig = plots.plot_clv_spread(cdnow_forecast.customers)
    assert len(fig.data[0].x) == 2357
    assert max(fig.data[0].x) == cdnow_forecast.customers[col.CLV].quantile(0.99)
    average = cdnow_forecast.customers[col.CLV].mean()
    assert fig.layout.annotations[0].text == f"average {average:,.0f}"
    no_clv = cdnow_forecast.customers.assign(**{col.CLV: float("nan")})
    assert plots.plot_clv_spread(no_clv).layout.annotations[0].text == (
        "No CLV to show: the log needs an amount column."
    )


def test_the_gone_quiet_chart_names_the_same_customers_as_the_list(
    cdnow_forecast: BtydForecast,
) -> None:
    fig = plots.plot_gone_quiet(cdnow_forecast)
    quiet = cdnow_forecast.get_gone_quiet()
    others, named = fig.data
    assert named.name == f"Best customers gone quiet ({len(quiet):,})"
    assert sorted(named.customdata) == sorted(quiet["customer"])
    assert len(others.x) + len(named.x) == 2357
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text == "Chance still buying"
    assert fig.layout.yaxis.title.text == "Spent so far (log scale)"
