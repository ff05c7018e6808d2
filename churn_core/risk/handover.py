"""The at-risk list made ready to hand over: filtered and ranked 1..n, the user's own columns
carried in, and the facts a reader needs ("About this list").

A list delivered is always ranked 1 to n, whatever filter chose its rows (a band, segments, the
top N): :func:`rerank`. The user's own columns (name, email, plan...) follow the contract's
columns under their own names (:func:`carry_columns`, :func:`carry_columns_from_file`). The CSV
keeps the contract's column names; the workbook (:func:`to_handover_workbook`) has friendly
headers, formats and an "About this list" sheet built from :class:`HandoverFacts`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from churn_core import columns as col
from churn_core.errors import ChurnDataError, Problem, join_words, plural
from churn_core.io import iter_table_chunks, to_handover_xlsx
from churn_core.model import CAPACITY, ChurnModel, Policy, describe_quality, describe_value
from churn_core.risk.pipeline import CHUNK_ROWS
from churn_core.risk.ranking import AtRiskList
from churn_core.survival import ClvAssumptions

#: Added to a carried column's name when the list already has a column of that name.
CARRIED_SUFFIX = " (your file)"

HOW_TO_READ_PROBABILITY = (
    "The chance this customer leaves, from a model checked on customers it never saw: 30 % "
    "means about 3 in 10 customers like this one leave. Added up over the list, the "
    "probabilities estimate how many of these customers will leave."
)
HOW_TO_READ_REASON = (
    '"Contract is Month-to-month (+12 pts)" means this value puts the customer\'s churn '
    "probability 12 percentage points above a typical customer's; reasons come strongest first. "
    "They explain the model's score, not proven causes."
)


def rerank(frame: pd.DataFrame) -> pd.DataFrame:
    """The list's rows in rank order, ranked again 1..n (after any filter).

    >>> listed = pd.DataFrame({"id": ["a", "c"], "rank": [4, 2]})
    >>> rerank(listed)["rank"].tolist(), rerank(listed)["id"].tolist()
    ([1, 2], ['c', 'a'])
    """
    out = frame.sort_values(col.RANK, kind="stable") if col.RANK in frame.columns else frame
    out = out.reset_index(drop=True)
    out[col.RANK] = np.arange(1, len(out) + 1)
    return out


def select_rows(
    at_risk: AtRiskList,
    *,
    bands: Sequence[str] | None = None,
    segments: Sequence[str] | None = None,
    top: int | None = None,
) -> np.ndarray:
    """A mask over the list's rows: in one of ``bands`` and ``segments`` (all when None), then
    the first ``top`` of those."""
    frame = at_risk.frame
    keep = np.ones(len(frame), dtype=bool)
    if bands:
        keep &= frame[col.RISK_BAND].isin(list(bands)).to_numpy(bool)
    if segments:
        keep &= frame[col.SEGMENT].isin(list(segments)).to_numpy(bool)
    if top is not None:
        keep &= np.cumsum(keep) <= max(int(top), 0)
    return keep


def filter_list(
    at_risk: AtRiskList,
    *,
    bands: Sequence[str] | None = None,
    segments: Sequence[str] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """The rows of the list a person asked for, ranked 1..n (see :func:`select_rows`)."""
    return rerank(at_risk.frame[select_rows(at_risk, bands=bands, segments=segments, top=top)])


def describe_filters(
    bands: Sequence[str] | None = None,
    segments: Sequence[str] | None = None,
    top: int | None = None,
) -> str:
    """The filters in words: ``"High band only, the first 500"``; "" for the whole list."""
    parts = []
    if bands:
        parts.append(f"{join_words(list(bands))} {'band' if len(bands) == 1 else 'bands'} only")
    if segments:
        parts.append(f"segments {join_words(list(segments))}")
    if top is not None:
        parts.append(f"the first {top:,}")
    return ", ".join(parts)


def carry_columns(
    at_risk: AtRiskList, original: pd.DataFrame, columns: Sequence[str]
) -> AtRiskList:
    """A copy of the list with the user's own ``columns`` of ``original`` (the scored table)
    after the contract's columns; a name the list already has gets " (your file)"."""
    _check_carried(list(original.columns), columns)
    return _with_carried(at_risk, original.iloc[at_risk.positions], columns)


def carry_columns_from_file(
    at_risk: AtRiskList, path: str | Path, columns: Sequence[str], *, chunk_rows: int = CHUNK_ROWS
) -> AtRiskList:
    """Like :func:`carry_columns` for a list scored with ``score_file``: the file is read again
    in chunks, keeping only the carried columns."""
    parts: list[pd.DataFrame] = []
    for chunk in iter_table_chunks(path, chunk_rows):
        if not parts:
            _check_carried(list(chunk.columns), columns)
        parts.append(chunk[list(dict.fromkeys(columns))])
    if not parts:
        return at_risk
    carried = pd.concat(parts, ignore_index=True)
    return _with_carried(at_risk, carried.iloc[at_risk.positions], columns)


def _check_carried(available: list[str], columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in available]
    if missing:
        shown = ", ".join(available[:20]) + (
            f" and {len(available) - 20} more" if len(available) > 20 else ""
        )
        raise ChurnDataError(
            [
                Problem(
                    f"There is no column {join_words([repr(c) for c in missing])} to carry into "
                    f"the list; the columns are: {shown}.",
                    column=missing[0],
                    fix="Check the spelling (it is case-sensitive).",
                    code="no_such_column",
                )
            ]
        )


def _with_carried(at_risk: AtRiskList, rows: pd.DataFrame, columns: Sequence[str]) -> AtRiskList:
    frame = at_risk.frame.copy()
    for name in dict.fromkeys(columns):
        if name == at_risk.id_column:
            continue  # already the list's first column
        shown = name + CARRIED_SUFFIX if name in frame.columns else name
        frame[shown] = rows[name].to_numpy()
    return replace(at_risk, frame=frame)


def describe_ranking(at_risk: AtRiskList) -> str:
    """What the list is ranked by, in a sentence the page and the About sheet show."""
    values = at_risk.frame[col.CUSTOMER_VALUE].to_numpy(float)
    known = int(np.isfinite(values).sum())
    if known == 0:
        return (
            "Ranked by churn probability, highest first: this data has no monthly revenue "
            "column, so customer value and expected value at risk are empty."
        )
    text = (
        "Ranked by expected value at risk (churn probability x customer value), highest first, "
        "then by churn probability."
    )
    if known < len(values):
        missing = len(values) - known
        text += (
            f" {plural(missing, 'customer')} without a value (blank revenue) come after the "
            "others, by churn probability."
        )
    return text


@dataclass(frozen=True)
class HandoverFacts:
    """What a reader of the list needs to know; :meth:`rows` is the "About this list" sheet."""

    data_name: str
    made_at: datetime
    customers: int
    expected_churners: float
    filters: str
    ranked_by: str
    model: str
    quality: str
    trained_at: str
    policy: str
    threshold: float | None
    value: str
    clv_assumptions: str
    currency: str | None
    left_out: str
    base_rate: float

    def rows(self) -> list[tuple[str, str]]:
        """``(what, value)`` pairs, in the order the sheet shows them."""
        rows = [
            ("Data", self.data_name),
            ("List made", f"{self.made_at:%Y-%m-%d %H:%M}"),
            (
                "Customers in this list",
                f"{self.customers:,}" + (f" ({self.filters})" if self.filters else ""),
            ),
            (
                "Expected to leave",
                f"about {self.expected_churners:,.0f} of them (the sum of their churn "
                "probabilities)",
            ),
            ("Order", self.ranked_by),
            ("Who is flagged (High)", self.policy),
            (
                "Risk bands",
                "High = flagged by the policy above; Medium = not flagged, but at or above the "
                f"average churn rate ({self.base_rate:.0%}); Low = the rest.",
            ),
            ("Model", self.model),
            ("Model quality", self.quality),
            ("Trained", self.trained_at),
            ("Customer value", self.value),
            ("CLV assumptions", self.clv_assumptions),
            ("Currency", self.currency or "not set: amounts are plain numbers"),
            ("How to read a churn probability", HOW_TO_READ_PROBABILITY),
            ("How to read a reason", HOW_TO_READ_REASON),
        ]
        if self.left_out:
            rows.append(("Not in the list", self.left_out))
        return rows


def get_handover_facts(
    model: ChurnModel,
    at_risk: AtRiskList,
    listed: pd.DataFrame,
    *,
    data_name: str,
    policy: Policy | None = None,
    clv_assumptions: ClvAssumptions | None = None,
    currency: str | None = None,
    filters: str = "",
    made_at: datetime | None = None,
) -> HandoverFacts:
    """The facts of the "About this list" sheet for ``listed`` (rows of ``at_risk``).

    ``clv_assumptions`` are the ones the values were computed with (the model card's when
    None); ``made_at`` is now, when the function runs, unless given.
    """
    card = model.card
    policy = policy or Policy()
    value = card.get("value", {})
    if value.get("kind") == "clv":
        assumptions = clv_assumptions or ClvAssumptions.from_dict(value["clv_assumptions"])
        clv_text = assumptions.describe()
    else:
        clv_text = "not used: " + (
            "no monthly revenue column" if not value.get("revenue_column") else "no tenure"
        )
    trained = str(card.get("trained_at", ""))
    with contextlib.suppress(ValueError):
        trained = f"{datetime.fromisoformat(trained):%Y-%m-%d %H:%M %Z}".strip()
    data = card.get("data", {})
    learned = int(data.get("rows_with_label", 0)) - int(data.get("test_rows", 0))
    threshold = at_risk.flagging.cutoff
    policy_text = policy.describe(model.threshold)
    if policy.kind == CAPACITY and threshold is not None:
        policy_text += f" (a churn probability of {threshold:.0%} or more)"
    return HandoverFacts(
        data_name=data_name,
        made_at=made_at or datetime.now(UTC).astimezone(),
        customers=len(listed),
        expected_churners=float(listed[col.CHURN_PROBABILITY].sum()),
        filters=filters,
        ranked_by=describe_ranking(at_risk),
        model=f"{model.name}, learned from {learned:,} customers",
        quality=describe_quality(model).sentence,
        trained_at=trained,
        policy=policy_text,
        threshold=threshold,
        value=describe_value(card),
        clv_assumptions=clv_text,
        currency=currency or None,
        left_out=at_risk.describe_left_out(),
        base_rate=model.base_rate,
    )


def to_handover_workbook(listed: pd.DataFrame, facts: HandoverFacts) -> bytes:
    """The list as an .xlsx to hand over: friendly headers, formats, "About this list"."""
    return to_handover_xlsx(listed, facts.rows(), currency=facts.currency)
