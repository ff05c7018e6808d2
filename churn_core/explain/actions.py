"""What to do about a reason: which columns a business can act on, and an editable action table.

A column is **actionable** when the business can change it for a customer (plan, price,
contract, support, usage, payment method) and not when it cannot (age, gender, region, tenure).
The defaults are guessed from the column's name and values; the user changes them on the page.

The **action table** has one row per actionable column and condition:

- for a category column, ``when`` is one of its values (``Month-to-month``);
- for a number column, ``when`` is ``high`` or ``low`` (above or below the typical customer).

A customer's ``recommended_action`` is the action for their strongest actionable reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from churn_core.explain.contributions import Explanation
from churn_core.schema import BLANK, FeatureSchema, name_words

HIGH = "high"
LOW = "low"
#: When no actionable reason raises a flagged customer's risk, this is still something to do.
NO_LEVER = "No lever in the data: call them personally to learn what would keep them"

#: Words in a column name, and the default action per condition. ``{value}`` is the
#: customer's value, ``{column}`` the column name. Checked in this order; first match wins.
_TEMPLATES: tuple[tuple[frozenset[str], dict[str, str]], ...] = (
    (
        frozenset({"contract", "commitment", "term"}),
        {"value": "Offer a discount to move from {value} to a longer contract"},
    ),
    (
        frozenset({"payment", "payments", "billing", "paperless", "autopay", "failures"}),
        {
            "value": "Help them move from {value} to automatic payment",
            HIGH: "Help them fix their payment method and set up automatic payment",
            LOW: "Check their billing set-up with them",
        },
    ),
    (
        frozenset({"support", "ticket", "tickets", "complaint", "complaints", "calls", "issues"}),
        {
            "value": "Review their support history ({column}: {value}) and follow up",
            HIGH: "Call them to resolve open support issues; assign a senior agent",
            LOW: "Check in: they may have problems they do not report",
        },
    ),
    (
        frozenset({"price", "charge", "charges", "fee", "fees", "bill", "cost", "spend"}),
        {
            "value": "Review their pricing ({value}); offer a better-value option",
            HIGH: "Offer a loyalty discount or a better-value plan",
            LOW: "Show them what a fuller plan would add",
        },
    ),
    (
        frozenset(
            {"usage", "use", "login", "logins", "active", "activity", "sessions", "session"}
            | {"visits", "engagement", "trend", "minutes", "streaming"}
        ),
        {
            "value": "Re-engage them: a usage review or onboarding session",
            HIGH: "Make sure they get full value from their heavy use",
            LOW: "Re-engage them: a usage review or onboarding session",
        },
    ),
    (
        frozenset({"plan", "tier", "package", "product", "products", "subscription", "service"})
        | frozenset({"services", "offer", "discount", "promo", "card", "internet", "phone"})
        | frozenset({"tech", "security", "backup", "protection", "device", "member"}),
        {
            "value": "Review whether {value} fits their needs; suggest a better-fitting option",
            HIGH: "Review whether everything they have ({column}) still fits their needs",
            LOW: "Offer a relevant additional product or service",
        },
    ),
)

#: Words for things a business cannot change for a customer.
_FIXED_WORDS = frozenset(
    {"age", "gender", "sex", "region", "country", "geography", "city", "state", "zip"}
    | {"postcode", "postal", "senior", "partner", "dependents", "married", "marital", "income"}
    | {"salary", "credit", "tenure", "signup", "joined", "birth", "born", "education"}
    | {"children", "family", "location", "language", "nationality", "balance"}
)
#: Category values that say a column is a commercial choice (a plan, a contract, a method).
_CHOICE_VALUES = frozenset(
    {"month-to-month", "monthly", "annual", "yearly", "one year", "two year", "premium"}
    | {"basic", "standard", "pro", "gold", "silver", "bronze", "automatic", "manual", "invoice"}
    | {"credit card", "direct debit", "bank transfer", "electronic check", "mailed check"}
    | {"paypal", "paperless"}
)


def _template(column: str) -> dict[str, str] | None:
    words = set(name_words(column))
    for keywords, template in _TEMPLATES:
        if words & keywords:
            return template
    return None


def guess_actionable(schema: FeatureSchema) -> pd.DataFrame:
    """Each feature column, whether a business can act on it (a guess), and why.

    >>> s = FeatureSchema(("Age", "SupportTickets"), ("Contract",), {"Contract": ["Monthly"]})
    >>> guess_actionable(s)[["column", "actionable"]].values.tolist()
    [['Age', False], ['SupportTickets', True], ['Contract', True]]
    """
    rows = []
    for column in schema.columns:
        words = set(name_words(column))
        values = {str(v).lower(): str(v) for v in schema.levels.get(column, [])}
        if fixed := sorted(words & _FIXED_WORDS):
            rows.append((column, False, f'"{fixed[0]}" is not something you can change'))
        elif _template(column) is not None:
            rows.append((column, True, "its name is about something you offer or manage"))
        elif choice := sorted(values.keys() & _CHOICE_VALUES):
            example = values[choice[0]]
            rows.append((column, True, f'values such as "{example}" are commercial choices'))
        else:
            rows.append((column, False, "nothing in its name or values says you can change it"))
    return pd.DataFrame(rows, columns=["column", "actionable", "why"])


def get_risky_levels(explanation: Explanation) -> dict[str, set[str]]:
    """Per category column, the values that raise risk on average among these customers."""
    out = {}
    for j, column in enumerate(explanation.columns):
        values = explanation.values[column]
        if values.dtype == object:
            mean = pd.Series(explanation.points[:, j]).groupby(values.to_numpy()).mean()
            out[column] = {str(v) for v in mean.index[mean.to_numpy() > 0]}
    return out


def get_default_actions(
    schema: FeatureSchema,
    actionable: Sequence[str],
    risky_levels: Mapping[str, set[str]] | None = None,
) -> pd.DataFrame:
    """The editable action table for the actionable columns: column, when, action.

    Every value of a category column gets a row; with ``risky_levels`` (see
    ``get_risky_levels``), only values that raise risk get a default action and the others an
    empty one (a person may fill it in): "move from Two year to a longer contract" is nonsense.
    """
    rows = []
    for column in actionable:
        template = _template(column) or {
            "value": "Discuss their {column} ({value}) with them",
            HIGH: "Discuss their {column} with them: it is higher than most",
            LOW: "Discuss their {column} with them: it is lower than most",
        }
        if column in schema.categorical:
            risky = None if risky_levels is None else risky_levels.get(column, set())
            for value in schema.levels.get(column, []):
                if value == BLANK:
                    continue
                text = template["value"].format(value=value, column=column)
                rows.append((column, value, text if risky is None or value in risky else ""))
        elif column in schema.numeric:
            for when in (HIGH, LOW):
                text = template.get(when, template["value"])
                rows.append((column, when, text.format(value=when, column=column)))
    return pd.DataFrame(rows, columns=["column", "when", "action"])


def get_action_plan(
    schema: FeatureSchema, sample: Explanation | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first plan: columns guessed actionable (see ``guess_actionable``) and an action
    table for every column (see ``get_default_actions``); with a ``sample`` explanation, only
    category values that raise risk in it get a default action."""
    risky = None if sample is None else get_risky_levels(sample)
    return guess_actionable(schema), get_default_actions(schema, schema.columns, risky)


def get_active_actions(actionable: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """The action table's rows for the columns marked actionable."""
    chosen = actionable.loc[actionable["actionable"].astype(bool), "column"]
    return actions[actions["column"].isin(chosen)]


def recommend_actions(
    explanation: Explanation,
    schema: FeatureSchema,
    actions: pd.DataFrame,
    *,
    flagged: np.ndarray | None = None,
) -> list[str]:
    """Per customer, the action for their strongest risk-raising reason that has one.

    Reasons are tried strongest first among the columns in ``actions`` (an empty action skips
    its reason). A customer with no such reason gets ``NO_LEVER`` if flagged (everyone, when
    ``flagged`` is None) and nothing otherwise.
    """
    lookup = {
        (str(c), str(w)): a.strip()
        for c, w, a in actions[["column", "when", "action"]].itertuples(index=False)
        if isinstance(a, str) and a.strip()  # an emptied cell comes back as None
    }
    medians = {c: r.get("median") for c, r in schema.ranges.items()}
    columns = explanation.columns
    values = explanation.values.to_numpy(dtype=object)  # cell by cell from pandas is slow
    out = []
    for i in range(len(explanation)):
        points = explanation.points[i]
        chosen = NO_LEVER if flagged is None or flagged[i] else ""
        for j in sorted(range(len(columns)), key=lambda j: -points[j]):
            if points[j] < 0.05:
                break
            column = columns[j]
            value = values[i, j]
            if column in schema.numeric:
                median = medians.get(column)
                if median is None or pd.isna(value):
                    continue
                when = HIGH if float(value) > median else LOW
            else:
                when = str(value)
            if (column, when) in lookup:
                chosen = lookup[(column, when)]
                break
        out.append(chosen)
    return out
