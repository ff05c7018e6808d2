"""Which column gives the durations, in what unit and why; which columns a tenure picker offers."""

from __future__ import annotations

import pandas as pd

from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role
from churn_core.survival.sources import find_duration_source, get_tenure_candidates
from tests.churn_core.card_issuer import make_card_issuer_customers


def test_a_tenure_whose_name_says_months_is_read_as_months_with_no_caveat() -> None:
    frame = pd.DataFrame({"Months_on_book": [13, 14, 15], "Churn": ["Yes", "No", "No"]})
    source = find_duration_source(frame, profile_table(frame))
    assert (source.tenure_unit, source.unit_reason) == ("months", "")
    assert source.describe() == "Months_on_book (read as months)"
    unnamed = pd.DataFrame({"Tenure": [1, 24, 72], "Churn": ["Yes", "No", "No"]})
    assert find_duration_source(unnamed, profile_table(unnamed)).describe() == (
        "Tenure (read as months: its name does not say)"
    )


def test_the_tenure_picker_offers_months_on_book_first_and_never_a_leak_id_or_label() -> None:
    cards = make_card_issuer_customers(rows=2000, seed=2)
    profile = profile_table(cards, roles={"Months_on_book": Role.NUMERIC})  # as if not found
    candidates = get_tenure_candidates(cards, profile)
    assert candidates[0] == "Months_on_book"
    leaks = {c for c in cards.columns if c.startswith("Naive_Bayes")}
    assert not set(candidates) & {*leaks, "CLIENTNUM", "Attrition_Flag", "Gender"}
    assert "Months_Inactive_12_mon" in candidates  # offered, but after the real tenure
