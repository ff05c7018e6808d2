"""BG/NBD and Gamma-Gamma straight from a prepared log: the paper's figures from the CDNOW file
as published, what counts as a purchase in each kind of log, rows named as the file numbers
them, and the holdout period suggested."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from churn_core import columns as col
from churn_core.btyd import fit_btyd, summarize_purchases
from churn_core.errors import ChurnDataError
from churn_core.io import read_table
from churn_core.logs import (
    ACTIVITY,
    Activity,
    describe_holdout,
    describe_purchases,
    fit_activity_btyd,
    get_amount_name,
    get_purchase_rows,
    plan_holdout,
    prepare_activity,
    summarize_activity,
)
from churn_core.schema import profile_table
from tests.churn_core.btyd.conftest import read_cdnow

PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}


def prepare(text: str) -> Activity:
    table = read_table(text.encode(), name="log.csv")
    profile = profile_table(table.frame, warnings=table.warnings, today=date(2030, 1, 1))
    return prepare_activity(table.frame, profile)


def test_the_cdnow_file_as_published_gives_the_papers_parameters_at_the_suggested_split(
    cdnow: tuple[pd.DataFrame, object, Activity],
) -> None:
    activity = cdnow[2]
    assert plan_holdout(activity) == (date(1997, 9, 30), date(1998, 6, 30))
    calibration_end, holdout_end = plan_holdout(activity)  # type: ignore[misc]
    forecast = fit_activity_btyd(activity, calibration_end=calibration_end, holdout_end=holdout_end)
    assert forecast.gamma_gamma is not None
    fitted = {**forecast.bgnbd.to_dict(), **forecast.gamma_gamma.to_dict()}
    assert fitted == {k: pytest.approx(v, abs=0.01) for k, v in PAPER.items()}
    actual, predicted = forecast.get_holdout_totals()  # type: ignore[misc]
    assert actual == 1882 and predicted == pytest.approx(actual, rel=0.15)
    assert forecast.id_column == "Column A" and len(forecast.customers) == 2357


def test_a_logs_summary_equals_summarize_purchases_with_the_columns_named(
    cdnow: tuple[pd.DataFrame, object, Activity], shared_data: object
) -> None:
    ours = summarize_activity(cdnow[2], calibration_end="1997-09-30").customers
    log = read_cdnow(shared_data / "cdnow_sample" / "CDNOW_sample.txt")  # type: ignore[operator]
    named = summarize_purchases(log, "customer", "date", "amount", calibration_end="1997-09-30")
    theirs = named.customers
    assert len(ours) == len(theirs) == 2357
    ours = ours.assign(key=ours["Column A"].astype(int)).sort_values("key")
    theirs = theirs.assign(key=theirs["customer"].astype(int)).sort_values("key")
    for name in (col.FREQUENCY, col.RECENCY_WEEKS, col.AGE_WEEKS, col.SPEND_PURCHASES):
        assert ours[name].to_numpy() == pytest.approx(theirs[name].to_numpy()), name
    assert ours[col.MONETARY_VALUE].to_numpy() == pytest.approx(
        theirs[col.MONETARY_VALUE].to_numpy(), nan_ok=True
    )


def test_warnings_name_the_rows_as_the_file_numbers_them(
    cdnow: tuple[pd.DataFrame, object, Activity],
) -> None:
    summary = summarize_activity(cdnow[2])
    [warning] = [w for w in summary.warnings if w.code == "amount_not_positive"]
    assert warning.message.startswith("Column E is zero, negative, blank or not a number in 8 rows")
    frame = cdnow[0]
    assert all(frame["Column E"].iloc[row - 1] == 0 for row in warning.rows)  # no header row


def test_cancellations_and_returns_are_not_purchase_days() -> None:
    activity = prepare(
        "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n"
        "1,a,2024-01-01,2,5.0\n"
        "C2,a,2024-01-10,-1,5.0\n"  # a credit note: not a purchase day
        "3,a,2024-02-01,1,8.0\n"
        "4,b,2024-01-05,3,1.0\n"
        "5,b,2024-01-20,0,1.0\n"  # nothing paid: a purchase day, left out of spend
        "6,b,2024-03-01,1,4.0\n"
    )
    assert get_purchase_rows(activity).tolist() == [True, False, True, True, True, True]
    assert get_amount_name(activity) == "Quantity x UnitPrice"
    assert describe_purchases(activity).startswith("each day with an order counts")
    customers = summarize_activity(activity).customers.set_index("CustomerID")
    assert customers[col.FREQUENCY].to_dict() == {"a": 1, "b": 2}
    assert customers[col.TOTAL_SPEND].to_dict() == {"a": 18.0, "b": 7.0}
    assert customers[col.MONETARY_VALUE].to_dict() == {"a": 8.0, "b": 4.0}
    every_row = summarize_activity(activity, counting=ACTIVITY).customers
    assert every_row.set_index("CustomerID")[col.FREQUENCY].to_dict() == {"a": 2, "b": 2}


def test_in_an_event_log_only_the_payments_are_purchases(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame, _, activity = events
    rows = get_purchase_rows(activity)
    assert rows.sum() == frame["Amount"].notna().sum() == (frame["Event"] == "Purchase").sum()
    assert describe_purchases(activity) == "each day with a payment in Amount counts as a purchase"
    paying = frame.loc[frame["Amount"].notna(), "CustomerID"].nunique()
    assert len(summarize_activity(activity).customers) == paying
    everyone = summarize_activity(activity, counting=ACTIVITY).customers
    assert len(everyone) == activity.customers


def test_an_event_log_without_money_gets_p_alive_but_no_clv(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    frame = events[0].drop(columns="Amount")
    activity = prepare_activity(frame, profile_table(frame, today=date(2030, 1, 1)))
    assert activity.amount is None
    assert describe_purchases(activity) == "every active day counts as a purchase"
    forecast = fit_activity_btyd(activity)
    assert forecast.gamma_gamma is None and forecast.customers[col.CLV].isna().all()
    assert len(forecast.customers) == activity.customers
    assert forecast.customers[col.P_ALIVE].between(0, 1).all()


def test_a_log_too_short_for_a_holdout_gets_none_and_a_long_one_at_most_a_year(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    short = prepare("Customer,Date,Amount\na,2024-01-01,5\na,2024-02-01,6\nb,2024-01-02,7\n")
    assert plan_holdout(short) is None
    assert describe_holdout(short).startswith("The log spans 32 days")
    start, end = plan_holdout(events[2])  # type: ignore[misc]
    assert end == date(2026, 6, 30) and (end - start).days == 364
    assert describe_holdout(events[2]) == (
        "Fitted on the log up to 1 July 2025 only, then compared with what customers really "
        "did from 2 July 2025 to 30 June 2026."
    )


def test_a_log_the_models_cannot_be_fitted_to_is_refused_in_words(
    france: tuple[pd.DataFrame, object, Activity],
) -> None:
    # 87 wholesale customers who all keep buying: BG/NBD sees no one stop (lifetimes agrees:
    # it does not converge, or puts the drop-out at zero).
    with pytest.raises(ChurnDataError) as error:
        fit_activity_btyd(france[2])
    [problem] = error.value.problems
    assert problem.code == "fit_not_converged"
    assert problem.message.startswith("The BG/NBD model could not be fitted to this log")


def test_fitting_on_a_log_is_fitting_its_summary(
    events: tuple[pd.DataFrame, object, Activity],
) -> None:
    summary = summarize_activity(events[2], calibration_end="2026-03-31")
    direct = fit_btyd(summary)
    glued = fit_activity_btyd(events[2], calibration_end=date(2026, 3, 31))
    assert glued.bgnbd.to_dict() == pytest.approx(direct.bgnbd.to_dict())
    assert summary.calibration_end == pd.Timestamp("2026-03-31")
