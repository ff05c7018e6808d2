"""A hand-made card issuer's customer file with the structure of the public "BankChurners" file.

The real file (a card issuer's 10,127 customers, Kaggle's "Credit Card customers") ships in no
package this project can install, so this generator makes a faithful stand-in: the same column
names, value ranges and quirks. The quirks are what the tests need:

- ``Months_on_book`` runs from 13 to 56 with a spike at 36: nobody in the file is younger than
  13 months (customers who left before then are not in it: left truncation);
- ``Attrition_Flag`` says ``"Attrited Customer"`` / ``"Existing Customer"`` (about 16 % left);
- ``CLIENTNUM`` is a nine-digit id; two ``Naive_Bayes_Classifier_*`` columns are another model's
  output and leak the label;
- ``Avg_Open_To_Buy`` is ``Credit_Limit - Total_Revolving_Bal`` and ``Avg_Utilization_Ratio``
  is their ratio (derived columns).

Who leaves follows the real file's strongest signals: few transactions, few products held, many
inactive months and many contacts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

NAIVE_BAYES = (
    "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_Dependent_count_"
    "Education_Level_Months_Inactive_12_mon_"
)
ATTRITED, EXISTING = "Attrited Customer", "Existing Customer"


def _choice(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(shares.values()))
    return rng.choice(list(shares), size=n, p=p / p.sum())


def make_card_issuer_customers(rows: int = 10_127, seed: int = 0) -> pd.DataFrame:
    """Card holders with the public BankChurners file's columns, ranges and quirks."""
    rng = np.random.default_rng(seed)
    age = np.clip(np.round(rng.normal(46.3, 8.0, rows)), 26, 73)
    months = np.clip(np.round(36 + 0.79 * (age - 46.3) + rng.normal(0, 5, rows)), 13, 56)
    months[rng.random(rows) < 0.2] = 36  # the real file's spike
    relationships = rng.integers(1, 7, rows)
    inactive = np.clip(np.round(rng.gamma(4.0, 0.58, rows)), 0, 6)
    contacts = np.clip(np.round(rng.normal(2.45, 1.1, rows)), 0, 6)
    limit = np.round(np.clip(np.exp(rng.normal(8.7, 0.85, rows)), 1438.3, 34516.0), 1)
    revolving = np.round(np.clip(rng.normal(1160, 815, rows), 0, 2517)).astype(float)
    revolving[rng.random(rows) < 0.24] = 0.0
    revolving = np.minimum(revolving, limit)
    count = np.clip(np.round(rng.normal(65, 23, rows)), 10, 139)
    amount = np.round(np.clip(count * rng.normal(62, 12, rows), 510, 18484))
    count_change = np.round(np.clip(rng.normal(0.71, 0.24, rows), 0, 3.7), 3)
    amount_change = np.round(np.clip(rng.normal(0.76, 0.22, rows), 0, 3.4), 3)
    score = (
        -3.1
        - 0.055 * (count - 65)
        - 0.45 * (relationships - 3.8)
        + 0.45 * (inactive - 2.3)
        + 0.5 * (contacts - 2.45)
        - 0.0012 * (revolving - 1160)
        - 2.0 * (count_change - 0.71)
    )
    left = rng.random(rows) < expit(score)
    naive = np.where(left, rng.uniform(0.9958, 0.99958, rows), rng.uniform(8e-6, 4.2e-4, rows))
    ids = rng.choice(np.arange(708_082_083, 828_343_083), size=rows, replace=False)
    return pd.DataFrame(
        {
            "CLIENTNUM": ids,
            "Attrition_Flag": np.where(left, ATTRITED, EXISTING),
            "Customer_Age": age.astype(int),
            "Gender": _choice(rng, {"F": 0.529, "M": 0.471}, rows),
            "Dependent_count": rng.integers(0, 6, rows),
            "Education_Level": _choice(
                rng,
                {
                    "Graduate": 0.309,
                    "High School": 0.199,
                    "Unknown": 0.15,
                    "Uneducated": 0.147,
                    "College": 0.1,
                    "Post-Graduate": 0.051,
                    "Doctorate": 0.045,
                },
                rows,
            ),
            "Marital_Status": _choice(
                rng, {"Married": 0.463, "Single": 0.389, "Unknown": 0.074, "Divorced": 0.074}, rows
            ),
            "Income_Category": _choice(
                rng,
                {
                    "Less than $40K": 0.352,
                    "$40K - $60K": 0.177,
                    "$80K - $120K": 0.152,
                    "$60K - $80K": 0.138,
                    "Unknown": 0.11,
                    "$120K +": 0.072,
                },
                rows,
            ),
            "Card_Category": _choice(
                rng, {"Blue": 0.932, "Silver": 0.055, "Gold": 0.011, "Platinum": 0.002}, rows
            ),
            "Months_on_book": months.astype(int),
            "Total_Relationship_Count": relationships,
            "Months_Inactive_12_mon": inactive.astype(int),
            "Contacts_Count_12_mon": contacts.astype(int),
            "Credit_Limit": limit,
            "Total_Revolving_Bal": revolving.astype(int),
            "Avg_Open_To_Buy": np.round(limit - revolving, 1),
            "Total_Amt_Chng_Q4_Q1": amount_change,
            "Total_Trans_Amt": amount.astype(int),
            "Total_Trans_Ct": count.astype(int),
            "Total_Ct_Chng_Q4_Q1": count_change,
            "Avg_Utilization_Ratio": np.round(revolving / limit, 3),
            NAIVE_BAYES + "1": naive,
            NAIVE_BAYES + "2": 1 - naive,
        }
    )
