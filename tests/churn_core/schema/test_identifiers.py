"""One row per customer or a clear refusal; ids, codes and dates kept as numbers are named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from churn_core.errors import ChurnDataError
from churn_core.io.reading import read_table
from churn_core.schema.identifiers import (
    check_one_row_per_customer,
    find_non_measure,
    find_repeated_ids,
)
from churn_core.schema.profile import profile_table
from tests.churn_core.card_issuer import make_card_issuer_customers

RNG = np.random.default_rng(5)


@pytest.mark.parametrize(
    ("name", "values", "starts"),
    [
        ("CustomerID", RNG.integers(1, 10**6, 50), "an identifier (by its name)"),
        ("CLIENTNUM", RNG.integers(7 * 10**8, 8 * 10**8, 50), "an identifier (by its name)"),
        ("StoreCode", RNG.integers(1, 40, 50), "a code or reference (by its name)"),
        ("InvoiceNo", RNG.integers(536000, 581000, 50), "a code or reference (by its name)"),
        (
            "FirstPurchase",
            np.full(50, 19970101) + RNG.integers(0, 28, 50),
            "a date written as a number (YYYYMMDD",
        ),
        (
            "SignupMonth",
            np.full(50, 202301) + RNG.integers(0, 12, 50),
            "a date written as a number (YYYYMM",
        ),
        ("created_ts", RNG.integers(1_600_000_000, 1_700_000_000, 50), "a date or time written"),
        (
            "Account",
            np.arange(15_634_602, 15_634_652),
            "a different large whole number for almost every row",
        ),
    ],
)
def test_ids_codes_and_dates_kept_as_numbers_are_named(
    name: str, values: np.ndarray, starts: str
) -> None:
    reason = find_non_measure(name, pd.Series(values))
    assert reason is not None and reason.startswith(starts)


def test_no_measurement_of_the_sample_the_bank_or_the_card_issuer_is_called_an_id(
    frame: pd.DataFrame, shared_data: Path
) -> None:
    bank = read_table(shared_data / "bank_churn" / "Churn_Modelling.csv").frame
    cards = make_card_issuer_customers(rows=2000, seed=3)
    for table, ids in ((frame, {"CustomerID"}), (bank, {"CustomerId"}), (cards, {"CLIENTNUM"})):
        flagged = {c for c in table.columns if find_non_measure(c, table[c])}
        assert flagged == ids


def test_a_purchase_log_is_refused_as_a_log_with_the_roll_up_as_the_fix(shared_data: Path) -> None:
    lines = read_table(shared_data / "online_retail_france" / "france.csv").frame
    with pytest.raises(ChurnDataError) as caught:
        check_one_row_per_customer(lines, profile_table(lines), "Segments need")
    problem = caught.value.problems[0]
    assert problem.code == "repeated_ids" and problem.column == "CustomerID"
    assert problem.message.startswith(
        "Segments need one row per customer, but CustomerID repeats: 8,491 rows hold only 87 "
        "customers: this looks like a log of purchases or events"
    )
    assert problem.message.endswith('(e.g. "12583" on rows 2, 3 and 4).')
    assert problem.fix.startswith("Roll the log up to one row per CustomerID")


def test_a_few_repeated_customers_are_refused_with_remove_the_repeats() -> None:
    ids = pd.Series(["A", "B", "C", "B", "D", "E", None, None])
    problem = find_repeated_ids(ids, "Account", "The at-risk list needs")
    assert problem is not None and problem.rows == (3, 5)
    assert problem.message == (
        "The at-risk list needs one row per customer, but Account repeats: 1 customer appears on "
        'more than one row (e.g. "B" on rows 3 and 5).'
    )
    assert problem.fix == "Remove the repeated rows so each Account appears once, then try again."
    assert find_repeated_ids(pd.Series(["A", "B", None, None]), "Account", "x") is None
