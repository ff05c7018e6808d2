"""What each column of a log is for: the customer, the date, money, quantity, event type, ...

A log has many rows per customer, each dated: purchases or invoice lines (``transactions``), or
what customers did in an app (``events``). Its columns play other parts than a customer table's:
which customer, when, how much, what happened. Each column gets one log role and a short reason,
from its name (split into words, so ``InvoiceDate`` and ``invoice_date`` read alike) and its
values, so that a file without a header row (CDNOW's ``Column A`` .. ``Column E``) is read too.
The user's choices win over detection, as for customer roles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from churn_core.schema.labels import name_words
from churn_core.schema.roles import describe_kind


class LogRole(StrEnum):
    CUSTOMER = "customer"
    TIMESTAMP = "timestamp"
    AMOUNT = "amount"
    QUANTITY = "quantity"
    PRICE = "price"
    EVENT = "event_type"
    ORDER = "order_id"
    PRODUCT = "product"
    PLAN = "plan"
    SESSION = "session"
    ATTRIBUTE = "attribute"
    IGNORED = "ignored"

    @property
    def display_name(self) -> str:
        """How the Data page names the role: ``"Date / time"``."""
        return LOG_ROLE_TITLES[self]

    @classmethod
    def from_display_name(cls, title: str) -> LogRole:
        """The role a Data page label stands for: ``"Event type"`` -> ``LogRole.EVENT``."""
        for role, text in LOG_ROLE_TITLES.items():
            if text == title:
                return role
        return cls(title)


LOG_ROLE_TITLES: dict[LogRole, str] = {
    LogRole.CUSTOMER: "Customer id",
    LogRole.TIMESTAMP: "Date / time",
    LogRole.AMOUNT: "Amount (money)",
    LogRole.QUANTITY: "Quantity",
    LogRole.PRICE: "Unit price",
    LogRole.EVENT: "Event type",
    LogRole.ORDER: "Order / invoice id",
    LogRole.PRODUCT: "Product",
    LogRole.PLAN: "Plan level",
    LogRole.SESSION: "Session",
    LogRole.ATTRIBUTE: "Customer detail (one value per customer)",
    LogRole.IGNORED: "Ignored",
}
#: Roles at most one column can have, in the order detection hands them out.
SINGLE_LOG_ROLES: tuple[LogRole, ...] = (
    LogRole.TIMESTAMP,
    LogRole.CUSTOMER,
    LogRole.ORDER,
    LogRole.EVENT,
    LogRole.SESSION,
    LogRole.PLAN,
    LogRole.PRODUCT,
    LogRole.PRICE,
    LogRole.AMOUNT,
    LogRole.QUANTITY,
)
#: Most different values a column can have to be an event type or a plan level.
MAX_EVENT_TYPES = 200
#: Most different values a customer detail (country, segment) can have.
MAX_ATTRIBUTE_LEVELS = 50

#: Words that name a date column ("InvoiceDate", "event_time", "ts").
DATE_WORDS = frozenset(
    {"date", "time", "timestamp", "ts", "datetime", "day", "when", "occurred", "created"}
)
_WHO_WORDS = {
    "customer", "client", "user", "account", "member", "subscriber", "cust", "buyer",
    "shopper", "visitor", "player", "patient", "acct", "userid", "customerid", "clientid",
}  # fmt: skip
_ID_WORDS = {"id", "key", "uuid", "guid", "ref", "code", "no", "nr", "number", "num"}
_ORDER_WORDS = {"order", "invoice", "transaction", "txn", "receipt", "basket", "purchase", "bill"}
_AMOUNT_WORDS = {
    "amount", "revenue", "sales", "total", "spend", "spent", "value", "paid", "payment",
    "dollars", "dollar", "usd", "eur", "gbp", "net", "gross", "sum", "turnover", "cost",
    "charge", "charges", "price", "money",
}  # fmt: skip
_PRICE_WORDS = {"price", "unitprice", "rate"}
#: Names that say money even when the values could not be read as numbers ("12 EUR").
_MONEY_NAMES = {"amount", "revenue", "sales", "spend", "spent", "paid", "total", "turnover"}
_QUANTITY_WORDS = {"quantity", "qty", "units", "items", "count", "cds", "pieces", "volume"}
_EVENT_WORDS = {"event", "action", "activity", "page", "type", "kind", "eventtype", "interaction"}
_PRODUCT_WORDS = {"product", "sku", "item", "stock", "stockcode", "article", "asin", "description"}
_PLAN_WORDS = {"plan", "level", "tier", "subscription", "package", "membership", "edition"}
_SESSION_WORDS = {"session", "visit", "sessionid"}
#: A name that says nothing ("Column A", "col3", "Unnamed: 0"): only then may values alone make
#: a column the customer id (a file without a header row), never "TenureMonths".
_GENERIC_NAME = re.compile(
    r"^((column|col|field|var|unnamed:?)[\s_:-]*[A-Za-z]{0,3}\d*|[A-Za-z]?\d*|[vxf]\d+)$", re.I
)


@dataclass
class _Candidate:
    role: LogRole
    reason: str
    score: float


@dataclass
class LogRoles:
    """Every column of a log with its role and the reason, and which the user chose.

    Attributes
    ----------
    columns : dict of str to LogRole
        Every column of the file, in file order.
    reasons : dict of str to str
        Why each column has its role, in words the Data page shows.
    set_by_user : frozenset of str
        Columns whose role the user chose.
    """

    columns: dict[str, LogRole]
    reasons: dict[str, str] = field(default_factory=dict)
    set_by_user: frozenset[str] = frozenset()

    def column_for(self, role: LogRole) -> str | None:
        """The (first) column with this role, or None."""
        return next((c for c, r in self.columns.items() if r is role), None)

    def columns_with(self, role: LogRole) -> list[str]:
        return [c for c, r in self.columns.items() if r is role]

    @property
    def customer(self) -> str | None:
        return self.column_for(LogRole.CUSTOMER)

    @property
    def timestamp(self) -> str | None:
        return self.column_for(LogRole.TIMESTAMP)

    def to_dict(self) -> dict[str, Any]:
        """Column -> role, as the profile JSON and the model card keep them."""
        return {c: r.value for c, r in self.columns.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> LogRoles:
        return cls({str(c): LogRole(r) for c, r in data.items()})

    def to_frame(self) -> pd.DataFrame:
        """One row per column: its role and why, as the Data page shows and lets users edit."""
        return pd.DataFrame(
            {
                "Column": list(self.columns),
                "Role": [r.display_name for r in self.columns.values()],
                "Why": [
                    "you chose this" if c in self.set_by_user else self.reasons.get(c, "")
                    for c in self.columns
                ],
            }
        )


def detect_log_roles(
    frame: pd.DataFrame, chosen: Mapping[str, LogRole | str] | None = None
) -> LogRoles:
    """Each column's part in a log, with its reason; the user's ``chosen`` roles win.

    Single roles (customer, date, amount, ...) go to the best candidate column not taken;
    a column left over is a customer detail when it has one value per customer (a country),
    else ignored.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "CustomerID": ["a", "a", "b", "b"],
    ...     "OrderDate": pd.to_datetime(["2024-01-02", "2024-02-03", "2024-01-05", "2024-03-01"]),
    ...     "Amount": [10.5, 3.25, 8.0, 1.0],
    ... })
    >>> detect_log_roles(log).to_dict()
    {'CustomerID': 'customer', 'OrderDate': 'timestamp', 'Amount': 'amount'}
    """
    user = {str(c): LogRole(r) for c, r in (chosen or {}).items() if c in frame.columns}
    roles: dict[str, LogRole] = dict(user)
    reasons: dict[str, str] = {c: "you chose this" for c in user}
    candidates = {
        name: _candidates(frame[name], name) for name in frame.columns if name not in user
    }
    taken = set(user.values())
    for role in SINGLE_LOG_ROLES:
        if role in taken:
            continue
        options = [
            (cand.score, -i, name, cand)
            for i, (name, cands) in enumerate(candidates.items())
            for cand in cands
            if cand.role is role and name not in roles
        ]
        if options:
            _, _, name, cand = max(options, key=lambda o: (o[0], o[1]))
            roles[name], reasons[name] = role, cand.reason
            taken.add(role)
    customer = next((c for c, r in roles.items() if r is LogRole.CUSTOMER), None)
    for name in candidates:
        if name in roles:
            continue
        role, reason = _leftover(frame, name, customer)
        roles[name], reasons[name] = role, reason
    ordered = {name: roles[name] for name in frame.columns}
    return LogRoles(ordered, {n: reasons[n] for n in ordered}, frozenset(user))


def _candidates(series: pd.Series, name: str) -> list[_Candidate]:
    """Every log role the column could have, with how sure (3: its name says so)."""
    words = set(name_words(name))
    joined = "".join(name_words(name))
    kind = describe_kind(series)
    present = series.dropna()
    if present.empty:
        return []
    n_unique = int(present.nunique())
    found: list[_Candidate] = []
    if kind == "date":
        score = 3.0 if words & DATE_WORDS else 2.0
        found.append(_Candidate(LogRole.TIMESTAMP, "a date: when each row happened", score))
    elif kind == "text" and words & DATE_WORDS:
        found.append(
            _Candidate(LogRole.TIMESTAMP, "named like a date, but its values are not dates", 1.0)
        )
    if kind == "date":
        return found
    whole = kind == "text" or bool(np.all(np.mod(present.to_numpy(float), 1) == 0))
    repeats = n_unique < len(present)
    if whole and repeats:
        who = bool(words & _WHO_WORDS or any(w in joined for w in ("customer", "client", "user")))
        if who:
            found.append(_Candidate(LogRole.CUSTOMER, "named like a customer id", 3.0))
        elif (
            _GENERIC_NAME.match(name.strip())
            and n_unique >= max(10, 0.02 * len(present))
            and _id_like(present, kind)
        ):
            found.append(
                _Candidate(
                    LogRole.CUSTOMER,
                    f"{n_unique:,} ids, each on several rows: the customer on each row",
                    1.0,
                )
            )
    if words & _ORDER_WORDS and not words & _AMOUNT_WORDS - {"bill"}:
        found.append(_Candidate(LogRole.ORDER, "named like an order or invoice number", 3.0))
    if words & _SESSION_WORDS:
        found.append(_Candidate(LogRole.SESSION, "named like a session", 3.0))
    if kind == "text" and n_unique <= MAX_EVENT_TYPES and words & _EVENT_WORDS:
        found.append(
            _Candidate(LogRole.EVENT, f"what happened on each row ({n_unique:,} kinds)", 3.0)
        )
    if n_unique <= MAX_ATTRIBUTE_LEVELS and words & _PLAN_WORDS:
        found.append(_Candidate(LogRole.PLAN, "named like a plan or level", 3.0))
    if words & _PRODUCT_WORDS:
        score = 1.0 if words == {"description"} else 3.0
        found.append(_Candidate(LogRole.PRODUCT, "named like a product", score))
    if kind == "number":
        found.extend(_number_candidates(present, words, n_unique))
    elif kind == "text" and words & _MONEY_NAMES and _mostly_digits(present):
        found.append(_Candidate(LogRole.AMOUNT, "named like money, but its values are text", 1.0))
    return found


def _number_candidates(present: pd.Series, words: set[str], n_unique: int) -> list[_Candidate]:
    values = present.to_numpy(float)
    whole = bool(np.all(values == np.round(values)))
    found = []
    if words & _PRICE_WORDS and not words & {"total", "amount", "sum"}:
        found.append(_Candidate(LogRole.PRICE, "a price per unit: amount = quantity x price", 3.0))
    elif words & _AMOUNT_WORDS:
        found.append(_Candidate(LogRole.AMOUNT, "money, by its name", 3.0))
    elif not whole and np.median(values) > 0:
        found.append(_Candidate(LogRole.AMOUNT, "numbers with cents: money on each row", 1.0))
    if whole and words & _QUANTITY_WORDS:
        found.append(_Candidate(LogRole.QUANTITY, "how many units, by its name", 3.0))
    elif whole and n_unique <= 200 and 0 < np.median(values) <= 20:
        found.append(_Candidate(LogRole.QUANTITY, "small whole numbers: units on each row", 1.0))
    return found


def _mostly_digits(present: pd.Series) -> bool:
    """Most values hold a digit ("12.00 dollars"), as amounts written with words do."""
    return bool(present.astype(str).iloc[:1000].str.contains(r"\d").mean() > 0.5)


def _id_like(present: pd.Series, kind: str) -> bool:
    """Short codes or whole non-negative numbers, as ids are."""
    if kind == "number":
        return bool((present >= 0).all())
    return bool(present.astype(str).str.len().mean() <= 40)


def _leftover(frame: pd.DataFrame, name: str, customer: str | None) -> tuple[LogRole, str]:
    """A column no single role took: a customer detail when it has one value per customer."""
    series = frame[name]
    present = series.dropna()
    if present.empty:
        return LogRole.IGNORED, "empty in every row"
    n_unique = int(present.nunique())
    if n_unique == 1:
        return LogRole.IGNORED, f'the same value ("{str(present.iloc[0])[:40]}") in every row'
    if customer is None or describe_kind(series) == "date" or n_unique > MAX_ATTRIBUTE_LEVELS:
        return LogRole.IGNORED, f"{n_unique:,} different values: not used"
    per_customer = (
        frame.loc[series.notna(), [customer, name]].groupby(customer, sort=False)[name].nunique()
    )
    if len(per_customer) and (per_customer <= 1).mean() >= 0.95:
        return LogRole.ATTRIBUTE, "one value per customer: kept as a detail of the customer"
    return LogRole.IGNORED, "changes from row to row: not used"
