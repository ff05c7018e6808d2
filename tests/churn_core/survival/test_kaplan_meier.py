"""Retention curves against lifelines and by hand; KPIs read off the curve; curves never rise."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_waltons
from lifelines.statistics import logrank_test

from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role
from churn_core.survival import kaplan_meier as sv
from churn_core.survival.durations import DurationSource, SurvivalData, get_survival_data


def _survival(months: list[float], left: list[bool]) -> SurvivalData:
    n = len(months)
    return SurvivalData(
        np.asarray(months, float),
        np.asarray(left, bool),
        np.ones(n, bool),
        DurationSource("Tenure"),
        date(2024, 12, 31),
    )


@pytest.fixture(scope="module")
def waltons() -> tuple[pd.DataFrame, SurvivalData]:
    """lifelines' Waltons flies as a customer table: T as tenure, E as churned."""
    raw = load_waltons()
    frame = pd.DataFrame(
        {"Tenure": raw["T"], "Churn": np.where(raw["E"] == 1, "Yes", "No"), "Group": raw["group"]}
    )
    roles = {"Tenure": Role.TENURE, "Churn": Role.LABEL, "Group": Role.CATEGORICAL}
    return frame, get_survival_data(frame, profile_table(frame, roles=roles))


@pytest.fixture(scope="module")
def sample_data(frame: pd.DataFrame) -> SurvivalData:
    return get_survival_data(frame, profile_table(frame))


def test_the_retention_curve_equals_lifelines_kaplan_meier_on_the_waltons_data(
    waltons: tuple[pd.DataFrame, SurvivalData],
) -> None:
    frame, data = waltons
    km = sv.fit_kaplan_meier(data)
    curve = km.overall()
    reference = KaplanMeierFitter().fit(frame["Tenure"], frame["Tenure"].notna() & data.churned)
    expected = reference.predict(curve[sv.MONTH].to_numpy(float), interpolate=False)
    np.testing.assert_allclose(curve[sv.RETENTION], expected.to_numpy(), rtol=1e-12)
    band = reference.confidence_interval_survival_function_
    at = band.index.searchsorted(curve[sv.MONTH].to_numpy(float), side="right") - 1
    np.testing.assert_allclose(curve[sv.LOWER], band.iloc[at, 0], rtol=1e-9)
    np.testing.assert_allclose(curve[sv.UPPER], band.iloc[at, 1], rtol=1e-9)


def test_each_groups_curve_and_the_logrank_p_value_equal_lifelines(
    waltons: tuple[pd.DataFrame, SurvivalData],
) -> None:
    frame, data = waltons
    km = sv.fit_kaplan_meier(data, frame["Group"])
    assert km.sizes == {"miR-137": 34, "control": 129}
    for name, rows in frame.groupby("Group"):
        mine = km.curves[km.curves[sv.GROUP] == name]
        ref = KaplanMeierFitter().fit(rows["Tenure"], rows["Churn"] == "Yes")
        expected = ref.predict(mine[sv.MONTH].to_numpy(float), interpolate=False)
        np.testing.assert_allclose(mine[sv.RETENTION], expected.to_numpy(), rtol=1e-12)
    a, b = frame[frame["Group"] == "control"], frame[frame["Group"] == "miR-137"]
    ref_p = logrank_test(a["Tenure"], b["Tenure"], a["Churn"] == "Yes", b["Churn"] == "Yes")
    assert km.logrank_p == pytest.approx(ref_p.p_value)
    assert "more than chance would explain (log-rank test, p < 0.001)" in sv.describe_logrank(km)


def test_a_small_curve_matches_the_kaplan_meier_product_by_hand() -> None:
    # Months 1, 2, 2+, 3, 4+ (+ = still a customer). At month 1: 5 followed, 1 leaves -> 4/5.
    # Month 2: 4 followed, 1 leaves -> 0.8 * 3/4 = 0.6. Month 3: 2 followed, 1 leaves -> 0.3.
    km = sv.fit_kaplan_meier(_survival([1, 2, 2, 3, 4], [True, True, False, True, False]))
    assert km.overall()[sv.RETENTION].tolist() == pytest.approx([1.0, 0.8, 0.6, 0.3, 0.3])
    assert km.overall()[sv.AT_RISK].tolist() == [5, 5, 4, 2, 1]  # followed at least this long
    assert sv.get_median_lifetime(km) == 3.0


def test_retention_at_12_months_equals_the_curves_value_at_month_12(
    sample_data: SurvivalData,
) -> None:
    km = sv.fit_kaplan_meier(sample_data)
    curve = km.overall().set_index(sv.MONTH)[sv.RETENTION]
    retention = sv.get_retention_at(km)
    assert set(retention) == {3, 6, 12, 24}
    for month, value in retention.items():
        assert value == curve[month]
    assert sv.fit_retention_curve(sample_data).survival[12] == pytest.approx(retention[12])


def test_retention_past_the_longest_time_followed_is_blank_not_guessed() -> None:
    km = sv.fit_kaplan_meier(_survival([1, 2, 5], [True, False, False]))
    assert sv.get_retention_at(km) == {3: pytest.approx(2 / 3), 6: None, 12: None, 24: None}
    assert sv.get_median_lifetime(km) is None


def test_curves_never_rise_overall_by_group_and_in_the_stored_curve(
    frame: pd.DataFrame, sample_data: SurvivalData
) -> None:
    km = sv.fit_kaplan_meier(sample_data, frame["Contract"])
    for _, curve in km.curves.groupby(sv.GROUP):
        for column in (sv.RETENTION, sv.LOWER, sv.UPPER):
            assert (np.diff(curve[column].to_numpy()) <= 1e-12).all(), column
        assert (curve[sv.LOWER] <= curve[sv.RETENTION] + 1e-12).all()
        assert (curve[sv.RETENTION] <= curve[sv.UPPER] + 1e-12).all()
        assert (np.diff(curve[sv.AT_RISK].to_numpy()) <= 0).all()
    stored = sv.fit_retention_curve(sample_data)
    values = stored.at(np.arange(0, 200))
    assert (np.diff(values) <= 0).all() and values[0] <= 1.0
    assert 0 < stored.tail_retention <= 1


def test_a_file_where_nobody_left_still_draws_flat_curves_and_says_why_kpis_are_blank() -> None:
    frame = pd.DataFrame({"Tenure": [1, 4, 9, 12], "Churn": ["No"] * 4, "Plan": list("abab")})
    data = get_survival_data(frame, profile_table(frame, roles={"Tenure": Role.TENURE}))
    km = sv.fit_kaplan_meier(data, frame["Plan"])
    assert (km.curves[sv.RETENTION] == 1.0).all()
    assert km.logrank_p is None
    assert sv.describe_logrank(km) == (
        "No customer has left yet, so the groups cannot be compared."
    )
    assert any(w.code == "no_churners" for w in km.warnings)
    assert sv.get_median_lifetime(km) is None
    assert sv.fit_retention_curve(data).tail_retention == 1.0


def test_the_stored_curve_survives_json_and_continues_past_the_data_at_its_tail_rate() -> None:
    curve = sv.RetentionCurve((1.0, 0.8, 0.6), 0.5, 10, 4, DurationSource("TenureYears", "years"))
    again = sv.RetentionCurve.from_dict(json.loads(json.dumps(curve.to_dict())))
    assert again == curve
    # Months 0..2 from the grid (1.5 counts as 1); beyond month 2, x0.5 a month.
    assert again.at(np.array([0, 1.5, 2, 3, 4])).tolist() == [1.0, 0.8, 0.6, 0.3, 0.15]


def test_the_tail_is_the_average_monthly_retention_of_the_last_twelve_months() -> None:
    months = list(range(1, 25)) + [24] * 10
    data = _survival(months, [True] * 24 + [False] * 10)
    curve = sv.fit_retention_curve(data)
    expected = (curve.survival[24] / curve.survival[12]) ** (1 / 12)
    assert curve.tail_retention == pytest.approx(expected)


def test_small_groups_are_pooled_into_other_and_blanks_are_named() -> None:
    n = 200
    data = _survival(list(np.arange(n) % 10 + 1.0), [i % 3 == 0 for i in range(n)])
    groups = pd.Series(["A"] * 150 + ["B"] * 30 + ["C"] * 5 + [None] * 15, name="Plan")
    km = sv.fit_kaplan_meier(data, groups)
    assert set(km.sizes) == {"A", "B", "Other"}
    assert km.sizes["Other"] == 20
    assert km.group_column == "Plan"


def test_the_at_risk_table_counts_customers_still_followed_at_those_months() -> None:
    km = sv.fit_kaplan_meier(_survival([1, 2, 2, 3, 4], [True, True, False, True, False]))
    table = sv.get_at_risk_table(km, months=(0, 3, 6))
    assert table.columns.tolist() == ["month 0", "month 3"]
    assert table.iloc[0].tolist() == [5, 2]


def test_cohort_retention_counts_leavers_after_k_months_and_blanks_young_cohorts() -> None:
    # Jan cohort: left at 1 month, left at 3, active for 5 -> retained at month 2: 2 of 3.
    # Apr cohort: active for 2 months only -> month 3 is unknown for everyone: blank.
    data = _survival([1, 3, 5, 2], [True, True, False, False])
    signup = pd.Series(pd.to_datetime(["2024-01-05", "2024-01-20", "2024-01-31", "2024-04-02"]))
    table = sv.get_cohort_retention(signup, data, max_months=3)
    assert table.index.tolist() == ["2024-01", "2024-04"]
    assert table.loc["2024-01"].tolist() == pytest.approx([1.0, 2 / 3, 2 / 3, 1 / 3])
    assert table.loc["2024-04"].iloc[:3].tolist() == [1.0, 1.0, 1.0]
    assert np.isnan(table.loc["2024-04"].iloc[3])


def test_churn_rate_over_a_period_compounds_the_monthly_rate(sample_data: SurvivalData) -> None:
    monthly = sample_data.churners / sample_data.durations.sum()
    assert sv.get_monthly_churn_rate(sample_data) == pytest.approx(monthly)
    assert sv.get_monthly_churn_rate(sample_data, 12) == pytest.approx(1 - (1 - monthly) ** 12)


def test_a_stored_curve_from_durations_in_part_months_is_fitted_and_never_rises() -> None:
    # Tenure counted in days gives part months (22.5): the curve once indexed past its end.
    curve = sv.fit_retention_curve(_survival([3.2, 10.7, 15.0, 22.5], [True, False, True, False]))
    assert len(curve.survival) >= 23  # months 0..22 at least
    assert all(a >= b for a, b in zip(curve.survival, curve.survival[1:], strict=False))
    assert 0.0 < curve.tail_retention <= 1.0
