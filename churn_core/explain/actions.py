"""What to do about a reason: an action library keyed on the kind of lever, and an editable
action table.

Each column of the model has a lever kind (price, plan or contract, product holding, service and
support, engagement and usage, payment and billing, tenure stage; see
:mod:`churn_core.explain.levers`). The **action table** has one row per actionable column and
condition, worded from the column's own name and value by its kind:

- for a category column, ``when`` is one of its values (``Month-to-month``);
- for a number column, ``when`` is ``high`` or ``low`` (above or below the median customer).

A customer's ``recommended_action`` is the action for their strongest actionable reason; a
flagged customer with no such reason gets "call them personally".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from churn_core.explain.contributions import Explanation
from churn_core.explain.levers import guess_levers
from churn_core.model import ChurnModel
from churn_core.schema import BLANK, FeatureSchema
from churn_core.schema.levers import (
    DOWN,
    ENGAGEMENT,
    LONGER,
    PAYMENT,
    PLAN,
    PRICE,
    PRODUCT,
    SERVICE,
    TENURE_STAGE,
    commitment,
    is_no,
)

HIGH = "high"
LOW = "low"
#: When no actionable reason raises a flagged customer's risk, this is still something to do.
NO_LEVER = "No lever in the data: call them personally to learn what would keep them"
_NO = "no"  # a category value that says the customer does not have it
_VALUE = "value"

#: kind -> condition -> action; ``{column}`` and ``{value}`` are the column's name and value.
#: Conditions: HIGH/LOW for numbers (``HIGH_DOWN``... when the lever moves down), _NO for a
#: "does not have it" value, LONGER for a contract value with a longer one on offer, _VALUE for
#: any other value.
LIBRARY: dict[str, dict[str, str]] = {
    PRICE: {
        HIGH: "Offer a better-value price: their {column} is higher than most (a loyalty "
        "discount or a plan that fits their use)",
        LOW: "Show what a fuller offer adds: their {column} is lower than most",
        _VALUE: "Offer a better-value option than {column} {value}",
    },
    PLAN: {
        LONGER: "Offer a discount to move from {value} to a longer {column}",
        _VALUE: "Offer a {column} that fits them better than {value}",
        HIGH: "Check their {column} still fits how they use it",
        LOW: "Offer a longer {column} with a discount",
    },
    PRODUCT: {
        _NO: "Offer {column}: they do not have it yet (a free trial month)",
        _VALUE: "Check that {column} {value} works well for them; offer what completes it",
        LOW: "Offer another product: their {column} is lower than most",
        HIGH: "Thank them, and check each of their {column} is used",
    },
    SERVICE: {
        HIGH: "Call them to resolve their problems: {column} is higher than most; assign a "
        "senior agent",
        LOW: "Check in: they may have problems they do not report ({column} is low)",
        _NO: "Offer {column}: they do not have it",
        _VALUE: "Follow up on their {column} ({value})",
    },
    ENGAGEMENT: {
        LOW: "Re-engage them: their {column} is lower than most (a usage review, reminders, "
        "an offer tied to using it)",
        HIGH: "Make sure they get full value from their heavy use ({column})",
        "high_down": "Re-engage them: their {column} is higher than most (reach out and "
        "remind them what they have)",
        "low_down": "Keep them engaged: their {column} is low; ask what they value",
        _NO: "Re-engage them: {column} is {value} (a usage review or onboarding session)",
        _VALUE: "Re-engage them: {column} is {value}",
    },
    PAYMENT: {
        "automatic": "Help them move from {value} to automatic payment",
        _VALUE: "Offer to switch their {column} from {value}",
        HIGH: "Help them fix their payment set-up: their {column} is higher than most",
        LOW: "Check their billing set-up with them ({column})",
    },
    TENURE_STAGE: {
        LOW: "A newer customer ({column} is low): a welcome call and a check after the first bills",
        HIGH: "A long-standing customer: thank them, and review their plan before renewal",
        _VALUE: "Check in at this stage of their time with you ({column}: {value})",
    },
}
_GENERIC = {
    _VALUE: "Discuss their {column} ({value}) with them",
    HIGH: "Discuss their {column} with them: it is higher than most",
    LOW: "Discuss their {column} with them: it is lower than most",
}
_AUTOMATIC = ("automatic", "direct debit", "autopay", "auto pay")


def describe_action(
    kind: str, column: str, when: str, *, direction: str = "", levels: Sequence[str] = ()
) -> str:
    """The library's action for a column of this lever kind, worded from its name and value.

    >>> describe_action("plan or contract", "Contract", "Month-to-month",
    ...                 direction="longer", levels=["Month-to-month", "One year"])
    'Offer a discount to move from Month-to-month to a longer Contract'
    >>> describe_action("product holding", "TechSupport", "No")
    'Offer TechSupport: they do not have it yet (a free trial month)'
    """
    library = LIBRARY.get(kind, _GENERIC)
    if when in (HIGH, LOW):
        key = f"{when}_down" if direction == DOWN and f"{when}_down" in library else when
        text = library.get(key, _GENERIC[when])
    else:
        key = _VALUE
        months = commitment(when)
        if direction == LONGER and months is not None:
            longer = [v for v in levels if (commitment(v) or 0) > months]
            key = LONGER if longer else _VALUE
        elif is_no(when) and _NO in library:
            key = _NO
        elif kind == PAYMENT and _offers_automatic(levels, when):
            key = "automatic"
        text = library.get(key, _GENERIC[_VALUE])
    return text.format(column=column, value=when)


def _offers_automatic(levels: Sequence[str], value: str) -> bool:
    def automatic(v: str) -> bool:
        return any(word in v.lower() for word in _AUTOMATIC)

    return not automatic(value) and any(automatic(v) for v in levels)


def guess_actionable(schema: FeatureSchema | ChurnModel) -> pd.DataFrame:
    """Each feature column, whether a business can act on it (a guess), its lever kind and
    allowed direction, and why: the lever table (see ``churn_core.explain.levers``).

    >>> s = FeatureSchema(("Age", "SupportTickets"), ("Contract",), {"Contract": ["Monthly"]})
    >>> guess_actionable(s)[["column", "actionable"]].values.tolist()
    [['Age', False], ['SupportTickets', True], ['Contract', True]]
    """
    return guess_levers(schema)


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
    levers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The editable action table for the actionable columns: column, when, action.

    Every value of a category column gets a row; with ``risky_levels`` (see
    ``get_risky_levels``), only values that raise risk get a default action and the others an
    empty one (a person may fill it in): "move from Two year to a longer contract" is nonsense.
    Actions come from the library for the column's lever kind (``levers``: the lever table;
    guessed from the schema when omitted); columns with no kind get none.
    """
    table = guess_levers(schema) if levers is None else levers
    kinds = {str(r.column): (str(r.kind or ""), str(r.direction)) for r in table.itertuples()}
    rows = []
    for column in actionable:
        kind, direction = kinds.get(column, ("", ""))
        if column in schema.categorical:
            levels = [v for v in schema.levels.get(column, []) if v != BLANK]
            risky = None if risky_levels is None else risky_levels.get(column, set())
            for value in levels:
                text = describe_action(kind, column, value, direction=direction, levels=levels)
                wanted = kind and (risky is None or value in risky)
                rows.append((column, value, text if wanted else ""))
        elif column in schema.numeric:
            for when in (HIGH, LOW):
                text = describe_action(kind, column, when, direction=direction) if kind else ""
                rows.append((column, when, text))
    return pd.DataFrame(rows, columns=["column", "when", "action"])


def get_action_plan(
    model: ChurnModel | FeatureSchema,
    sample: Explanation | None = None,
    levers: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first plan: the lever table (see ``guess_levers``) and an action table for every
    column (see ``get_default_actions``); with a ``sample`` explanation, only category values
    that raise risk in it get a default action. Give the model (not only its schema) so that
    derived columns and the tenure are known. With ``levers`` (a lever table a person edited),
    the actions are worded from its kinds and directions instead of the guessed ones."""
    schema = model.schema if isinstance(model, ChurnModel) else model
    levers = guess_levers(model) if levers is None else levers
    risky = None if sample is None else get_risky_levels(sample)
    return levers, get_default_actions(schema, schema.columns, risky, levers)


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
