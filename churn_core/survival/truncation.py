"""Left truncation: customers who left before the data starts are not in the file.

Two signs give it away:

- **A tenure column whose shortest tenure is far above zero.** A card issuer's file where
  nobody has been a customer for less than 13 months holds only customers who stayed at least
  13 months: whoever left sooner is missing, so retention before month 13 cannot be measured,
  and a curve that ignored it would read 100 % at 12 months.
- **Signups long before the first departure on record.** When churn dates start in 2021 but
  signups go back to 2015, the customers who left between 2015 and 2021 are not in the file.

Either way each customer is counted from the moment the data could have seen them leave
(*delayed entry*, lifelines' ``entry=``): the shortest tenure for everyone, or, with dates, the
later of signup and the first departure on record. The sign must be strong before it counts:
at the pace customers leave in the file, at least :data:`MIN_EXPECTED_MISSING` of them would
have left in the unseen months. A young business where nobody is past month 2 is not truncated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from churn_core.survival.sources import DAYS_PER_MONTH

#: A shortest tenure (in months) at or above this may mean early leavers are missing.
MIN_TRUNCATION_MONTHS = 3.0
#: Leavers the unseen months would hold, at the file's own pace, before truncation is declared.
MIN_EXPECTED_MISSING = 5.0


@dataclass(frozen=True)
class Truncation:
    """Why and from when customers are counted: what a page and the KPI notes say.

    Attributes
    ----------
    from_month : float
        The earliest month of a customer's life the data sees (the shortest tenure, or the
        smallest delayed entry); retention before it cannot be measured.
    reason : str
        One plain sentence: "No customer in this file is younger than 13 months, so ...".
    data_start : pd.Timestamp or None
        With dates: the first departure on record, where the data starts.
    expected_missing : float
        Leavers the unseen months would hold at the file's own pace (how strong the sign is).
    """

    from_month: float
    reason: str
    data_start: pd.Timestamp | None = None
    expected_missing: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "from_month": round(self.from_month, 2),
            "reason": self.reason,
            "data_start": None if self.data_start is None else f"{self.data_start:%Y-%m-%d}",
            "expected_missing": round(self.expected_missing, 1),
        }


def _monthly_pace(months: np.ndarray, churned: np.ndarray, entry: np.ndarray) -> float:
    """Leavers per customer-month seen (after each customer's entry)."""
    exposure = float(np.maximum(months - entry, 0.0).sum())
    return min(float(churned.sum()) / exposure, 1.0) if exposure > 0 else 0.0


def find_tenure_truncation(
    months: np.ndarray, churned: np.ndarray
) -> tuple[np.ndarray, Truncation | None]:
    """Each customer's entry (months) and the truncation, from tenures alone.

    Parameters
    ----------
    months, churned : np.ndarray
        Months as a customer and whether they left, for the usable customers only.

    Returns
    -------
    entry : np.ndarray
        The shortest tenure for every customer when the file is truncated, else zeros.
    truncation : Truncation or None

    Examples
    --------
    >>> months = np.r_[np.full(50, 13.0), np.full(50, 40.0)]
    >>> entry, found = find_tenure_truncation(months, months == 13.0)
    >>> float(entry[0]), found.from_month
    (13.0, 13.0)
    >>> found.reason[:50]
    'No customer in this file is younger than 13 months'
    """
    none = np.zeros(len(months))
    if not len(months):
        return none, None
    shortest = float(months.min())
    if shortest < MIN_TRUNCATION_MONTHS:
        return none, None
    entry = np.full(len(months), shortest)
    pace = _monthly_pace(months, churned, entry)
    # Had they been in the file, this many would have left before the shortest tenure:
    expected = len(months) * ((1.0 - pace) ** -shortest - 1.0) if pace < 1 else np.inf
    if expected < MIN_EXPECTED_MISSING:
        return none, None
    shown = f"{shortest:.0f}" if shortest == round(shortest) else f"{shortest:.1f}"
    reason = (
        f"No customer in this file is younger than {shown} months, so retention before month "
        f"{shown} cannot be measured: customers who left sooner are not in the file."
    )
    return entry, Truncation(shortest, reason, None, float(expected))


def find_date_truncation(
    months: np.ndarray,
    churned: np.ndarray,
    signup: pd.Series,
    end: pd.Series,
) -> tuple[np.ndarray, Truncation | None]:
    """Each customer's entry (months) and the truncation, from signup and end dates.

    The data starts at the first departure on record; a customer who signed up before it
    enters the data then (``entry`` = months from signup to that day), others at signup (0).

    Parameters
    ----------
    months, churned : np.ndarray
        Months as a customer and whether they left, for the usable customers only.
    signup, end : pd.Series
        Their signup dates, and end dates (blank for customers still with you), as datetimes.
    """
    none = np.zeros(len(months))
    ends = end[churned.astype(bool)].dropna()
    if ends.empty or signup.isna().all():
        return none, None
    start = pd.Timestamp(ends.min())
    entry = ((start - signup).dt.days / DAYS_PER_MONTH).to_numpy(float)
    entry = np.clip(np.nan_to_num(entry, nan=0.0), 0.0, months)
    if float(entry.max()) < MIN_TRUNCATION_MONTHS:
        return none, None
    pace = _monthly_pace(months, churned, entry)
    expected = float(entry.sum()) * pace
    if expected < MIN_EXPECTED_MISSING:
        return none, None
    before = int((entry > 0).sum())
    reason = (
        f"The first departure on record is on {start:%Y-%m-%d}, but {before:,} customers "
        f"signed up before it (from {signup.min():%Y-%m-%d}): whoever left before "
        f"{start:%Y-%m-%d} is not in the file, so each customer is counted from that day or "
        "their signup, whichever is later."
    )
    return entry, Truncation(float(entry.min()), reason, start, expected)
