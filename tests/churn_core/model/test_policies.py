"""Threshold policies: who is flagged, how everyone is banded, and the expected churners."""

from __future__ import annotations

import numpy as np
import pytest

from churn_core.columns import HIGH, LOW, MEDIUM
from churn_core.model.policies import (
    BEST_F1,
    CAPACITY,
    PROFIT,
    Policy,
    apply_policy,
    get_policy_value,
)

P = np.array([0.1, 0.9, 0.4, 0.7, 0.25, 0.05, 0.6, 0.3])


def test_best_f1_flags_every_customer_at_or_above_the_threshold() -> None:
    flagging = apply_policy(P, Policy(BEST_F1), threshold=0.6, base_rate=0.2)
    assert flagging.flagged.tolist() == [False, True, False, True, False, False, True, False]
    assert flagging.count == 3


def test_bands_are_high_when_flagged_medium_above_the_base_rate_and_low_otherwise() -> None:
    flagging = apply_policy(P, Policy(), threshold=0.6, base_rate=0.3)
    # 0.9, 0.7, 0.6 flagged; 0.4 and 0.3 at or above the 0.3 base rate; the rest below.
    assert flagging.bands.tolist() == [LOW, HIGH, MEDIUM, HIGH, LOW, LOW, HIGH, MEDIUM]


def test_expected_churners_is_the_sum_of_the_flagged_probabilities() -> None:
    flagging = apply_policy(P, Policy(), threshold=0.6, base_rate=0.3)
    assert flagging.expected_churners == pytest.approx(0.9 + 0.7 + 0.6)
    assert flagging.summary() == "3 customers flagged; about 2 of them are expected to leave"


def test_capacity_flags_exactly_that_many_of_the_most_likely_to_leave() -> None:
    flagging = apply_policy(P, Policy(CAPACITY, capacity=2), threshold=0.99, base_rate=0.5)
    assert flagging.count == 2
    assert np.flatnonzero(flagging.flagged).tolist() == [1, 3]  # 0.9 and 0.7
    assert flagging.expected_churners == pytest.approx(1.6)


def test_capacity_flags_the_top_of_the_given_ranking_not_of_the_probabilities() -> None:
    ranking = np.array([5, 0, 2, 1, 3, 4, 6, 7])  # e.g. by value at risk
    flagging = apply_policy(
        P, Policy(CAPACITY, capacity=3), threshold=0.5, base_rate=0.5, ranking=ranking
    )
    assert np.flatnonzero(flagging.flagged).tolist() == [0, 2, 5]
    assert flagging.expected_churners == pytest.approx(0.05 + 0.1 + 0.4)


def test_capacity_share_flags_that_share_of_customers() -> None:
    flagging = apply_policy(P, Policy(CAPACITY, capacity_share=0.25), threshold=0.5, base_rate=0.5)
    assert flagging.count == 2  # 25 % of 8
    assert np.flatnonzero(flagging.flagged).tolist() == [1, 3]


def test_capacity_larger_than_the_list_flags_everyone_and_zero_flags_no_one() -> None:
    everyone = apply_policy(P, Policy(CAPACITY, capacity=50), threshold=0.5, base_rate=0.5)
    no_one = apply_policy(P, Policy(CAPACITY, capacity=0), threshold=0.5, base_rate=0.5)
    assert everyone.count == len(P) and no_one.count == 0
    assert no_one.expected_churners == 0.0


def test_profit_flags_customers_whose_expected_saving_exceeds_the_offer_cost() -> None:
    # p x success x value vs cost 10, success rate 0.5:
    #   0.5 x 0.5 x 100 = 25 > 10 flagged;  0.1 x 0.5 x 100 = 5 not;
    #   0.2 x 0.5 x 1000 = 100 flagged;     0.4 x 0.5 x 50 = 10 is not more than 10: not.
    p = np.array([0.5, 0.1, 0.2, 0.4])
    values = np.array([100.0, 100.0, 1000.0, 50.0])
    policy = Policy(PROFIT, offer_cost=10.0, success_rate=0.5)
    flagging = apply_policy(p, policy, threshold=0.99, base_rate=0.3, values=values)
    assert flagging.flagged.tolist() == [True, False, True, False]
    assert flagging.expected_churners == pytest.approx(0.7)


def test_profit_uses_the_saved_customer_value_where_a_customers_value_is_unknown() -> None:
    # 0.5 x 0.3 x 100 = 15 > 10 (unknown value -> saved_value 100); 0.5 x 0.3 x 20 = 3 < 10.
    p = np.array([0.5, 0.5])
    policy = Policy(PROFIT, saved_value=100.0, offer_cost=10.0, success_rate=0.3)
    with_values = apply_policy(
        p, policy, threshold=0.99, base_rate=0.3, values=np.array([np.nan, 20.0])
    )
    without_values = apply_policy(p, policy, threshold=0.99, base_rate=0.3)
    assert with_values.flagged.tolist() == [True, False]
    assert without_values.flagged.tolist() == [True, True]


def test_each_policy_describes_itself_in_words() -> None:
    assert Policy().describe(0.27) == "customers with a churn probability of 27% or more"
    assert Policy(CAPACITY, capacity=500).describe(0.5) == "the top 500 customers"
    assert Policy(CAPACITY, capacity_share=0.05).describe(0.5) == "the top 5% of customers"
    assert Policy(PROFIT).describe(0.5) == (
        "customers where an offer is expected to pay for itself"
    )


def test_policy_value_by_hand_on_a_tiny_list() -> None:
    p = np.array([0.8, 0.5, 0.2, 0.1])
    flagged = np.array([True, True, True, False])
    values = np.array([1000.0, np.nan, 300.0, 5000.0])
    value = get_policy_value(
        p, flagged, values=values, saved_value=400.0, offer_cost=25.0, success_rate=0.5
    )
    # saved: 0.8*0.5 + 0.5*0.5 + 0.2*0.5 = 0.75 customers; cost 3 x 25 = 75
    # value: 0.4*1000 + 0.25*400 (no value of its own) + 0.1*300 = 530; net 455
    assert value.flagged == 3
    assert value.expected_churners == pytest.approx(1.5)
    assert value.expected_saved == pytest.approx(0.75)
    assert value.offer_cost == pytest.approx(75.0)
    assert value.value_saved == pytest.approx(530.0)
    assert value.net_value == pytest.approx(455.0)
    assert value.valued_by_default == 1
    assert value.describe() == (
        "Offering to the 3 flagged customers costs 75; about 0.8 of the 1.5 expected to leave "
        "would stay, worth 530: a net gain of 455. 1 customer without a value of their own "
        "count at the value you entered."
    )


def test_an_offer_that_costs_more_than_it_saves_reads_as_a_loss_in_the_currency() -> None:
    value = get_policy_value(
        np.array([0.1, 0.1]), np.array([True, True]), saved_value=100.0, offer_cost=30.0,
        success_rate=0.2, currency="USD",
    )  # fmt: skip
    assert value.net_value == pytest.approx(2 * 0.1 * 0.2 * 100 - 60)
    assert value.describe().endswith("worth $4: a net loss of $56.")
    nobody = get_policy_value(P, np.zeros(len(P), bool), offer_cost=10, success_rate=0.3)
    assert (nobody.offer_cost, nobody.net_value) == (0.0, 0.0)
    assert nobody.describe().startswith("Nobody is flagged")


def test_the_profit_policy_flags_exactly_where_the_offer_pays_so_its_value_is_positive() -> None:
    values = np.array([500.0, 2000.0, 300.0, 900.0, 100.0, 50.0, 700.0, 1200.0])
    policy = Policy(PROFIT, offer_cost=40.0, success_rate=0.3)
    flagging = apply_policy(P, policy, threshold=0.5, base_rate=0.2, values=values)
    value = get_policy_value(P, flagging.flagged, values=values, offer_cost=40.0, success_rate=0.3)
    everyone = get_policy_value(
        P, np.ones(len(P), bool), values=values, offer_cost=40.0, success_rate=0.3
    )
    assert value.net_value > 0 and value.net_value > everyone.net_value


def test_policy_value_refuses_a_success_rate_outside_0_to_1() -> None:
    with pytest.raises(ValueError, match="success_rate must be between 0 and 1"):
        get_policy_value(P, P > 0.5, offer_cost=1.0, success_rate=30)
