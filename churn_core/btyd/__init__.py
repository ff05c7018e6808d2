"""What a customer with no contract is worth ("buy till you die"): from a purchase log, BG/NBD
(how often customers buy and whether they still do) and Gamma-Gamma (how much they spend),
fitted by maximum likelihood; per customer P(alive), expected purchases, days to the next
purchase, expected spend and CLV; and the holdout checks. Charts are in
:mod:`churn_core.btyd.plots`.

    summary = summarize_purchases(log, "customer", "date", "amount", calibration_end="1997-09-30")
    forecast = fit_btyd(summary, ClvAssumptions())
    forecast.customers  # one row per customer
"""

from churn_core.btyd.bgnbd import (
    DAYS_PER_WEEK,
    MIN_REPEAT_CUSTOMERS,
    BgNbd,
    fit_bgnbd,
    get_bgnbd_log_likelihood,
)
from churn_core.btyd.clv import WEEKS_PER_MONTH, get_btyd_clv
from churn_core.btyd.forecast import (
    LIKELY_ACTIVE,
    QUARTER_DAYS,
    BtydForecast,
    fit_btyd,
)
from churn_core.btyd.gamma_gamma import (
    MIN_SPEND_CUSTOMERS,
    GammaGamma,
    fit_gamma_gamma,
    get_gamma_gamma_log_likelihood,
)
from churn_core.btyd.holdout import get_cumulative_purchases, get_holdout_by_frequency
from churn_core.btyd.summary import PurchaseSummary, summarize_purchases

__all__ = [
    "DAYS_PER_WEEK",
    "LIKELY_ACTIVE",
    "MIN_REPEAT_CUSTOMERS",
    "MIN_SPEND_CUSTOMERS",
    "QUARTER_DAYS",
    "WEEKS_PER_MONTH",
    "BgNbd",
    "BtydForecast",
    "GammaGamma",
    "PurchaseSummary",
    "fit_bgnbd",
    "fit_btyd",
    "fit_gamma_gamma",
    "get_bgnbd_log_likelihood",
    "get_btyd_clv",
    "get_cumulative_purchases",
    "get_gamma_gamma_log_likelihood",
    "get_holdout_by_frequency",
    "summarize_purchases",
]
