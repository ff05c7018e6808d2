"""A log rolled up to one row per customer, from everything strictly before a cutoff.

Recency (days since last activity), frequency (distinct active days, orders), money (total
spend, average order, monthly spend), tenure (days since first activity), rhythm (average and
latest gap between active days), trends (active days in the last 30/90 days against the
customer's own rate before), the main event types counted, sessions, the latest plan and
customer details. Cancellations and returns are counted apart, never netted into spend.

Nothing on or after the cutoff day is read: each customer's rows are sorted by time, so the
rows before the cutoff are a prefix of the customer's block, and only that prefix is used.
Columns are named for a business user (``churn_core.columns``): ``Days since last activity``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.logs.activity import Activity, to_day

#: Event types counted into their own column: the most common ones, up to this many.
MAX_EVENT_COLUMNS = 12
#: An event type rarer than this share of rows gets no column (unless it is a trigger).
MIN_EVENT_SHARE = 0.001
#: Percent changes in activity are capped here: 1 active day after none is not "infinite".
MAX_CHANGE_PCT = 1000.0
DAYS_PER_MONTH = 30.4375


def choose_event_types(activity: Activity, triggers: Sequence[str] = ()) -> tuple[str, ...]:
    """The event types that get a count column: the most common, and every trigger."""
    if activity.event is None:
        return ()
    counts = np.bincount(activity.event[activity.event >= 0], minlength=len(activity.event_names))
    common = [
        name
        for name, count in zip(activity.event_names, counts, strict=True)
        if count >= MIN_EVENT_SHARE * activity.rows
    ][:MAX_EVENT_COLUMNS]
    return tuple(common + [t for t in triggers if t not in common])


def roll_up(
    activity: Activity,
    cutoff: date | str | pd.Timestamp,
    *,
    event_types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per customer with activity before ``cutoff``, from those rows only.

    Parameters
    ----------
    activity : Activity
        The prepared log (:func:`churn_core.logs.prepare_activity`).
    cutoff : date
        Only days strictly before it are used.
    event_types : sequence of str, optional
        Event types to count (default: :func:`choose_event_types`); a saved model passes
        the ones it learned from, so a new log gives the same columns.

    Returns
    -------
    pd.DataFrame
        The customer id column under the log's own name, then the features (see the module
        docstring), in customer id order.
    """
    cut = to_day(cutoff)
    types = choose_event_types(activity) if event_types is None else tuple(event_types)
    n = activity.customers
    before = activity.day < cut
    rows_before = np.bincount(activity.customer[before], minlength=n)
    starts = activity.starts()
    seen = np.flatnonzero(rows_before > 0)
    last_row = starts[seen] + rows_before[seen] - 1
    first_day = activity.day[starts[seen]]
    last_day = activity.day[last_row]
    out: dict[str, object] = {
        activity.customer_column: activity.ids[seen],
        col.FIRST_ACTIVITY: pd.to_datetime(first_day, unit="D"),
        col.LAST_ACTIVITY: pd.to_datetime(last_day, unit="D"),
        col.DAYS_SINCE_LAST_ACTIVITY: cut - last_day,
        col.DAYS_SINCE_FIRST_ACTIVITY: cut - first_day,
    }
    out.update(_rhythm(activity, cut, seen, first_day))
    if activity.event is not None:
        out[col.EVENTS] = rows_before[seen]
    if activity.session is not None:
        out[col.SESSIONS] = _distinct(activity, activity.session, before, seen)
    out.update(_money(activity, cut, before, seen, first_day))
    if activity.event is not None:
        out.update(_event_counts(activity, before, seen, types))
    if activity.plan is not None:
        out[col.LATEST.format(activity.plan_column)] = activity.plan[last_row]
    for name, values in activity.attributes.items():
        out[name] = values[last_row]
    return pd.DataFrame(out)


def _rhythm(
    activity: Activity, cut: int, seen: np.ndarray, first_day: np.ndarray
) -> dict[str, np.ndarray]:
    """Active days overall and lately, the gaps between them, and the trend against before."""
    n = activity.customers
    who, day = activity.customer_days
    keep = day < cut
    who, day = who[keep], day[keep]
    active = np.bincount(who, minlength=n)[seen]
    last_30 = np.bincount(who[day >= cut - 30], minlength=n)[seen]
    last_90 = np.bincount(who[day >= cut - 90], minlength=n)[seen]
    ends = np.cumsum(np.bincount(who, minlength=n))[seen] - 1  # each customer's last day
    previous = np.where(active > 1, day[np.maximum(ends - 1, 0)], -1)
    last_day = day[ends]
    span = (last_day - first_day).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        average_gap = np.where(active > 1, span / (active - 1), np.nan)
    return {
        col.ACTIVE_DAYS: active,
        col.ACTIVE_DAYS_LAST_30: last_30,
        col.ACTIVE_DAYS_LAST_90: last_90,
        col.ACTIVITY_CHANGE_30: _change(active, last_30, 30, cut - first_day),
        col.ACTIVITY_CHANGE_90: _change(active, last_90, 90, cut - first_day),
        col.AVERAGE_GAP_DAYS: np.round(average_gap, 1),
        col.LAST_GAP_DAYS: np.where(active > 1, last_day - previous, np.nan),
    }


def _change(active: np.ndarray, recent: np.ndarray, days: int, known: np.ndarray) -> np.ndarray:
    """Percent change of the active-day rate in the last ``days`` against the customer's rate
    before them; NaN for customers who were not yet active before that period."""
    earlier_days = known - days
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_before = (active - recent) / earlier_days
        change = 100.0 * ((recent / days) / rate_before - 1.0)
    change = np.where(rate_before > 0, np.minimum(change, MAX_CHANGE_PCT), np.nan)
    return np.round(np.where(earlier_days > 0, change, np.nan), 1)


def _distinct(
    activity: Activity, codes: np.ndarray, rows: np.ndarray, seen: np.ndarray
) -> np.ndarray:
    """Per customer, how many different codes (sessions, orders, products) ``rows`` hold."""
    keep = rows & (codes >= 0)
    pairs = np.unique(activity.customer[keep] * (int(codes.max()) + 2) + codes[keep])
    who = pairs // (int(codes.max()) + 2)
    return np.bincount(who, minlength=activity.customers)[seen]


def _money(
    activity: Activity, cut: int, before: np.ndarray, seen: np.ndarray, first_day: np.ndarray
) -> dict[str, np.ndarray]:
    """Orders, spend, items and products bought; cancellations and their value apart."""
    n = activity.customers
    bought = before & ~activity.cancel
    out: dict[str, np.ndarray] = {}
    amount = activity.amount
    if activity.order is not None:
        orders = _distinct(activity, activity.order, bought, seen)
    elif amount is not None:
        orders = np.bincount(activity.customer[bought & (amount > 0)], minlength=n)[seen]
    elif activity.shape == "transactions":
        orders = np.bincount(activity.customer[bought], minlength=n)[seen]
    else:
        orders = None
    if orders is not None:
        out[col.ORDERS] = orders
    if amount is not None:
        positive = bought & (amount > 0)
        spend = np.bincount(activity.customer[positive], amount[positive], minlength=n)[seen]
        recent = positive & (activity.day >= cut - 90)
        spend_90 = np.bincount(activity.customer[recent], amount[recent], minlength=n)[seen]
        months = np.maximum((cut - first_day) / DAYS_PER_MONTH, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            average = np.where(orders > 0, spend / orders, np.nan) if orders is not None else None
        out[col.SPEND_TOTAL] = np.round(spend, 2)
        if average is not None:
            out[col.AVERAGE_ORDER_VALUE] = np.round(average, 2)
        out[col.SPEND_LAST_90] = np.round(spend_90, 2)
        out[col.AVERAGE_MONTHLY_SPEND] = np.round(spend / months, 2)
    if activity.quantity is not None:
        units = bought & (activity.quantity > 0)
        items = np.bincount(activity.customer[units], activity.quantity[units], minlength=n)[seen]
        whole = bool(np.all(activity.quantity[units] == np.round(activity.quantity[units])))
        out[col.ITEMS_BOUGHT] = np.round(items).astype(np.int64) if whole else np.round(items, 2)
    if activity.product is not None:
        out[col.DIFFERENT_PRODUCTS] = _distinct(activity, activity.product, bought, seen)
    if activity.shape == "transactions" or activity.cancel.any():
        cancelled = before & activity.cancel
        if activity.order is not None:
            out[col.CANCELLATIONS] = _distinct(activity, activity.order, cancelled, seen)
        else:
            out[col.CANCELLATIONS] = np.bincount(activity.customer[cancelled], minlength=n)[seen]
        if amount is not None:
            value = np.abs(np.nan_to_num(amount[cancelled]))
            out[col.CANCELLED_AMOUNT] = np.round(
                np.bincount(activity.customer[cancelled], value, minlength=n)[seen], 2
            )
    return out


def _event_counts(
    activity: Activity, before: np.ndarray, seen: np.ndarray, types: Sequence[str]
) -> dict[str, np.ndarray]:
    """One column per event type: how often the customer did it before the cutoff."""
    if activity.event is None:
        return {}
    lookup = {name: i for i, name in enumerate(activity.event_names)}
    n, k = activity.customers, len(activity.event_names)
    known = before & (activity.event >= 0)
    counts = np.bincount(
        activity.customer[known] * k + activity.event[known], minlength=n * k
    ).reshape(n, k)[seen]
    return {
        col.EVENT_COUNT.format(name): (
            counts[:, lookup[name]] if name in lookup else np.zeros(len(seen), dtype=np.int64)
        )
        for name in types
    }
