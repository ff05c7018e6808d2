"""Cox hazard ratios: planted drivers found, plain readings, and the proportional-hazards check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role
from churn_core.survival import hazards as hz
from churn_core.survival.durations import get_survival_data


@pytest.fixture(scope="module")
def sample_hazards(frame: pd.DataFrame) -> hz.Hazards:
    profile = profile_table(frame)
    return hz.fit_hazards(frame, profile, get_survival_data(frame, profile))


def test_the_planted_drivers_of_the_sample_come_out_with_the_right_direction(
    sample_hazards: hz.Hazards,
) -> None:
    ratios = sample_hazards.ratios.set_index(hz.TERM)
    # The sample's log-hazard: Two year -1.4 and One year -0.4 against Month-to-month +0.9.
    assert ratios.loc["Contract = Two year", hz.HAZARD_RATIO] < 0.2
    assert ratios.loc["Contract = One year", hz.UPPER] < 1
    assert ratios.loc["PaymentFailures12m", hz.LOWER] > 1  # +0.45 per failed payment
    assert not ratios.loc[ratios[hz.COLUMN] == "Region", hz.SIGNIFICANT].any()  # a decoy
    assert "TenureMonths" not in set(ratios[hz.COLUMN])  # the time itself is not a driver
    assert (ratios[hz.LOWER] <= ratios[hz.HAZARD_RATIO]).all()
    assert (ratios[hz.HAZARD_RATIO] <= ratios[hz.UPPER]).all()


def test_readings_are_plain_words_with_the_reference_level_and_the_step(
    sample_hazards: hz.Hazards,
) -> None:
    readings = dict(
        zip(sample_hazards.ratios[hz.TERM], sample_hazards.ratios[hz.READING], strict=True)
    )
    assert readings["Contract = Two year"].startswith(
        "Customers with Contract = Month-to-month leave "
    )
    assert readings["Contract = Two year"].endswith("as fast as those with Contract = Two year.")
    assert readings["PaymentFailures12m"].startswith("Each 1 more PaymentFailures12m: customers")
    assert readings["MonthlyCharges"].startswith("Each 10 more MonthlyCharges")
    region = [r for t, r in readings.items() if t.startswith("Region")]
    assert all(r.endswith("Not a clear difference: it could be chance.") for r in region)


def test_the_strongest_effects_come_first(sample_hazards: hz.Hazards) -> None:
    strength = np.abs(np.log(sample_hazards.ratios[hz.HAZARD_RATIO].to_numpy()))
    assert (np.diff(strength) <= 1e-12).all()


def test_effects_that_change_over_the_lifetime_get_a_clear_warning() -> None:
    # Plan A customers leave in their first months; Plan B ones only after two years.
    rng = np.random.default_rng(0)
    n = 600
    plan = np.where(np.arange(n) % 2 == 0, "A", "B")
    months = np.where(plan == "A", rng.uniform(0, 6, n), rng.uniform(24, 36, n))
    left = rng.random(n) < 0.7
    months = np.where(left, months, rng.uniform(0, 36, n))
    frame = pd.DataFrame(
        {"Tenure": np.round(months, 1), "Churn": np.where(left, "Yes", "No"), "Plan": plan}
    )
    profile = profile_table(frame, roles={"Tenure": Role.TENURE, "Plan": Role.CATEGORICAL})
    result = hz.fit_hazards(frame, profile, get_survival_data(frame, profile))
    assert result.failed_ph == ["Plan"]
    warning = result.warnings[0]
    assert warning.code == "ph_check_failed"
    assert warning.message.startswith("The effect of Plan changes over a customer's lifetime")


def test_nobody_left_gives_no_ratios_and_says_why() -> None:
    frame = pd.DataFrame({"Tenure": [1, 2, 3, 4], "Churn": ["No"] * 4, "Plan": list("abab")})
    profile = profile_table(frame, roles={"Tenure": Role.TENURE})
    result = hz.fit_hazards(frame, profile, get_survival_data(frame, profile))
    assert result.ratios.empty
    assert "fewer than 2 customers left" in result.warnings[0].message


def test_a_derived_column_is_never_read_as_a_hazard_ratio_even_when_kept() -> None:
    from churn_core.io import read_table
    from tests.churn_core.public_like import telecom_path

    frame = read_table(telecom_path()).frame
    profile = profile_table(frame, roles={"TotalCharges": Role.NUMERIC})
    assert "TotalCharges" in profile.feature_columns  # kept in the churn model by the user
    found = hz.fit_hazards(frame, profile, get_survival_data(frame, profile))
    columns = set(found.ratios[hz.COLUMN])
    assert "Contract" in columns
    assert not {"TotalCharges", "MonthlyCharges"} & columns  # "2000 more TotalCharges" is circular


def test_the_main_reading_of_the_samples_drivers_is_plain_words(
    sample_hazards: hz.Hazards,
) -> None:
    text = hz.describe_hazards(sample_hazards)
    clear = sample_hazards.ratios[sample_hazards.ratios[hz.SIGNIFICANT]]
    assert text.startswith("The clearest differences in how fast customers leave: ")
    assert clear[hz.READING].iloc[0] in text  # the strongest first
    assert "hazard" not in text.lower() and "ratio" not in text.lower()
    assert not sample_hazards.ratios[hz.READING].str.contains("hazard", case=False).any()
    assert {hz.HAZARD_RATIO, hz.LOWER, hz.UPPER, hz.P_VALUE} <= set(sample_hazards.ratios)


def test_with_no_clear_difference_the_reading_says_it_could_be_chance() -> None:
    unclear = hz.Hazards(
        pd.DataFrame({hz.TERM: ["x"], hz.READING: ["Each 1 more x: ..."], hz.SIGNIFICANT: [False]})
    )
    assert hz.describe_hazards(unclear).startswith("No column makes a clear difference")
    assert hz.describe_hazards(hz.Hazards(hz._empty())).startswith("How fast customers leave")


def test_a_yes_no_number_is_read_as_two_groups_not_per_one_more(
    bank_with_churn: tuple[pd.DataFrame, pd.Series],
) -> None:
    frame, _ = bank_with_churn
    profile = profile_table(frame)
    found = hz.fit_hazards(frame, profile, get_survival_data(frame, profile))
    readings = dict(zip(found.ratios[hz.TERM], found.ratios[hz.READING], strict=True))
    active = readings["IsActiveMember"]
    # the bank's inactive members leave faster: read the other way round, both groups named
    assert active.startswith("Customers with IsActiveMember = 0 (no) leave ")
    assert active.endswith("as fast as those with IsActiveMember = 1 (yes).")
    assert not [r for r in readings.values() if "more IsActiveMember" in r or "more HasCrCard" in r]
    assert readings["Age"].startswith("Each 10 more Age: customers leave ")  # a number still steps
