"""Levers: what a business can do with a column, guessed from its name and values.

Every feature column gets a **kind** (what it is about, for a business) and a **direction** (the
moves a business can make for a customer):

==================== ======================================= ===============================
kind                 examples                                usual direction
==================== ======================================= ===============================
price                MonthlyCharges, Fee, Discount           ``down`` (a price only down)
plan or contract     Contract, Plan, Tier                    ``longer`` / ``switch``
product holding      NumOfProducts, StreamingTV, HasCrCard   ``add`` / ``up``
service and support  SupportTickets90d, TechSupport          ``down`` (fewer problems) / ``add``
engagement and usage LoginsLast30d, Total_Trans_Ct           ``up`` (inactivity: ``down``)
payment and billing  PaymentMethod, PaymentFailures12m       ``switch`` / ``down``
tenure stage         tenure, Months_on_book                  ``none``: acted on, never moved
==================== ======================================= ===============================

Columns about the customer (age, gender, region, income...) and derived or history columns get
no kind and direction ``none``: the what-if never moves them and no action is aimed at them.
The guesses are shown to the user, who can change them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from churn_core.schema.labels import name_words

PRICE = "price"
PLAN = "plan or contract"
PRODUCT = "product holding"
SERVICE = "service and support"
ENGAGEMENT = "engagement and usage"
PAYMENT = "payment and billing"
TENURE_STAGE = "tenure stage"
LEVER_KINDS: tuple[str, ...] = (PRICE, PLAN, PRODUCT, SERVICE, ENGAGEMENT, PAYMENT, TENURE_STAGE)

DOWN, UP, LONGER, ADD, SWITCH, NONE = "down", "up", "longer", "add", "switch", "none"
#: Every direction, with what it allows, in words (the lever table's help).
DIRECTIONS: dict[str, str] = {
    DOWN: "moves only lower",
    UP: "moves only higher",
    LONGER: "moves only to a longer commitment",
    ADD: "moves only from not having it to having it",
    SWITCH: "moves to any other value",
    NONE: "never moved",
}

#: Words for things a business cannot change for a customer.
FIXED_WORDS = frozenset(
    {"age", "gender", "sex", "region", "country", "geography", "city", "state", "zip"}
    | {"postcode", "postal", "senior", "partner", "dependents", "dependent", "married"}
    | {"marital", "income", "salary", "credit", "birth", "born", "education", "children"}
    | {"family", "location", "language", "nationality", "balance", "score", "occupation"}
    | {"job", "industry", "segment"}
)
_TENURE_WORDS = frozenset({"tenure", "seniority", "signup", "joined", "since", "book"})
_HISTORY_WORDS = frozenset({"lifetime", "cumulative", "ever", "alltime", "historical"})
_INACTIVE_WORDS = frozenset({"inactive", "inactivity", "dormant", "idle", "recency"})
_PROBLEM_WORDS = frozenset(
    {"ticket", "tickets", "complaint", "complaints", "calls", "contacts", "issues", "failures"}
    | {"failed", "declined", "late", "overdue", "dropped", "outages", "errors", "escalations"}
)
#: (kind, name words), tried in this order; the first match wins.
_KIND_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (PAYMENT, frozenset({"payment", "payments", "billing", "paperless", "autopay", "invoice"})),
    (PLAN, frozenset({"contract", "commitment", "term", "plan", "tier", "package"})),
    (
        PRICE,
        frozenset({"price", "charge", "charges", "fee", "fees", "bill", "cost", "discount"})
        | {"promo", "mrr", "arpu"},
    ),
    (
        SERVICE,
        frozenset({"support", "ticket", "tickets", "complaint", "complaints", "calls", "contacts"})
        | {"issues", "tech", "helpdesk", "care", "serv"},
    ),
    (
        PRODUCT,
        frozenset({"product", "products", "relationship", "holding", "holdings", "accounts"})
        | {"card", "cards", "cr", "services", "service", "lines", "internet", "phone"}
        | {"streaming", "tv", "movies", "backup", "security", "protection", "device", "addon"}
        | {"addons", "bundle"},
    ),
    (
        ENGAGEMENT,
        frozenset({"usage", "use", "login", "logins", "active", "activity", "sessions"})
        | {"session", "visits", "engagement", "trend", "minutes", "trans", "transactions"}
        | {"purchases", "orders", "chng", "change", "inactive", "opens", "clicks", "streams"}
        | {"member", "recency", "frequency"},
    ),
)
_NO_VALUES = frozenset({"no", "none", "0", "false", "n", "f", "0.0"})
_YES_VALUES = frozenset({"yes", "1", "true", "y", "t", "1.0"})
_TIER_VALUES = frozenset(
    {"basic", "standard", "pro", "premium", "gold", "silver", "bronze", "platinum", "plus"}
    | {"starter", "business", "enterprise", "free", "lite"}
)
_PAYMENT_VALUES = frozenset(
    {"credit card", "direct debit", "bank transfer", "electronic check", "mailed check"}
    | {"paypal", "invoice", "automatic", "manual", "cash", "cheque"}
)
_COMMITMENT = (
    (re.compile(r"month.?to.?month|monthly|no contract|rolling|pay.?as"), 1.0),
    (re.compile(r"\b(one|1)[ -]?year|annual|yearly|12"), 12.0),
    (re.compile(r"\b(two|2)[ -]?year|24"), 24.0),
    (re.compile(r"\b(three|3)[ -]?year|36"), 36.0),
)


@dataclass(frozen=True)
class LeverGuess:
    """What a business can do with one column: its kind (or ""), direction and why."""

    column: str
    kind: str
    direction: str
    why: str

    @property
    def actionable(self) -> bool:
        return bool(self.kind)


def guess_lever(
    column: str,
    values: Sequence[str] = (),
    *,
    numeric: bool = False,
    tenure: bool = False,
    derived: str = "",
) -> LeverGuess:
    """The kind and direction of one column, from its name and (for categories) its values.

    ``tenure`` says the column is the customer's tenure; ``derived`` is the description of a
    derivation (see :mod:`churn_core.schema.derived`) when the column is one.

    >>> lever = guess_lever("MonthlyCharges", numeric=True)
    >>> lever.kind, lever.direction
    ('price', 'down')
    >>> guess_lever("Contract", ["Month-to-month", "One year", "Two year"]).direction
    'longer'
    >>> guess_lever("Months_Inactive_12_mon", numeric=True).direction
    'down'
    >>> guess_lever("StreamingTV", ["No", "No internet service", "Yes"]).direction
    'add'
    """
    words = set(name_words(column))
    if derived:
        return LeverGuess(column, "", NONE, f"{derived}: it moves only with its sources")
    if tenure or words & _TENURE_WORDS:
        return LeverGuess(
            column, TENURE_STAGE, NONE, "time as a customer: acted on (welcome, renewal), not moved"
        )
    if fixed := sorted(words & FIXED_WORDS):
        return LeverGuess(column, "", NONE, f'"{fixed[0]}" is not something you can change')
    if words & _HISTORY_WORDS:
        return LeverGuess(column, "", NONE, "history: what has happened cannot be changed")
    kind = next((k for k, keys in _KIND_WORDS if words & keys), "")
    why = f"{kind}, by its name"
    if not kind and (kind := _kind_of_values(values)):
        example = next(v for v in values if _kind_of_values([v]))
        why = f'values such as "{example}" are commercial choices ({kind})'
    if not kind:
        return LeverGuess(column, "", NONE, "nothing in its name or values says you can change it")
    direction = _direction(kind, words, values, numeric)
    return LeverGuess(column, kind, direction, f"{why}; {DIRECTIONS[direction]}")


def _direction(kind: str, words: set[str], values: Sequence[str], numeric: bool) -> str:
    if numeric:
        if words & (_INACTIVE_WORDS | _PROBLEM_WORDS):
            return DOWN
        if kind == PRICE:
            return UP if words & {"discount", "promo"} else DOWN
        if kind == PAYMENT:
            return DOWN
        if kind == SERVICE:
            return DOWN
        return UP
    keys = [value.strip().lower() for value in values]
    if kind == PLAN and sum(commitment(v) is not None for v in values) >= 2:
        return LONGER
    if any(is_no(k) for k in keys) and kind in (PRODUCT, SERVICE, ENGAGEMENT):
        return ADD
    return SWITCH


def _kind_of_values(values: Sequence[str]) -> str:
    """A kind from category values that are commercial choices ("Gold", "Direct debit")."""
    keys = {str(v).strip().lower() for v in values}
    if keys & _PAYMENT_VALUES:
        return PAYMENT
    if keys & _TIER_VALUES or any(commitment(v) is not None for v in values):
        return PLAN
    return ""


def commitment(value: str) -> float | None:
    """Months a contract value commits to, when its words say: ``"One year"`` -> 12.

    >>> commitment("Month-to-month"), commitment("Two year"), commitment("Gold")
    (1.0, 24.0, None)
    """
    text = str(value).strip().lower()
    for pattern, months in _COMMITMENT:
        if pattern.search(text):
            return months
    return None


def is_no(value: object) -> bool:
    """A value that says "does not have it": ``No``, ``0``, ``None``, ``No internet service``."""
    text = str(value).strip().lower()
    return text in _NO_VALUES or text.startswith("no ")


def is_yes(value: object) -> bool:
    return str(value).strip().lower() in _YES_VALUES


def allows(direction: str, before: object, after: object) -> bool:
    """Whether a lever with this direction may move a customer from ``before`` to ``after``.

    >>> allows("down", 70.0, 50.0), allows("down", 70.0, 90.0)
    (True, False)
    >>> allows("longer", "Month-to-month", "One year"), allows("longer", "Two year", "One year")
    (True, False)
    >>> allows("add", "No", "Yes"), allows("add", "Yes", "No"), allows("add", "No phone", "Yes")
    (True, False, False)
    >>> allows("add", "No", "Fiber optic"), allows("add", "DSL", "Fiber optic")
    (True, False)
    """
    if after == before or direction == NONE:
        return False
    if direction in (DOWN, UP):
        try:
            b, a = float(before), float(after)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return a < b if direction == DOWN else a > b
    if direction == LONGER:
        b_months, a_months = commitment(str(before)), commitment(str(after))
        return b_months is not None and a_months is not None and a_months > b_months
    if direction == ADD:
        if isinstance(before, int | float) and not isinstance(before, bool):
            try:
                return float(after) > float(before)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return False
        # from not having it to having it; "No internet service" needs the internet first
        return str(before).strip().lower() in _NO_VALUES and not is_no(after)
    return True  # SWITCH
