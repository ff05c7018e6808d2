"""Model inputs: which columns, of what kind, with which levels, read the same way every time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from churn_core.schema.features import (
    BLANK,
    FeatureSchema,
    get_feature_frame,
    get_feature_schema,
    get_unseen_levels,
)
from churn_core.schema.profile import profile_table
from churn_core.schema.roles import Role


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "CustomerID": ["A1", "A2", "A3", "A4", "A5", "A6"],
            "TenureMonths": [1, 5, np.nan, 30, 48, 60],
            "Plan": ["Basic", "Premium", None, "Basic", "Standard", "Basic"],
            "Paperless": [True, False, True, True, False, True],
            "StoreNo": [3, 1, 3, 2, 2, 1],
            "Email": [f"a{i}@example.com" for i in range(6)],
            "Churned": ["Yes", "No", "Yes", "No", "No", "No"],
        }
    )


@pytest.fixture
def schema(customers: pd.DataFrame) -> FeatureSchema:
    roles = {"StoreNo": Role.CATEGORICAL, "Paperless": Role.NUMERIC}
    return get_feature_schema(customers, profile_table(customers, roles=roles))


def test_numbers_are_numeric_text_is_categorical_and_the_users_roles_win(
    schema: FeatureSchema,
) -> None:
    assert schema.numeric == ("TenureMonths", "Paperless")  # Paperless: yes/no set to Number
    assert schema.categorical == ("Plan", "StoreNo")  # StoreNo: numbers set to Category


def test_a_yes_no_column_left_to_detection_is_a_category_of_true_and_false(
    customers: pd.DataFrame,
) -> None:
    schema = get_feature_schema(customers, profile_table(customers))
    assert "Paperless" in schema.categorical
    assert schema.levels["Paperless"] == ["False", "True"]


def test_ids_labels_and_personal_data_are_never_features(schema: FeatureSchema) -> None:
    assert not {"CustomerID", "Churned", "Email"} & set(schema.columns)


def test_training_levels_are_sorted_text_with_blanks_named(schema: FeatureSchema) -> None:
    assert schema.levels["Plan"] == sorted([BLANK, "Basic", "Premium", "Standard"])
    assert schema.levels["StoreNo"] == ["1", "2", "3"]  # numbers chosen as categories read as text


def test_ranges_give_min_median_and_max_ignoring_blanks(schema: FeatureSchema) -> None:
    tenure = schema.ranges["TenureMonths"]
    assert (tenure["min"], tenure["median"], tenure["max"]) == (1.0, 30.0, 60.0)
    paperless = schema.ranges["Paperless"]
    assert (paperless["min"], paperless["median"], paperless["max"]) == (0.0, 1.0, 1.0)


def test_ranges_give_quartiles_and_a_step_a_person_would_type(schema: FeatureSchema) -> None:
    tenure = schema.ranges["TenureMonths"]
    assert tenure["p10"] <= tenure["p25"] <= tenure["median"] <= tenure["p75"] <= tenure["p90"]
    assert tenure["step"] == 1.0 and tenure["whole"] == 1.0  # whole months
    assert schema.typical["Plan"] == "Basic"  # the most common plan
    typical = schema.typical_customer()
    assert typical["TenureMonths"] == 30.0 and typical["Plan"] == "Basic"


def test_the_feature_frame_holds_floats_and_text(
    customers: pd.DataFrame, schema: FeatureSchema
) -> None:
    features = get_feature_frame(customers, schema)
    assert list(features.columns) == ["TenureMonths", "Paperless", "Plan", "StoreNo"]
    assert features["TenureMonths"].dtype == np.float64
    assert np.isnan(features["TenureMonths"].iloc[2])
    assert features["Paperless"].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    assert features["Plan"].tolist() == ["Basic", "Premium", BLANK, "Basic", "Standard", "Basic"]
    assert features["StoreNo"].tolist() == ["3", "1", "3", "2", "2", "1"]


def test_a_later_file_with_text_in_a_number_column_reads_it_as_missing(
    schema: FeatureSchema,
) -> None:
    later = pd.DataFrame(
        {"TenureMonths": ["12", "n/a"], "Paperless": [1, 0], "Plan": ["Basic", "Basic"]}
    )
    later["StoreNo"] = [1.0, 2.0]  # read as floats this time: still the levels "1" and "2"
    features = get_feature_frame(later, schema)
    assert features["TenureMonths"].tolist()[0] == 12.0
    assert np.isnan(features["TenureMonths"].iloc[1])
    assert features["StoreNo"].tolist() == ["1", "2"]


def test_the_feature_frame_keeps_the_tables_index(
    customers: pd.DataFrame, schema: FeatureSchema
) -> None:
    shuffled = customers.sample(frac=1, random_state=1)
    features = get_feature_frame(shuffled, schema)
    assert features.index.equals(shuffled.index)
    pd.testing.assert_frame_equal(
        features.sort_index(), get_feature_frame(customers, schema), check_exact=True
    )


def test_unseen_levels_are_counted_per_column(schema: FeatureSchema) -> None:
    later = pd.DataFrame(
        {
            "TenureMonths": [1.0, 2.0, 3.0],
            "Paperless": [1.0, 1.0, 0.0],
            "Plan": ["Platinum", "Basic", "Platinum"],
            "StoreNo": ["1", "2", "3"],
        }
    )
    assert get_unseen_levels(later, schema) == {"Plan": (2, "Platinum")}


def test_the_schema_survives_a_round_trip_through_a_dict(schema: FeatureSchema) -> None:
    assert FeatureSchema.from_dict(schema.to_dict()) == schema
