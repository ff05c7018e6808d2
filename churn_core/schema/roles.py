"""What each column is for: id, churn label, tenure, dates, revenue, feature, or ignored.

Each column gets one role and a short reason the app shows next to it ("unique for every
row: treated as the customer id"). Detection looks at the column's name (split into words,
so ``CustomerId`` and ``customer_id`` read alike) and at its values. The user can override
any role; see :func:`churn_core.schema.profile.profile_table`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from churn_core.io import LONG_TEXT_CHARS
from churn_core.schema.labels import (
    LabelMapping,
    infer_label_mapping,
    name_words,
    value_key,
    word_vote,
)


class Role(StrEnum):
    ID = "id"
    LABEL = "label"
    TENURE = "tenure"
    SIGNUP_DATE = "signup_date"
    END_DATE = "end_date"
    REVENUE = "revenue"
    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    DERIVED = "derived"
    IGNORED = "ignored"

    @property
    def display_name(self) -> str:
        """How the Data page names the role: ``"Churn label (what we predict)"``."""
        return ROLE_TITLES[self]

    @classmethod
    def from_display_name(cls, title: str) -> Role:
        """The role a Data page label stands for: ``"Ignored"`` -> ``Role.IGNORED``."""
        for role, text in ROLE_TITLES.items():
            if text == title:
                return role
        return cls(title)


ROLE_TITLES: dict[Role, str] = {
    Role.ID: "Customer id",
    Role.LABEL: "Churn label (what we predict)",
    Role.TENURE: "Tenure (time as a customer)",
    Role.SIGNUP_DATE: "Signup date",
    Role.END_DATE: "End / churn date",
    Role.REVENUE: "Monthly revenue",
    Role.NUMERIC: "Number feature",
    Role.CATEGORICAL: "Category feature",
    Role.DERIVED: "Derived from other columns (left out of the model)",
    Role.IGNORED: "Ignored",
}
#: Roles at most one column can have.
SINGLE_ROLES = (Role.ID, Role.LABEL, Role.TENURE, Role.SIGNUP_DATE, Role.END_DATE, Role.REVENUE)
#: Roles whose columns feed the churn model.
FEATURE_ROLES = frozenset({Role.NUMERIC, Role.CATEGORICAL, Role.TENURE, Role.REVENUE})

MAX_CATEGORY_LEVELS = 100
FREE_TEXT_CHARS = 60

_LABEL_STRONG = {
    "churn",
    "churned",
    "churner",
    "exited",
    "exit",
    "attrition",
    "attrited",
    "cancelled",
    "canceled",
    "cancel",
    "left",
    "lost",
    "defected",
    "lapsed",
    "terminated",
    "closed",
}
_LABEL_WEAK = {"target", "label", "outcome", "status", "class", "y", "flag"}
#: "Active" alone is a churn label (IsActive, still_active: "No" means left); with a noun it is
#: usually engagement (a bank's IsActiveMember, active_user), not whether someone left.
_ACTIVE_ALONE = {"is", "still", "active"}
_ID_WORDS = {"id", "key", "uuid", "guid", "ref", "code", "no", "nr", "number", "num"}
_WHO_WORDS = {"customer", "client", "account", "member", "subscriber", "user", "cust", "acct"}
_ROW_WORDS = {"row", "index", "idx", "line", "unnamed", "record"}
_PERSONAL = {
    "surname": "a name",
    "firstname": "a name",
    "lastname": "a name",
    "fullname": "a name",
    "email": "an email address",
    "mail": "an email address",
    "phone": "a phone number",
    "mobile": "a phone number",
    "telephone": "a phone number",
    "address": "an address",
    "street": "an address",
    "postcode": "a postcode",
    "zip": "a postcode",
    "ssn": "an identity number",
    "passport": "an identity number",
    "iban": "a bank account number",
    "username": "a user name",
    "ip": "an IP address",
}
_NAME_PARTS = {"first", "last", "full", "sur", "given", "family", "customer", "client", "contact"}
_SIGNUP_WORDS = {
    "signup",
    "sign",
    "joined",
    "join",
    "start",
    "started",
    "created",
    "since",
    "activation",
    "activated",
    "opened",
    "registration",
    "registered",
    "subscribed",
    "onboarded",
    "acquired",
    "acquisition",
}
_END_WORDS = {
    "churn",
    "churned",
    "cancel",
    "cancelled",
    "canceled",
    "cancellation",
    "end",
    "ended",
    "termination",
    "terminated",
    "closed",
    "close",
    "exit",
    "left",
    "leave",
}
_TENURE_WORDS = {"tenure", "lifetime", "seniority"}
_DURATION_WORDS = {"months", "month", "days", "years", "weeks"}
_TENURE_CONTEXT = {
    "active",
    "customer",
    "subscribed",
    "member",
    "membership",
    "account",
    "since",
    "age",
    "with",
    "relationship",
    "subscription",
    "book",
}
#: A length of what a customer has with you: ``Subscription Length``, ``Account length``.
_LENGTH_WORDS = {"length", "duration"}
_LENGTH_CONTEXT = {"subscription", "membership", "account", "customer", "relationship", "member"}
_REVENUE_WORDS = {
    "charges",
    "charge",
    "revenue",
    "fee",
    "fees",
    "spend",
    "bill",
    "billing",
    "price",
    "amount",
    "payment",
    "mrr",
    "arpu",
    "subscription",
    "cost",
    "plan",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@dataclass
class Detection:
    role: Role
    reason: str
    score: float = 0.0  # how sure, when several columns compete for a single role


def describe_kind(series: pd.Series) -> str:
    """The column's type in plain words: number, date, yes/no or text."""
    if pd.api.types.is_bool_dtype(series):
        return "yes/no"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "text"


def detect_role(series: pd.Series, name: str) -> list[Detection]:
    """Every role the column could plausibly have, best first; the last is the fallback."""
    words = name_words(name)
    wordset = set(words)
    joined = "".join(words)
    present = series.dropna()
    n_rows, n_present = len(series), len(present)
    kind = describe_kind(series)
    if n_present == 0:
        return [Detection(Role.IGNORED, "empty in every row")]
    n_unique = int(present.nunique())
    if n_unique == 1:
        shown = str(present.iloc[0])[:40]
        if _label_name_score(words) >= 3:
            return [
                Detection(
                    Role.LABEL,
                    f'named like a churn label, but every row is "{shown}"',
                    _label_name_score(words),
                )
            ]
        return [
            Detection(
                Role.IGNORED, f'the same value ("{shown}") in every row: tells no customers apart'
            )
        ]

    # Two values are a flag ("HasPhone": yes/no), never someone's phone number or name.
    personal = _personal_data(words, joined, present, kind) if n_unique > 2 else None
    if personal:
        return [Detection(Role.IGNORED, f"personal data ({personal}): never used by the model")]

    found: list[Detection] = []
    unique_all = n_unique == n_rows and n_present == n_rows
    if unique_all and kind in {"number", "text"} and _whole_or_text(present):
        if kind == "number" and _is_row_counter(series, bool(wordset & _ROW_WORDS)):
            return [
                Detection(
                    Role.IGNORED,
                    f"counts rows 1 to {n_rows:,}: a row number, not a customer property",
                )
            ]
        found.append(_id_detection(name, kind))

    label_score = _label_name_score(words)
    mapping = infer_label_mapping(series, name) if n_unique == 2 else None
    if mapping is not None:
        value_says = not mapping.guessed
        score = label_score + (1.0 if value_says else 0.0)
        if label_score > 0 or _churn_valued(mapping):
            found.append(Detection(Role.LABEL, _label_reason(mapping, name), score))
    elif label_score >= 3 and n_unique <= 10:
        found.append(
            Detection(
                Role.LABEL,
                f"named like a churn label, but has {n_unique} different values",
                label_score,
            )
        )

    if kind == "date":
        if wordset & _END_WORDS:
            found.append(Detection(Role.END_DATE, "a date named like the day a customer left", 2))
        elif wordset & _SIGNUP_WORDS:
            found.append(
                Detection(Role.SIGNUP_DATE, "a date named like the day a customer joined", 2)
            )
        found.append(Detection(Role.IGNORED, "a date: not used directly as a model input"))
        return found

    if kind == "number":
        non_negative = bool((present >= 0).all())
        tenure = tenure_name_score(words) if non_negative else 0.0
        if tenure >= 3:
            found.append(
                Detection(Role.TENURE, "named like how long someone has been a customer", tenure)
            )
        elif tenure:
            found.append(Detection(Role.TENURE, "a duration named like time as a customer", tenure))
        if non_negative and _is_monthly_revenue(words, wordset):
            found.append(Detection(Role.REVENUE, "money per month, by its name", 2))
        found.append(Detection(Role.NUMERIC, _numeric_reason(n_unique)))
        return found

    lengths = present.astype(str).str.len()
    if lengths.mean() > FREE_TEXT_CHARS or lengths.max() > LONG_TEXT_CHARS:
        found.append(
            Detection(
                Role.IGNORED,
                f"free text (up to {lengths.max():,} characters per cell): not used by the model",
            )
        )
    elif id_name_score(name) and n_unique >= 0.9 * n_present:
        found.append(
            Detection(
                Role.IGNORED,
                f"{n_unique:,} different values in {n_present:,} rows: an identifier, not a "
                "customer property",
            )
        )
    elif n_unique > MAX_CATEGORY_LEVELS and n_unique > 0.05 * n_present:
        found.append(
            Detection(
                Role.IGNORED, f"{n_unique:,} different values: too many to learn from as categories"
            )
        )
    else:
        found.append(Detection(Role.CATEGORICAL, f"text with {n_unique:,} different values"))
    return found


_ID_COMPOUND = re.compile(
    r"^(customer|client|account|member|subscriber|user|cust|acct)"
    r"(id|num|no|nr|number|key|ref|code)$"
)


def id_name_score(name: str) -> float:
    """3 for ``CustomerID``/``CLIENTNUM``-like names, 2 for a bare id word, else 0."""
    words = name_words(name)
    wordset = set(words)
    if _ID_COMPOUND.match("".join(words)) or (wordset & _ID_WORDS and wordset & _WHO_WORDS):
        return 3.0
    return 2.0 if wordset & _ID_WORDS else 0.0


def is_id_named(name: str) -> bool:
    """True for names like ``CustomerID``, ``CLIENTNUM``, ``account_no`` or plain ``ID``."""
    score = id_name_score(name)
    return score == 3.0 or (score == 2.0 and len(name_words(name)) == 1)


def _id_detection(name: str, kind: str) -> Detection:
    score = id_name_score(name)
    if not score:
        # a unique number with no id-like name is more likely a measurement
        score = 0.3 if kind == "number" else 1.0
    return Detection(Role.ID, "unique for every row: identifies a customer", score)


def _is_row_counter(series: pd.Series, row_named: bool) -> bool:
    """Counts 1..n (or 0..n-1) down the file; in any order when the name says row/index."""
    values = series.to_numpy()
    if not np.issubdtype(values.dtype, np.number) or len(values) < 2:
        return False
    if row_named:
        values = np.sort(values)
    return bool(np.all(np.diff(values) == 1) and values[0] in (0, 1))


def _whole_or_text(present: pd.Series) -> bool:
    if pd.api.types.is_float_dtype(present):
        return bool(np.all(np.mod(present.to_numpy(), 1) == 0))
    if pd.api.types.is_numeric_dtype(present):
        return True
    return bool(present.astype(str).str.len().mean() <= FREE_TEXT_CHARS)


def tenure_name_score(words: list[str]) -> float:
    """3 for ``tenure``/``Months_on_book``-like names, 2 for a duration of being a customer
    (``months_active``, ``Subscription Length``), else 0."""
    wordset = set(words)
    if wordset & _TENURE_WORDS or {"on", "book"} <= wordset:  # "on book": a bank's tenure
        return 3.0
    if wordset & _DURATION_WORDS and wordset & _TENURE_CONTEXT:
        return 2.0
    return 2.0 if wordset & _LENGTH_WORDS and wordset & _LENGTH_CONTEXT else 0.0


def _label_name_score(words: list[str]) -> float:
    wordset = set(words)
    if wordset & _LABEL_STRONG:
        return 3.0
    if wordset & _LABEL_WEAK:
        return 1.0 if len(words) <= 2 else 0.5
    return 1.0 if "active" in wordset and wordset <= _ACTIVE_ALONE else 0.0


def _churn_valued(mapping: LabelMapping) -> bool:
    """True when the values themselves are churn words (e.g. Attrited/Existing Customer)."""
    words = {value_key(mapping.churned_value), value_key(mapping.stayed_value)}
    generic = {"yes", "no", "y", "n", "1", "0", "true", "false", "t", "f"}
    return (
        not mapping.guessed
        and not words <= generic
        and word_vote(value_key(mapping.churned_value)) == 1
    )


def _label_reason(mapping: LabelMapping, name: str) -> str:
    if mapping.guessed:
        return (
            f'two values; "{mapping.churned_value}" (the rarer) is assumed to mean the '
            "customer left: please confirm"
        )
    return f'two values; "{mapping.churned_value}" means the customer left'


def _personal_data(words: list[str], joined: str, present: pd.Series, kind: str) -> str | None:
    wordset = set(words)
    for word, what in _PERSONAL.items():
        if word in wordset or (len(word) > 4 and word in joined):
            return what
    if "name" in wordset and (len(words) == 1 or wordset & _NAME_PARTS):
        return "a name"
    if kind == "text":
        sample = present.astype(str).iloc[:200]
        if sample.str.match(_EMAIL).mean() > 0.8:
            return "an email address"
    return None


def _is_monthly_revenue(words: list[str], wordset: set[str]) -> bool:
    if {"mrr", "arpu"} & wordset:
        return True
    monthly = bool({"monthly", "month", "mo", "pm"} & wordset) or "permonth" in "".join(words)
    return monthly and bool(wordset & _REVENUE_WORDS)


def _numeric_reason(n_unique: int) -> str:
    if n_unique == 2:
        return "a number with two values (a yes/no flag)"
    return f"a number with {n_unique:,} different values"
