"""Every output column name, in one place: the frames the engine returns and the files it writes.

Engine code, pages and exports refer to these constants, never to the bare strings, so a rename
happens here once. Names are grouped by the frame they head; a name two frames share (``clv``,
``lower``) is defined once and used by both.
"""

from __future__ import annotations

# --- The at-risk list (docs/architecture.md, "The at-risk list"): one row per customer, after
# --- the user's own id column.
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

#: The at-risk list's columns in order (after the user's id column).
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
#: The list's reason columns, strongest first.
REASON_COLUMNS: tuple[str, ...] = (TOP_REASON_1, TOP_REASON_2, TOP_REASON_3)

#: The id column used when a file has none: the customer's spreadsheet row number.
ROW_NUMBER_ID = "row"

#: Headers people read, for the list handed over as a workbook (the CSV keeps the names above).
DISPLAY_NAMES: dict[str, str] = {
    ROW_NUMBER_ID: "Row in your file",
    RANK: "Rank",
    CHURN_PROBABILITY: "Churn probability",
    RISK_BAND: "Risk band",
    EXPECTED_VALUE_AT_RISK: "Expected value at risk",
    CUSTOMER_VALUE: "Customer value",
    SEGMENT: "Segment",
    TOP_REASON_1: "Reason 1",
    TOP_REASON_2: "Reason 2",
    TOP_REASON_3: "Reason 3",
    RECOMMENDED_ACTION: "Recommended action",
}

# Risk band values, highest first.
HIGH = "High"
MEDIUM = "Medium"
LOW = "Low"
#: Every risk band, highest first (also their display order).
RISK_BANDS: tuple[str, ...] = (HIGH, MEDIUM, LOW)

# --- What each current customer is worth (Retention & CLV), after the id column.
TENURE_MONTHS = "tenure_months"
MONTHLY_REVENUE = "monthly_revenue"
EXPECTED_MONTHS = "expected_months"
CLV = "clv"

# --- Buy till you die (BG/NBD + Gamma-Gamma on a purchase log): one row per customer, after the
# --- user's own id column; times in weeks, up to the calibration end.
#: Repeat purchases: distinct purchase days after the first one.
FREQUENCY = "frequency"
#: Weeks from the first to the last purchase day.
RECENCY_WEEKS = "recency_weeks"
#: Weeks from the first purchase day to the calibration end (the customer's "age", T).
AGE_WEEKS = "age_weeks"
#: Repeat purchase days with a positive spend, and their average spend (the spend model's input).
SPEND_PURCHASES = "spend_purchases"
MONETARY_VALUE = "monetary_value"
#: Everything spent up to the calibration end, first purchase included.
TOTAL_SPEND = "total_spend"
FIRST_PURCHASE = "first_purchase"
LAST_PURCHASE = "last_purchase"
#: Purchase days after the calibration end, up to the holdout end.
HOLDOUT_PURCHASES = "holdout_purchases"
#: Chance the customer still buys from us at the calibration end.
P_ALIVE = "p_alive"
EXPECTED_PURCHASES_90D = "expected_purchases_90d"
EXPECTED_DAYS_TO_NEXT_PURCHASE = "expected_days_to_next_purchase"
#: Expected spend per future purchase.
EXPECTED_SPEND = "expected_spend"
# Holdout checks: by number of calibration purchases, and cumulatively week by week.
ACTUAL = "actual"
PREDICTED = "predicted"
WEEK = "week"
DATE = "date"
# --- Segments: one summary row per segment.
CUSTOMERS = "customers"
SHARE = "share"
#: Share of a group's customers whose label says they left (observed, not predicted).
CHURN_RATE = "churn_rate"
#: The model's average churn probability over a group's customers.
PREDICTED_RISK = "predicted_risk"
TENURE = "tenure"
PLAY = "play"
# Choosing the number of segments: one row per k tried.
K = "k"
WITHIN_SHARE = "within_share"
SILHOUETTE = "silhouette"

# --- Retention curves (Kaplan-Meier): one row per group and month.
GROUP = "group"
MONTH = "month"
RETENTION = "retention"
LOWER = "lower"
UPPER = "upper"
AT_RISK = "at_risk"

# --- Hazard ratios (Cox): one row per term.
TERM = "term"
COLUMN = "column"
HAZARD_RATIO = "hazard_ratio"
P_VALUE = "p"
READING = "reading"
SIGNIFICANT = "significant"

# --- Explore: churn rate by value or bin, histograms, blanks.
VALUE = "value"
CHURNED = "churned"
CI_LOW = "ci_low"
CI_HIGH = "ci_high"
BIN_LOW = "bin_low"
BIN_HIGH = "bin_high"
LABEL = "label"
CHURNED_COUNT = "churned_count"
STAYED_COUNT = "stayed_count"
MISSING = "missing"
MISSING_PCT = "missing_pct"
RATE_COLUMNS = [VALUE, CUSTOMERS, CHURNED, CHURN_RATE, CI_LOW, CI_HIGH]
BIN_RATE_COLUMNS = [*RATE_COLUMNS, BIN_LOW, BIN_HIGH]
HISTOGRAM_COLUMNS = [BIN_LOW, BIN_HIGH, LABEL, CUSTOMERS]
MISSING_COLUMNS = [COLUMN, MISSING, MISSING_PCT]

# --- A log rolled up to one row per customer at a cutoff (churn_core.logs.rollup), after the
# --- user's own customer id column. Names a business user reads; only what is before the cutoff.
FIRST_ACTIVITY = "First activity"
LAST_ACTIVITY = "Last activity"
DAYS_SINCE_LAST_ACTIVITY = "Days since last activity"
DAYS_SINCE_FIRST_ACTIVITY = "Days since first activity"
ACTIVE_DAYS = "Active days"
ACTIVE_DAYS_LAST_30 = "Active days, last 30 days"
ACTIVE_DAYS_LAST_90 = "Active days, last 90 days"
ACTIVITY_CHANGE_30 = "Activity change, last 30 days (%)"
ACTIVITY_CHANGE_90 = "Activity change, last 90 days (%)"
AVERAGE_GAP_DAYS = "Average days between active days"
LAST_GAP_DAYS = "Days between last two active days"
EVENTS = "Events"
SESSIONS = "Sessions"
ORDERS = "Orders"
SPEND_TOTAL = "Total spend"
AVERAGE_ORDER_VALUE = "Average order value"
SPEND_LAST_90 = "Spend, last 90 days"
AVERAGE_MONTHLY_SPEND = "Average monthly spend"
ITEMS_BOUGHT = "Items bought"
DIFFERENT_PRODUCTS = "Different products"
CANCELLATIONS = "Cancellations"
CANCELLED_AMOUNT = "Cancelled amount"
#: How often each main event type happened: ``"Support complaint events"``.
EVENT_COUNT = "{} events"
#: The plan (or another per-customer detail) on the customer's last row: ``"Latest Plan"``.
LATEST = "Latest {}"
# The label and bookkeeping of a roll-up used for training (churn_core.logs.training).
#: "Yes" when the customer had no activity in the window after the cutoff (or a trigger event).
CHURNED_IN_WINDOW = "Churned"
CUTOFF = "Cutoff"
# A lifetime as the Retention page reads a log: first activity to last (lapsed) or to as-of.
LIFETIME_DAYS = "Days as customer"
LAPSED_LABEL = "Lapsed"

# --- The at-risk list of a log (churn_core.logs.scoring): after the list's own columns.
#: "Yes" for customers already past the churn window: a win-back list, not a save list.
LAPSED = "lapsed"
#: The day of the customer's last activity.
LAST_ACTIVE = "last_activity"

# --- Churn definition sensitivity (churn_core.logs.sensitivity): one row per window.
WINDOW_DAYS = "window_days"
TRAINING_CUTOFFS = "training_cutoffs"
TESTED_CUSTOMERS = "tested_customers"
MODEL_ROC_AUC = "model_roc_auc"
BASELINE_ROC_AUC = "baseline_roc_auc"
BASELINE_RULE = "baseline_rule"
#: BG/NBD's 1 - P(alive) on the same held-out customers (blank when it cannot be fitted).
P_ALIVE_ROC_AUC = "p_alive_roc_auc"
#: BG/NBD's chance of no activity in the window, on the same customers.
NO_ACTIVITY_ROC_AUC = "no_activity_roc_auc"
NOTE = "note"

# --- Activity over time (churn_core.logs.summaries): one row per week or month.
PERIOD = "period"
ACTIVE_CUSTOMERS = "active_customers"
NEW_CUSTOMERS = "new_customers"
ROWS = "rows"
SPEND = "spend"


# --- Monitoring: drift, one row per compared column (after COLUMN).
KIND = "kind"
MEASURE = "measure"
THRESHOLD = "threshold"
DRIFTED = "drifted"
#: How much the model relies on a column: its mean absolute contribution, in points.
IMPORTANCE = "importance"
#: How much a column's change moved the average predicted churn, in points.
EFFECT_POINTS = "effect_points"
SENTENCE = "sentence"
DRIFT_COLUMNS = [
    COLUMN,
    KIND,
    MEASURE,
    VALUE,
    THRESHOLD,
    DRIFTED,
    IMPORTANCE,
    EFFECT_POINTS,
    SENTENCE,
]
# Movers since the previous list, one row per customer (after the id column).
MOVEMENT = "movement"
PREVIOUS_PROBABILITY = "previous_probability"
PREVIOUS_BAND = "previous_band"
CHANGE_POINTS = "change_points"
REASON = "reason"
MOVER_COLUMNS = [
    MOVEMENT,
    PREVIOUS_PROBABILITY,
    CHURN_PROBABILITY,
    CHANGE_POINTS,
    PREVIOUS_BAND,
    RISK_BAND,
    REASON,
]
# What happened to a delivered list: one row per band or segment.
EXPECTED_CHURNERS = "expected_churners"
ACTUAL_CHURNERS = "actual_churners"
LIFT = "lift"
TRACK_COLUMNS = [GROUP, CUSTOMERS, EXPECTED_CHURNERS, ACTUAL_CHURNERS, CHURN_RATE, LIFT]
