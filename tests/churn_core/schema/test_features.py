"""Model inputs: which columns, of what kind, with which levels, read the same way every time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_core.schema.features import (
    BLANK,
    FeatureSchema,
    get_feature_frame,
    get_feature_schema,
    get_unseen_levels,
)
from churn_core.schema.profile import profile_table


def test_numbers_are_numeric_text_is_categorical_and_the_users_roles_win(
    feature_schema: FeatureSchema,
) -> None:
    assert feature_schema.numeric == (
        "TenureMonths",
        "Paperless",
    )  # Paperless: yes/no set to Number
    assert feature_schema.categorical == ("Plan", "StoreNo")  # StoreNo: numbers set to Category


def test_a_yes_no_column_left_to_detection_is_a_category_of_true_and_false(
    feature_customers: pd.DataFrame,
) -> None:
    feature_schema = get_feature_schema(feature_customers, profile_table(feature_customers))
    assert "Paperless" in feature_schema.categorical
    assert feature_schema.levels["Paperless"] == ["False", "True"]


def test_ids_labels_and_personal_data_are_never_features(feature_schema: FeatureSchema) -> None:
    assert not {"CustomerID", "Churned", "Email"} & set(feature_schema.columns)


def test_training_levels_are_sorted_text_with_blanks_named(feature_schema: FeatureSchema) -> None:
    assert feature_schema.levels["Plan"] == sorted([BLANK, "Basic", "Premium", "Standard"])
    assert feature_schema.levels["StoreNo"] == [
        "1",
        "2",
        "3",
    ]  # numbers chosen as categories read as text


def test_ranges_give_min_median_and_max_ignoring_blanks(feature_schema: FeatureSchema) -> None:
    tenure = feature_schema.ranges["TenureMonths"]
    assert (tenure["min"], tenure["median"], tenure["max"]) == (1.0, 30.0, 60.0)
    paperless = feature_schema.ranges["Paperless"]
    assert (paperless["min"], paperless["median"], paperless["max"]) == (0.0, 1.0, 1.0)


def test_ranges_give_quartiles_and_a_step_a_person_would_type(
    feature_schema: FeatureSchema,
) -> None:
    tenure = feature_schema.ranges["TenureMonths"]
    assert tenure["p10"] <= tenure["p25"] <= tenure["median"] <= tenure["p75"] <= tenure["p90"]
    assert tenure["step"] == 1.0 and tenure["whole"] == 1.0  # whole months
    assert feature_schema.typical["Plan"] == "Basic"  # the most common plan
    typical = feature_schema.typical_customer()
    assert typical["TenureMonths"] == 30.0 and typical["Plan"] == "Basic"


def test_the_feature_frame_holds_floats_and_text(
    feature_customers: pd.DataFrame, feature_schema: FeatureSchema
) -> None:
    features = get_feature_frame(feature_customers, feature_schema)
    assert list(features.columns) == ["TenureMonths", "Paperless", "Plan", "StoreNo"]
    assert features["TenureMonths"].dtype == np.float64
    assert np.isnan(features["TenureMonths"].iloc[2])
    assert features["Paperless"].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    assert features["Plan"].tolist() == ["Basic", "Premium", BLANK, "Basic", "Standard", "Basic"]
    assert features["StoreNo"].tolist() == ["3", "1", "3", "2", "2", "1"]


def test_a_later_file_with_text_in_a_number_column_reads_it_as_missing(
    feature_schema: FeatureSchema,
) -> None:
    later = pd.DataFrame(
        {"TenureMonths": ["12", "n/a"], "Paperless": [1, 0], "Plan": ["Basic", "Basic"]}
    )
    later["StoreNo"] = [1.0, 2.0]  # read as floats this time: still the levels "1" and "2"
    features = get_feature_frame(later, feature_schema)
    assert features["TenureMonths"].tolist()[0] == 12.0
    assert np.isnan(features["TenureMonths"].iloc[1])
    assert features["StoreNo"].tolist() == ["1", "2"]


def test_the_feature_frame_keeps_the_tables_index(
    feature_customers: pd.DataFrame, feature_schema: FeatureSchema
) -> None:
    shuffled = feature_customers.sample(frac=1, random_state=1)
    features = get_feature_frame(shuffled, feature_schema)
    assert features.index.equals(shuffled.index)
    pd.testing.assert_frame_equal(
        features.sort_index(),
        get_feature_frame(feature_customers, feature_schema),
        check_exact=True,
    )


def test_unseen_levels_are_counted_per_column(feature_schema: FeatureSchema) -> None:
    later = pd.DataFrame(
        {
            "TenureMonths": [1.0, 2.0, 3.0],
            "Paperless": [1.0, 1.0, 0.0],
            "Plan": ["Platinum", "Basic", "Platinum"],
            "StoreNo": ["1", "2", "3"],
        }
    )
    assert get_unseen_levels(later, feature_schema) == {"Plan": (2, "Platinum")}


def test_the_schema_survives_a_round_trip_through_a_dict(feature_schema: FeatureSchema) -> None:
    assert FeatureSchema.from_dict(feature_schema.to_dict()) == feature_schema
