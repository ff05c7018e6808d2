"""Segment names: hand-made centres give the words a person would use, and names never repeat."""

from __future__ import annotations

import numpy as np
import pytest

from churn_core.segments.inputs import AMOUNT, COUNT, FLAG, LEVEL, TENURE, Feature
from churn_core.segments.names import (
    AVERAGE_NAME,
    describe_column,
    describe_trait,
    name_segments,
)

FEATURES = [
    Feature("TenureMonths", TENURE),
    Feature("MonthlyCharges", AMOUNT),
    Feature("SupportTickets90d", COUNT),
    Feature("UsageTrendPct", AMOUNT),
]


def test_names_list_the_strongest_differences_first_in_the_users_column_words() -> None:
    z = np.array(
        [
            [1.4, 0.9, -0.1, 0.2],  # long-standing, pays more
            [-1.2, -0.6, 1.8, -0.7],  # new, cheap, many tickets, falling usage
            [0.1, -0.2, 0.3, 0.1],  # nothing stands out
        ]
    )
    assert name_segments(z, FEATURES) == [
        "Long tenure, high monthly charges",
        "Many support tickets 90d, new, low usage trend",
        AVERAGE_NAME,
    ]


def test_at_most_three_differences_are_named() -> None:
    z = np.array([[2.0, -1.5, 1.2, 0.9], [-2.0, 1.5, -1.2, -0.9]])
    names = name_segments(z, FEATURES)
    assert names[0] == "Long tenure, low monthly charges, many support tickets 90d"
    assert names[1] == "New, high monthly charges, few support tickets 90d"


def test_equal_names_grow_by_the_next_difference_then_get_numbers() -> None:
    z = np.array([[1.0, 0.3, 0.0, 0.0], [1.0, -0.3, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    names = name_segments(z, FEATURES)
    assert names[:2] == [
        "Long tenure, slightly higher monthly charges",
        "Long tenure, slightly lower monthly charges",
    ]
    twins = name_segments(np.array([[1.0, 0, 0, 0], [1.0, 0, 0, 0]]), FEATURES)
    assert twins[0] != twins[1] and twins[0].endswith("(1)") and twins[1].endswith("(2)")


@pytest.mark.parametrize(
    ("feature", "z", "words"),
    [
        (Feature("TenureMonths", TENURE), -1.0, "new"),
        (Feature("NumOfProducts", COUNT), 1.0, "many products"),
        (Feature("Total_Trans_Ct", COUNT), -1.0, "few total trans"),
        (Feature("IsActiveMember", FLAG), -1.0, "mostly not active member"),
        (Feature("HasCrCard", FLAG), 1.0, "with cr card"),
        (Feature("SeniorCitizen", FLAG), 1.0, "mostly senior citizen"),
        (Feature("ARPU_eur", AMOUNT), 1.0, "high ARPU"),
        (Feature("Contract", LEVEL, "Month-to-month"), 1.5, "mostly Month-to-month contract"),
    ],
)
def test_each_kind_of_column_reads_naturally(feature: Feature, z: float, words: str) -> None:
    assert describe_trait(feature, z) == words


def test_a_category_level_names_a_segment_only_where_it_is_common() -> None:
    features = [Feature("Contract", LEVEL, "One year"), Feature("Contract", LEVEL, "Two year")]
    assert name_segments(np.array([[-1.5, 0.8]]), features) == ["Mostly Two year contract"]


def test_column_words_keep_acronyms_and_numbers() -> None:
    assert describe_column("avg_MRR_last_3m") == "avg MRR last 3m"
    assert describe_column("Customer Age") == "customer age"
