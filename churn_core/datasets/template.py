"""A template customer file and a guide to preparing one: the columns the app looks for, an
example of each role, and what it ignores and why.

The template is small and made up, but shaped like a real export: one row per customer, a
churn label, both kinds of time as a customer (a tenure and signup/churn dates), monthly
revenue, a few features and a personal column the app leaves alone. ``profile_table`` reads
each column as the guide says (a test checks it), so the guide cannot drift from detection.
"""

from __future__ import annotations

import pandas as pd

from churn_core.io import to_csv_bytes

#: The role titles as the Data page shows them (``churn_core.schema.ROLE_TITLES``; this layer
#: sits below schema, and a test checks they agree).
_ID, _LABEL, _TENURE = "Customer id", "Churn label (what we predict)", "Tenure (time as a customer)"
_SIGNUP, _END, _REVENUE = "Signup date", "End / churn date", "Monthly revenue"
_NUMBER, _CATEGORY, _IGNORED = "Number feature", "Category feature", "Ignored"

#: One row per template column: the column, the role the app gives it, and what to know.
_GUIDE: tuple[tuple[str, str, str], ...] = (
    (
        "CustomerID",
        _ID,
        "One value per customer, never repeated (text or numbers). Without one, customers are "
        "named by their row number.",
    ),
    (
        "Churned",
        _LABEL,
        "Whether the customer left, in any spelling: Yes/No, 1/0, True/False, "
        '"Attrited Customer"/"Existing Customer". Needed to train a model; a file of this '
        "month's customers can leave it out to be scored.",
    ),
    (
        "TenureMonths",
        _TENURE,
        "How long they have been (or were) a customer. Say the unit in the name "
        "(TenureMonths, Tenure_years, DaysActive, Months_on_book); without one, whole "
        "numbers up to 15 are read as years.",
    ),
    (
        "SignupDate",
        _SIGNUP,
        "When they joined. With a churn date it can stand in for a tenure. Any common date format.",
    ),
    (
        "ChurnDate",
        _END,
        "When they left; empty for customers still with you.",
    ),
    (
        "MonthlyCharges",
        _REVENUE,
        "What the customer pays a month, as a number (currency symbols and thousands "
        "separators are cleaned). Gives customer value, CLV and revenue at risk.",
    ),
    (
        "Plan",
        _CATEGORY,
        "Anything that describes the customer as words: plan, contract, region, payment method.",
    ),
    (
        "LoginsLast30d",
        _NUMBER,
        "Anything that describes the customer as a number: usage, logins, support tickets, "
        "failed payments. Measured before the customer left, never after.",
    ),
    (
        "Email",
        _IGNORED,
        "Personal data (names, emails, phones) is never learned from; you can still carry it "
        "into the at-risk list.",
    ),
)

#: What the app leaves out on its own, and why (the guide's closing notes).
IGNORED_NOTES: tuple[str, ...] = (
    "Ids, row numbers, and codes or dates written as numbers (such as 20240101): they name "
    "customers, they do not describe them.",
    "Personal data (names, emails, phone numbers) and free text.",
    "Columns with one value for everyone: they cannot tell customers apart.",
    "Columns computed from others (a total that is tenure x monthly charges, a sum of the "
    "services a customer pays for): named with the columns they come from, left out of the "
    "model because they repeat their sources, and never suggested as something to change.",
    "Columns that give the answer away (a cancellation reason, a closing date used as a "
    "feature, another model's score): they would make the model look perfect and fail on new "
    "customers. Each is named with the reason on the Data page.",
)

_ROWS: dict[str, list[object]] = {
    "CustomerID": ["C0001", "C0002", "C0003", "C0004", "C0005", "C0006", "C0007", "C0008"],
    "Churned": ["No", "Yes", "No", "No", "Yes", "No", "Yes", "No"],
    "TenureMonths": [34, 5, 61, 12, 17, 3, 28, 45],
    "SignupDate": [
        "2023-08-01",
        "2025-11-15",
        "2021-05-10",
        "2025-06-01",
        "2024-10-20",
        "2026-03-02",
        "2023-12-12",
        "2022-09-30",
    ],
    "ChurnDate": ["", "2026-04-20", "", "", "2026-03-18", "", "2026-04-09", ""],
    "MonthlyCharges": [39.99, 19.99, 69.99, 39.99, 69.99, 19.99, 39.99, 69.99],
    "Plan": ["Standard", "Basic", "Premium", "Standard", "Premium", "Basic", "Standard", "Premium"],
    "LoginsLast30d": [14, 2, 21, 9, 6, 11, 3, 17],
    "Email": [f"customer{k}@example.com" for k in range(1, 9)],
}


def get_template() -> pd.DataFrame:
    """A small made-up customer file in the shape the app reads best (one row per customer).

    >>> get_template().columns.tolist()[:3]
    ['CustomerID', 'Churned', 'TenureMonths']
    """
    return pd.DataFrame(_ROWS)


def get_template_guide() -> pd.DataFrame:
    """The template's columns, the role the app gives each, an example and what to know:
    columns ``Column``, ``Role``, ``Example``, ``What to know``."""
    template = get_template()
    return pd.DataFrame(
        [
            {
                "Column": column,
                "Role": role,
                "Example": str(template[column].iloc[1]),
                "What to know": note,
            }
            for column, role, note in _GUIDE
        ]
    )


def get_template_csv() -> bytes:
    """The template as CSV bytes to download (UTF-8 with BOM, as every download)."""
    return to_csv_bytes(get_template())
