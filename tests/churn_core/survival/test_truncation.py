"""Left truncation: found on a card issuer's file (nobody younger than 13 months) and on signups
before the first departure, handled by delayed entry exactly as lifelines does it, and never
found on the sample or the bank file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter

from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role
from churn_core.survival import kaplan_meier as sv
from churn_core.survival.durations import DurationSource, SurvivalData, get_survival_data
from churn_core.survival.hazards import fit_hazards
from churn_core.survival.truncation import find_tenure_truncation
from tests.churn_core.card_issuer import make_card_issuer_customers

AS_OF = date(2024, 12, 31)


@pytest.fixture(scope="module")
def cards() -> pd.DataFrame:
    return make_card_issuer_customers(rows=3000, seed=1)


@pytest.fixture(scope="module")
def card_data(cards: pd.DataFrame) -> SurvivalData:
    return get_survival_data(cards, profile_table(cards))


def _dated_customers() -> pd.DataFrame:
    """Signups from 2015 on, but no departure on record before 2021: early leavers are missing."""
    rng = np.random.default_rng(3)
    n = 600
    signup = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 9 * 365, n), "D")
    life = pd.to_timedelta(rng.exponential(900, n).astype(int), "D")
    end = signup + life
    start, as_of = pd.Timestamp("2021-01-01"), pd.Timestamp(AS_OF)
    seen = end >= start  # those who left before 2021 are not in the export
    left = end <= as_of
    return pd.DataFrame(
        {
            "SignupDate": signup[seen],
            "ChurnDate": end.where(left)[seen],
            "Churned": np.where(left, "Yes", "No")[seen],
            "Plan": rng.choice(["Basic", "Pro"], n)[seen],
        }
    ).reset_index(drop=True)


def test_a_card_issuer_file_where_nobody_is_younger_than_13_months_is_truncated(
    card_data: SurvivalData,
) -> None:
    assert card_data.source == DurationSource("Months_on_book", "months")
    found = card_data.truncation
    assert found is not None and found.from_month == 13.0
    assert found.reason.startswith(
        "No customer in this file is younger than 13 months, so retention before month 13 "
        "cannot be measured"
    )
    assert found.expected_missing > 100  # at the file's own pace, hundreds would have left
    assert card_data.measured_from == 13.0
    np.testing.assert_array_equal(card_data.entries, np.full(card_data.customers, 13.0))
    assert [w.code for w in card_data.warnings] == ["left_truncated"]


def test_the_sample_and_the_bank_file_are_not_truncated(
    frame: pd.DataFrame, shared_data: Path
) -> None:
    sample = get_survival_data(frame, profile_table(frame))
    bank = pd.read_csv(shared_data / "bank_churn" / "Churn_Modelling.csv")
    bank_data = get_survival_data(bank, profile_table(bank))
    for data in (sample, bank_data):
        assert data.truncation is None and data.measured_from == 0.0
        assert not data.entries.any()
        assert "left_truncated" not in {w.code for w in data.warnings}


def test_a_young_business_or_a_small_file_is_not_called_truncated() -> None:
    young = np.array([2.0, 3, 5, 8, 9] * 40)  # shortest tenure 2 months: too short to say
    assert find_tenure_truncation(young, young < 4)[1] is None
    small = np.array([5.0, 9, 12, 20, 30, 31, 40, 44])  # 2 leavers: about 1 would be missing
    assert find_tenure_truncation(small, small < 10)[1] is None


def test_the_delayed_entry_curve_matches_the_product_limit_by_hand() -> None:
    months = np.array([13.0, 13, 14, 15, 20, 20, 25])
    left = np.array([True, False, True, False, True, False, True])
    data = SurvivalData(
        months, left, np.ones(7, bool), DurationSource("Tenure"), AS_OF, [], np.full(7, 13.0)
    )
    curve = sv.fit_kaplan_meier(data).overall().set_index(sv.MONTH)
    assert curve.index.min() == 13  # nothing is drawn before the data sees anyone
    by_hand = {13: 6 / 7, 14: 6 / 7 * 4 / 5, 19: 6 / 7 * 4 / 5, 20: 6 / 7 * 4 / 5 * 2 / 3, 25: 0.0}
    for month, expected in by_hand.items():
        assert curve.loc[month, sv.RETENTION] == pytest.approx(expected)
    assert curve.loc[[13, 14, 15, 16, 20, 25], sv.AT_RISK].tolist() == [7, 5, 4, 3, 3, 1]


def test_the_delayed_entry_curve_equals_lifelines_with_entry_on_dated_customers() -> None:
    customers = _dated_customers()
    roles = {"SignupDate": Role.SIGNUP_DATE, "ChurnDate": Role.END_DATE, "Churned": Role.LABEL}
    data = get_survival_data(customers, profile_table(customers, roles=roles), as_of=AS_OF)
    found = data.truncation
    assert found is not None and found.data_start == customers["ChurnDate"].min()
    assert "signed up before it" in found.reason and data.measured_from == 0.0
    entry = data.entries
    expected_entry = (found.data_start - customers["SignupDate"]).dt.days.clip(lower=0) / 30.4375
    np.testing.assert_allclose(entry, expected_entry.to_numpy()[data.usable])
    curve = sv.fit_kaplan_meier(data).overall()
    grid = curve[sv.MONTH].to_numpy(float)
    reference = KaplanMeierFitter().fit(data.durations, data.events, entry=entry, timeline=grid)
    np.testing.assert_allclose(
        curve[sv.RETENTION], reference.survival_function_.iloc[:, 0], rtol=1e-9
    )
    in_view = (entry[:, None] <= grid) & (data.durations[:, None] >= grid)
    np.testing.assert_array_equal(curve[sv.AT_RISK], in_view.sum(axis=0))
    ignored = KaplanMeierFitter().fit(data.durations, data.events, timeline=grid)
    assert ignored.predict(24.0) > reference.predict(24.0) + 0.03  # ignoring it flatters retention
    stored = sv.fit_retention_curve(data)
    kept = np.asarray(stored.survival)[curve[sv.MONTH].to_numpy()]
    np.testing.assert_allclose(kept, curve[sv.RETENTION], atol=1e-6)


def test_cohorts_are_blank_for_months_the_data_never_saw() -> None:
    customers = _dated_customers()
    roles = {"SignupDate": Role.SIGNUP_DATE, "ChurnDate": Role.END_DATE, "Churned": Role.LABEL}
    data = get_survival_data(customers, profile_table(customers, roles=roles), as_of=AS_OF)
    table = sv.get_cohort_retention(customers["SignupDate"], data, max_cohorts=200)
    early = table.loc[table.index < "2018-01"]
    assert early.empty or early[0].isna().all()  # their first months were before the data


def test_retention_curve_stores_where_it_is_measured_from(card_data: SurvivalData) -> None:
    curve = sv.fit_retention_curve(card_data)
    assert curve.measured_from == 13.0
    assert sv.RetentionCurve.from_dict(curve.to_dict()).to_dict() == curve.to_dict()
    assert curve.survival[12] == 1.0 and curve.survival[24] < 1.0
    older = {k: v for k, v in curve.to_dict().items() if k != "measured_from"}  # older cards
    assert sv.RetentionCurve.from_dict(older).measured_from == 0.0


def test_hazards_fit_with_delayed_entry_equal_lifelines_entry_col(
    cards: pd.DataFrame, card_data: SurvivalData
) -> None:
    profile = profile_table(cards)
    hazards = fit_hazards(cards, profile, card_data)
    assert not hazards.ratios.empty
    row = hazards.ratios.set_index("term").loc["Contacts_Count_12_mon"]
    design = pd.DataFrame(
        {
            "x": cards["Contacts_Count_12_mon"].to_numpy(float),
            "T": card_data.durations,
            "E": card_data.events.astype(float),
            "entry": card_data.entries * (1 - 1e-6),
        }
    )
    alone = CoxPHFitter(penalizer=0.01).fit(design, "T", "E", entry_col="entry")
    assert alone.hazard_ratios_["x"] > 1 and row["hazard_ratio"] > 1  # more contacts, sooner
