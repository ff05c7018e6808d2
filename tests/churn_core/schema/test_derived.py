"""Derived columns: found on hand-made and public files, named with their sources, recomputable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.io import read_table
from churn_core.schema import Derivation, Role, find_derived_columns, profile_table
from churn_core.schema.derived import CATEGORY_SUM, COPY, DIFFERENCE, PRODUCT, RATIO, SUM
from tests.churn_core.card_issuer import make_card_issuer_customers
from tests.churn_core.public_like import telecom_path

ROWS = 3000


@pytest.fixture(scope="module")
def made() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    months = rng.integers(1, 72, ROWS).astype(float)
    price = rng.uniform(20, 110, ROWS).round(2)
    limit = rng.uniform(1500, 30000, ROWS).round(1)
    balance = rng.uniform(0, 1400, ROWS).round(0)
    return pd.DataFrame(
        {
            "months": months,
            "price": price,
            "total_paid": (months * price * rng.normal(1, 0.01, ROWS)).round(2),
            "limit": limit,
            "balance": balance,
            "avg_open_to_buy": limit - balance,
            "spare": limit - balance,
            "use_ratio": (balance / limit).round(4),
            "yearly_price": 12 * price,
            "age": rng.integers(18, 90, ROWS).astype(float),
            # strongly related to price, but not a function of it
            "noisy": price + rng.normal(0, 12, ROWS),
        }
    )


def by_column(found: list[Derivation]) -> dict[str, Derivation]:
    return {d.column: d for d in found}


def test_a_running_total_is_named_with_the_tenure_and_the_price(made: pd.DataFrame) -> None:
    columns = ["months", "price", "total_paid"]
    found = by_column(find_derived_columns(made, columns, tenure="months"))
    assert list(found) == ["total_paid"]
    total = found["total_paid"]
    assert total.kind == PRODUCT and set(total.sources) == {"months", "price"}
    assert total.running_total
    assert total.describe() in (
        "total_paid is a running total: about months x price",
        "total_paid is a running total: about price x months",
    )


def test_difference_ratio_and_copy_are_found_with_their_sources(made: pd.DataFrame) -> None:
    columns = ["limit", "balance", "avg_open_to_buy", "use_ratio", "price", "yearly_price", "age"]
    found = by_column(find_derived_columns(made, columns))
    assert found["avg_open_to_buy"].kind == DIFFERENCE  # "avg": named like a computation
    assert found["avg_open_to_buy"].sources == ("limit", "balance")
    assert found["use_ratio"].kind == RATIO
    assert found["use_ratio"].sources == ("balance", "limit")
    assert found["use_ratio"].describe() == "use_ratio is about balance / limit"
    copy = found.get("yearly_price") or found["price"]  # either is a copy of the other
    assert copy.kind == COPY
    assert "age" not in found and "limit" not in found and "balance" not in found


def test_of_three_columns_that_add_up_exactly_one_is_called_derived(made: pd.DataFrame) -> None:
    found = find_derived_columns(made, ["limit", "balance", "spare"])
    assert len(found) == 1
    assert {found[0].column, *found[0].sources} == {"limit", "balance", "spare"}
    assert found[0].kind in (SUM, DIFFERENCE)


def test_a_column_merely_correlated_with_others_is_not_derived(made: pd.DataFrame) -> None:
    assert np.corrcoef(made["noisy"], made["price"])[0, 1] > 0.85
    assert find_derived_columns(made, ["price", "noisy", "age", "months"]) == []


def test_a_price_that_adds_up_its_services_is_a_sum_over_categories() -> None:
    rng = np.random.default_rng(1)
    phone = rng.choice(["Yes", "No"], ROWS)
    internet = rng.choice(["DSL", "Fiber optic", "No"], ROWS)
    tv = rng.choice(["Yes", "No"], ROWS)
    price = (
        20
        + np.where(phone == "Yes", 10, 0)
        + np.select([internet == "DSL", internet == "Fiber optic"], [25, 50], 0)
        + np.where(tv == "Yes", 10, 0)
        + rng.normal(0, 0.5, ROWS)
    )
    frame = pd.DataFrame(
        {
            "Phone": phone,
            "Internet": internet,
            "TV": tv,
            "Region": rng.choice(["N", "S"], ROWS),
            "Price": price,
        }
    )
    (found,) = find_derived_columns(frame, ["Price"], ["Phone", "Internet", "TV", "Region"])
    assert found.kind == CATEGORY_SUM
    assert set(found.sources) == {"Phone", "Internet", "TV"}  # Region adds nothing
    assert found.sources[0] == "Internet"  # the biggest part first
    recomputed = found.compute(frame)
    assert np.abs(recomputed - price).max() < 3
    one = found.compute({"Phone": "No", "Internet": "Fiber optic", "TV": "Yes", "Price": 0})
    assert float(one.iloc[0]) == pytest.approx(80, abs=0.5)
    assert found.compute_one({"Phone": "No", "Internet": "Fiber optic", "TV": "Yes"}) == (
        pytest.approx(float(one.iloc[0]))
    )


def test_a_derivation_recomputes_its_column_and_survives_a_round_trip(made: pd.DataFrame) -> None:
    found = find_derived_columns(made, ["limit", "balance", "avg_open_to_buy", "use_ratio"])
    assert len(found) == 2
    for derivation in found:
        again = Derivation.from_dict(derivation.to_dict())
        assert again == derivation
        error = np.abs(again.compute(made) - made[derivation.column]).max()
        assert error < 1e-3 * made[derivation.column].abs().max()
        one = made.iloc[7].to_dict()
        assert again.compute_one(one) == pytest.approx(float(again.compute(made).iloc[7]))


def test_the_telecom_file_says_total_charges_is_tenure_times_monthly_charges() -> None:
    frame = read_table(telecom_path()).frame
    profile = profile_table(frame)
    total = profile.column("TotalCharges")
    assert total.role is Role.DERIVED
    assert total.reason.startswith("TotalCharges is a running total: about tenure x MonthlyCharges")
    monthly = profile.column("MonthlyCharges")
    assert monthly.role is Role.REVENUE  # still what a customer is worth
    assert "MonthlyCharges is about a sum of fixed amounts for each value of" in monthly.reason
    assert {"InternetService", "StreamingTV", "StreamingMovies"} <= set(monthly.derived.sources)
    assert "TotalCharges" not in profile.feature_columns
    assert "MonthlyCharges" not in profile.feature_columns
    assert [d.column for d in profile.derived] == ["MonthlyCharges", "TotalCharges"]


def test_a_derived_column_the_user_chose_stays_in_the_model() -> None:
    frame = read_table(telecom_path()).frame
    profile = profile_table(frame, roles={"TotalCharges": Role.NUMERIC})
    assert profile.column("TotalCharges").role is Role.NUMERIC
    assert "TotalCharges" in profile.feature_columns
    assert profile.column("TotalCharges").derived is not None  # still known as derived
    why = profile.to_frame().set_index("Column")["Why"]
    assert why["TotalCharges"] == (
        "you chose this; TotalCharges is a running total: about tenure x MonthlyCharges: kept "
        "in the model, never a lever or a reason to act on"
    )


def test_the_card_issuers_open_to_buy_and_utilisation_are_derived() -> None:
    profile = profile_table(make_card_issuer_customers(3000))
    derived = {d.column: d for d in profile.derived}
    assert set(derived) == {"Avg_Open_To_Buy", "Avg_Utilization_Ratio"}
    assert derived["Avg_Open_To_Buy"].describe() == (
        "Avg_Open_To_Buy is about Credit_Limit - Total_Revolving_Bal"
    )
    assert derived["Avg_Utilization_Ratio"].describe() == (
        "Avg_Utilization_Ratio is about Total_Revolving_Bal / Credit_Limit"
    )
    assert profile.column("Credit_Limit").role is Role.NUMERIC


def test_the_bank_file_and_the_sample_have_no_derived_columns(
    bank_with_churn: tuple[pd.DataFrame, pd.Series], frame: pd.DataFrame
) -> None:
    assert profile_table(bank_with_churn[0]).derived == []
    assert profile_table(frame).derived == []
