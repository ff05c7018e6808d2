"""BTYD CLV: by hand, against lifetimes on every CDNOW customer, and how assumptions move it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter, GammaGammaFitter

from churn_core.btyd import clv as clv_module
from churn_core.btyd.bgnbd import BgNbd
from churn_core.btyd.clv import WEEKS_PER_MONTH, get_btyd_clv
from churn_core.btyd.forecast import BtydForecast
from churn_core.survival import ClvAssumptions

MODEL = BgNbd(0.243, 4.414, 0.793, 2.426)
#: An annual rate whose monthly rate is exactly 1 %.
ONE_PERCENT_A_MONTH = 1.01**12 - 1


def test_clv_matches_a_hand_computed_case() -> None:
    # Customer 00004 of CDNOW, 60 % margin, 2-month horizon, 1 % a month, spend 25 a purchase:
    #   CLV = 0.6 * 25 * (E[Y(w)] / 1.01 + (E[Y(2w)] - E[Y(w)]) / 1.01 ** 2)
    history = ([2.0], [30.43], [38.86])
    one, two = (MODEL.get_expected_purchases(k * WEEKS_PER_MONTH, *history)[0] for k in (1, 2))
    assumptions = ClvAssumptions(0.6, ONE_PERCENT_A_MONTH, 2)
    clv = get_btyd_clv(MODEL, *history, [25.0], assumptions)
    assert clv[0] == pytest.approx(0.6 * 25 * (one / 1.01 + (two - one) / 1.01**2))
    assert pytest.approx(30.4375 / 7) == WEEKS_PER_MONTH


def test_clv_equals_lifetimes_on_every_cdnow_customer(cdnow_forecast: BtydForecast) -> None:
    frame = cdnow_forecast.customers
    x, t_x, age = (frame[c] for c in ("frequency", "recency_weeks", "age_weeks"))
    assert (frame["spend_purchases"] == x).all()  # so lifetimes' single frequency fits both
    bgf = BetaGeoFitter()
    bgf.params_ = pd.Series(cdnow_forecast.bgnbd.to_dict())
    bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time  # as fit() sets it
    ggf = GammaGammaFitter()
    assert cdnow_forecast.gamma_gamma is not None
    ggf.params_ = pd.Series(cdnow_forecast.gamma_gamma.to_dict())
    theirs = ggf.customer_lifetime_value(
        bgf, x, t_x, age, frame["monetary_value"].fillna(0), time=36, discount_rate=0.01, freq="W"
    )
    ours = get_btyd_clv(
        cdnow_forecast.bgnbd,
        x,
        t_x,
        age,
        frame["expected_spend"],
        ClvAssumptions(1.0, ONE_PERCENT_A_MONTH, 36),
        weeks_per_month=4.345,  # lifetimes' month
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


def test_margin_scales_clv_and_a_longer_horizon_or_lower_discount_never_lowers_it(
    cdnow_forecast: BtydForecast,
) -> None:
    frame = cdnow_forecast.customers.head(300)
    history = [frame[c].to_numpy(float) for c in ("frequency", "recency_weeks", "age_weeks")]
    spend = frame["expected_spend"].to_numpy(float)

    def clv(margin: float, rate: float, months: int) -> np.ndarray:
        return get_btyd_clv(MODEL, *history, spend, ClvAssumptions(margin, rate, months))

    np.testing.assert_allclose(clv(0.3, 0.1, 36), clv(0.6, 0.1, 36) / 2)
    assert (clv(0.6, 0.1, 48) >= clv(0.6, 0.1, 36)).all()
    assert (clv(0.6, 0.05, 36) >= clv(0.6, 0.1, 36)).all()
    assert (clv(0.6, 0.1, 36) > 0).all()


def test_customers_are_valued_the_same_in_blocks(
    cdnow_forecast: BtydForecast, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = cdnow_forecast.customers
    history = [frame[c].to_numpy(float) for c in ("frequency", "recency_weeks", "age_weeks")]
    whole = get_btyd_clv(MODEL, *history, frame["expected_spend"])
    monkeypatch.setattr(clv_module, "_BLOCK", 100)
    np.testing.assert_allclose(get_btyd_clv(MODEL, *history, frame["expected_spend"]), whole)


def test_unknown_spend_gives_unknown_clv() -> None:
    clv = get_btyd_clv(MODEL, [2.0, 2.0], [30.0, 30.0], [38.0, 38.0], [np.nan, 10.0])
    assert np.isnan(clv[0]) and clv[1] > 0
