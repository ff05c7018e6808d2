"""Output column names and values, in one place (DESIGN.md section 7, "The at-risk list").

Engine code, pages and exports refer to these constants, never to the bare strings, so a rename
happens here once.
"""

from __future__ import annotations

# The at-risk list: one row per customer, after the user's own id column.
#: Position in the list, 1 = most expected value at risk.
RANK = "rank"
#: Calibrated probability of churning, in [0, 1].
CHURN_PROBABILITY = "churn_probability"
#: High / Medium / Low by the chosen threshold policy.
RISK_BAND = "risk_band"
#: churn_probability x customer_value, the money the list is ranked by.
EXPECTED_VALUE_AT_RISK = "expected_value_at_risk"
#: What keeping this customer is worth.
CUSTOMER_VALUE = "customer_value"
#: The customer's segment name.
SEGMENT = "segment"
#: The three strongest reasons, e.g. "Contract is Month-to-month (+12 pts)".
TOP_REASON_1 = "top_reason_1"
TOP_REASON_2 = "top_reason_2"
TOP_REASON_3 = "top_reason_3"
#: What to do about this customer.
RECOMMENDED_ACTION = "recommended_action"

#: The at-risk list's columns in DESIGN.md order (after the user's id column).
AT_RISK_COLUMNS: tuple[str, ...] = (
    RANK,
    CHURN_PROBABILITY,
    RISK_BAND,
    EXPECTED_VALUE_AT_RISK,
    CUSTOMER_VALUE,
    SEGMENT,
    TOP_REASON_1,
    TOP_REASON_2,
    TOP_REASON_3,
    RECOMMENDED_ACTION,
)

# Identifiers.
#: The id column used when a file has none: the customer's spreadsheet row number.
ROW_NUMBER_ID = "row"

# Risk band values, highest first.
HIGH = "High"
MEDIUM = "Medium"
LOW = "Low"
#: Every risk band, highest first (also their display order).
RISK_BANDS: tuple[str, ...] = (HIGH, MEDIUM, LOW)
