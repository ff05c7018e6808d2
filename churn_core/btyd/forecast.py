"""Both models fitted on a summarised log, and every customer's forecast: the BTYD result.

:func:`fit_btyd` fits BG/NBD (how often, and whether still buying) and, when the log has
amounts, Gamma-Gamma (how much), then gives each customer P(alive), expected purchases in the
next 90 days, expected days to the next purchase, expected spend per purchase and CLV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.btyd.bgnbd import (
    DAYS_PER_WEEK,
    MIN_REPEAT_CUSTOMERS,
    BgNbd,
    fit_bgnbd,
    get_too_few_repeaters,
)
from churn_core.btyd.clv import get_btyd_clv
from churn_core.btyd.gamma_gamma import GammaGamma, fit_gamma_gamma
from churn_core.btyd.summary import PurchaseSummary
from churn_core.errors import ChurnDataError, DataWarning, plural
from churn_core.survival import ClvAssumptions

#: The "next quarter" of the headline and the per-customer column, in days.
QUARTER_DAYS = 90
#: A customer counts as likely active from this P(alive) up.
LIKELY_ACTIVE = 0.5
#: The "best customers" of the gone-quiet corner: the top quarter by spend so far.
TOP_VALUE_SHARE = 0.25
#: Above this correlation of frequency and average spend, the spend model's independence
#: assumption is doubtful (Fader, Hardie and Lee report 0.11 on CDNOW).
MAX_SPEND_CORRELATION = 0.3


@dataclass(frozen=True)
class BtydForecast:
    """The fitted models and each customer's forecast.

    Attributes
    ----------
    purchases : PurchaseSummary
        The summarised log the models were fitted on.
    bgnbd : BgNbd
        How often customers buy and when they stop.
    gamma_gamma : GammaGamma or None
        How much they spend per purchase (None when the log has no amounts).
    assumptions : ClvAssumptions
        Margin, discount rate and horizon behind every CLV.
    customers : DataFrame
        The summary's columns plus ``p_alive, expected_purchases_90d,
        expected_days_to_next_purchase, expected_spend, clv``.
    warnings : tuple of DataWarning
        From reading the log and from fitting.
    """

    purchases: PurchaseSummary
    bgnbd: BgNbd
    gamma_gamma: GammaGamma | None
    assumptions: ClvAssumptions
    customers: pd.DataFrame
    warnings: tuple[DataWarning, ...] = field(default_factory=tuple)

    @property
    def id_column(self) -> str:
        return self.purchases.id_column

    def get_holdout_totals(self) -> tuple[float, float] | None:
        """``(actual, predicted)`` repeat purchases in the holdout period; None without one."""
        weeks = self.purchases.holdout_weeks
        if weeks is None:
            return None
        frame = self.customers
        predicted = self.bgnbd.get_expected_purchases(
            weeks, frame[col.FREQUENCY], frame[col.RECENCY_WEEKS], frame[col.AGE_WEEKS]
        )
        return float(frame[col.HOLDOUT_PURCHASES].sum()), float(predicted.sum())

    def get_gone_quiet(
        self, active_below: float = LIKELY_ACTIVE, top_share: float = TOP_VALUE_SHARE
    ) -> pd.DataFrame:
        """The best customers gone quiet: top ``top_share`` by spend so far, P(alive) below the cut.

        Ranked by spend so far (by purchases when the log has no amounts), highest first.
        """
        value = self.value_column
        frame = self.customers
        cut = float(frame[value].quantile(1 - top_share))
        quiet = frame[(frame[value] >= cut) & (frame[col.P_ALIVE] < active_below)]
        return quiet.sort_values([value, col.P_ALIVE], ascending=[False, True])

    @property
    def value_column(self) -> str:
        """What "best" means: spend so far, or repeat purchases for a log with no amounts."""
        return col.TOTAL_SPEND if self.purchases.has_amount else col.FREQUENCY

    def get_headline(self) -> dict[str, Any]:
        """The numbers a boss asks for (the command line's ``summary``)."""
        frame = self.customers
        clv = frame[col.CLV].dropna()
        one_time = int((frame[col.FREQUENCY] == 0).sum())
        return {
            "customers": len(frame),
            "repeat_customers": len(frame) - one_time,
            "likely_active": int((frame[col.P_ALIVE] >= LIKELY_ACTIVE).sum()),
            "expected_purchases_next_quarter": round(
                float(frame[col.EXPECTED_PURCHASES_90D].sum()), 1
            ),
            "average_clv": round(float(clv.mean()), 2) if len(clv) else None,
            "total_clv": round(float(clv.sum()), 2) if len(clv) else None,
            "assumptions": self.assumptions.to_dict(),
            "notes": {
                "likely_active": f"Customers with P(alive) of {LIKELY_ACTIVE:.0%} or more. The "
                "model lets customers stop only right after a repeat purchase, so the "
                f"{one_time:,} who bought only once all count as active; their expected "
                "purchases are low.",
                "expected_purchases_next_quarter": f"Purchase days in the {QUARTER_DAYS} days "
                "after the calibration end, summed over customers.",
            },
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything the command line prints: parameters, holdout check and headline."""
        totals = self.get_holdout_totals()
        return {
            **self.purchases.to_dict(),
            "bgnbd": self.bgnbd.to_dict(),
            "gamma_gamma": None if self.gamma_gamma is None else self.gamma_gamma.to_dict(),
            "holdout": {
                "actual": None if totals is None else int(totals[0]),
                "predicted": None if totals is None else round(totals[1], 1),
            },
            "summary": self.get_headline(),
        }


def fit_btyd(purchases: PurchaseSummary, assumptions: ClvAssumptions | None = None) -> BtydForecast:
    """Fit BG/NBD (and Gamma-Gamma when there are amounts) and forecast every customer.

    Raises
    ------
    ChurnDataError
        Too few repeat customers for either model (all such problems at once), or a fit that
        did not converge.
    """
    assumptions = assumptions or ClvAssumptions()
    frame = purchases.customers
    x = frame[col.FREQUENCY].to_numpy(float)
    t_x = frame[col.RECENCY_WEEKS].to_numpy(float)
    age = frame[col.AGE_WEEKS].to_numpy(float)
    repeaters = int((x > 0).sum())
    if repeaters < MIN_REPEAT_CUSTOMERS:
        raise ChurnDataError([get_too_few_repeaters(repeaters, len(x))], list(purchases.warnings))
    warnings = list(purchases.warnings)
    try:
        bgnbd = fit_bgnbd(x, t_x, age)
        gamma_gamma = None
        if purchases.has_amount:
            spend_x = frame[col.SPEND_PURCHASES].to_numpy(float)
            spend_m = frame[col.MONETARY_VALUE].to_numpy(float)
            gamma_gamma = fit_gamma_gamma(spend_x, spend_m)
            warnings += _spend_correlation_warning(spend_x, spend_m)
    except ChurnDataError as error:
        raise ChurnDataError(error.problems, warnings) from None
    out = frame.copy()
    out[col.P_ALIVE] = bgnbd.get_p_alive(x, t_x, age)
    out[col.EXPECTED_PURCHASES_90D] = bgnbd.get_expected_purchases(
        QUARTER_DAYS / DAYS_PER_WEEK, x, t_x, age
    )
    out[col.EXPECTED_DAYS_TO_NEXT_PURCHASE] = bgnbd.get_days_to_next_purchase(x, age)
    if gamma_gamma is None:
        out[col.EXPECTED_SPEND] = np.nan
        out[col.CLV] = np.nan
    else:
        spend = gamma_gamma.get_expected_spend(
            out[col.SPEND_PURCHASES].to_numpy(float), out[col.MONETARY_VALUE].to_numpy(float)
        )
        out[col.EXPECTED_SPEND] = spend
        out[col.CLV] = get_btyd_clv(bgnbd, x, t_x, age, spend, assumptions)
    return BtydForecast(purchases, bgnbd, gamma_gamma, assumptions, out, tuple(warnings))


def _spend_correlation_warning(frequency: np.ndarray, spend: np.ndarray) -> list[DataWarning]:
    used = frequency > 0
    if used.sum() < 3 or np.std(frequency[used]) == 0 or np.nanstd(spend[used]) == 0:
        return []
    correlation = float(np.corrcoef(frequency[used], spend[used])[0, 1])
    if abs(correlation) <= MAX_SPEND_CORRELATION:
        return []
    how = "more" if correlation > 0 else "less"
    return [
        DataWarning(
            f"Customers who buy more often spend {how} per purchase (correlation "
            f"{correlation:.2f} over {plural(int(used.sum()), 'repeat customer')}); the spend "
            "model assumes the two are unrelated, so CLV may be off.",
            fix="Read CLV as a rough guide for this log.",
            code="spend_depends_on_frequency",
        )
    ]
