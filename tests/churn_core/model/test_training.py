"""Training on the bundled sample and the real bank file: honest, repeatable, calibrated, safe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import logit
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from churn_core.errors import ChurnDataError
from churn_core.io.reading import read_table
from churn_core.model.churn_model import ChurnModel, model_threads
from churn_core.model.encoding import build_preprocessor
from churn_core.model.metrics import get_metrics
from churn_core.model.training import (
    CANDIDATES,
    TEST_SHARE,
    fit_churn_model,
    get_held_out_positions,
)
from churn_core.schema.features import get_feature_frame
from churn_core.schema.profile import Profile, get_churned, profile_table
from churn_core.schema.roles import Role

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample_customers.csv"
SEED = 42


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, Profile]:
    table = read_table(SAMPLE)
    return table.frame, profile_table(table.frame, warnings=table.warnings)


def held_out_split(frame: pd.DataFrame, profile: Profile, model: ChurnModel):
    """The training/held-out split as fit_churn_model draws it (same seed, same share)."""
    y = get_churned(frame, profile).to_numpy(dtype=bool)
    features = get_feature_frame(frame, model.schema)
    return train_test_split(features, y, test_size=TEST_SHARE, stratify=y, random_state=SEED)


def test_the_card_names_a_candidate_and_has_every_held_out_metric(model: ChurnModel) -> None:
    assert model.name in CANDIDATES
    assert set(model.card["metrics"]) >= {
        "roc_auc",
        "pr_auc",
        "brier",
        "top_decile_lift",
        "precision",
        "recall",
        "f1",
    }
    assert model.card["metrics"]["roc_auc"] > model.card["baseline"]["test"]["roc_auc"]


def test_the_chosen_model_has_the_best_cross_validated_roc_auc(model: ChurnModel) -> None:
    board = model.card["leaderboard"]
    assert [row["name"] for row in board] == list(CANDIDATES)
    best = max(board, key=lambda row: row["cv_roc_auc"])
    assert [row["name"] for row in board if row["chosen"]] == [best["name"]] == [model.name]


def test_a_stratified_fifth_of_customers_is_held_out(model: ChurnModel) -> None:
    evaluation = model.evaluation
    assert len(evaluation.y_test) == 1000 == model.card["data"]["test_rows"]
    assert evaluation.y_test.mean() == pytest.approx(model.base_rate, abs=0.001)


def test_the_card_metrics_are_the_held_out_metrics_at_the_chosen_threshold(
    model: ChurnModel,
) -> None:
    evaluation = model.evaluation
    expected = get_metrics(evaluation.y_test, evaluation.p_test, model.threshold)
    assert model.card["metrics"] == expected
    assert model.card["metrics"]["roc_auc"] == pytest.approx(
        roc_auc_score(evaluation.y_test, evaluation.p_test)
    )


def test_the_models_probabilities_for_held_out_customers_match_the_evaluation(
    sample, model: ChurnModel
) -> None:
    frame, profile = sample
    _, x_test, _, y_test = held_out_split(frame, profile, model)
    np.testing.assert_array_equal(y_test, model.evaluation.y_test)
    np.testing.assert_allclose(
        model.predict_features(x_test), model.evaluation.p_test, rtol=0, atol=1e-12
    )


def test_calibration_does_not_worsen_the_chosen_models_brier_score(model: ChurnModel) -> None:
    calibration = model.card["calibration"]
    evaluation = model.evaluation
    assert calibration["brier_after"] <= calibration["brier_before"]
    assert calibration["brier_before"] == pytest.approx(
        brier_score_loss(evaluation.y_test, evaluation.p_test_raw)
    )
    assert calibration["brier_after"] == pytest.approx(
        brier_score_loss(evaluation.y_test, evaluation.p_test)
    )


def test_calibration_improves_gradient_boostings_held_out_brier_score(
    sample, model: ChurnModel
) -> None:
    # The engine keeps only the calibrated scores of candidates it did not choose, so the raw
    # gradient boosting model is refitted here exactly as fit_churn_model fits it.
    frame, profile = sample
    x_train, x_test, y_train, y_test = held_out_split(frame, profile, model)
    scale, estimator = CANDIDATES["Gradient boosting"]
    raw_model = Pipeline(
        [
            ("prepare", build_preprocessor(model.schema, scale=scale)),
            ("model", clone(estimator).set_params(random_state=SEED)),
        ]
    )
    with model_threads():
        raw = raw_model.fit(x_train, y_train).predict_proba(x_test)[:, 1]
    calibrated = model.evaluation.p_candidates["Gradient boosting"]
    # The refit is the engine's model: its calibrated log-odds are a straight line in ours.
    log_odds = raw_model.decision_function(x_test)
    slope, intercept = np.polyfit(log_odds, logit(calibrated), 1)
    np.testing.assert_allclose(slope * log_odds + intercept, logit(calibrated), atol=1e-9)
    assert brier_score_loss(y_test, calibrated) < brier_score_loss(y_test, raw)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_model(sample, model: ChurnModel) -> None:
    frame, profile = sample
    again = fit_churn_model(frame, profile, seed=SEED)
    np.testing.assert_allclose(again.predict_proba(frame), model.predict_proba(frame), atol=1e-9)
    first = {k: v for k, v in model.card.items() if k != "trained_at"}
    second = {k: v for k, v in again.card.items() if k != "trained_at"}
    assert first == second


@pytest.fixture(scope="module")
def leaky(sample) -> tuple[pd.DataFrame, Profile, ChurnModel, list[tuple[float, str]]]:
    """The sample plus two columns written after a customer left, and one empty column."""
    frame, _ = sample
    rng = np.random.default_rng(0)
    left = frame["Churned"].eq("Yes").to_numpy()
    frame = frame.assign(
        CancellationReason=np.where(
            left, rng.choice(["Price", "Moved", "Service"], len(frame)), None
        ),
        DaysSinceCancel=np.where(left, rng.integers(1, 300, len(frame)), np.nan),
        Notes=np.nan,
    )
    profile = profile_table(frame)
    steps: list[tuple[float, str]] = []
    model = fit_churn_model(frame, profile, seed=SEED, progress=lambda f, m: steps.append((f, m)))
    return frame, profile, model, steps


@pytest.mark.slow
@pytest.mark.parametrize("column", ["CancellationReason", "DaysSinceCancel"])
def test_a_column_that_leaks_the_label_is_excluded_with_the_reason(leaky, column: str) -> None:
    _, profile, model, _ = leaky
    assert column not in model.schema.columns
    excluded = {entry["column"]: entry for entry in model.card["excluded"]}
    assert excluded[column]["role"] == "Ignored"
    assert excluded[column]["reason"] == (
        "alone tells who left with 100.0% accuracy: probably recorded after the customer left "
        "(a leak)"
    )
    assert any(w.code == "leak" and w.column == column for w in profile.warnings)


@pytest.mark.slow
def test_an_all_missing_column_is_ignored_and_training_still_works(leaky) -> None:
    _, profile, model, _ = leaky
    assert profile.column("Notes").role is Role.IGNORED
    assert profile.column("Notes").reason == "empty in every row"
    assert "Notes" not in model.schema.columns
    assert 0.7 < model.card["metrics"]["roc_auc"] < 0.95  # still the sample's level, no leak


@pytest.mark.slow
def test_progress_runs_from_checking_the_data_to_done(leaky) -> None:
    steps = leaky[3]
    fractions = [fraction for fraction, _ in steps]
    assert steps[0] == (0.02, "Checking the data") and steps[-1] == (1.0, "Done")
    assert fractions == sorted(fractions)


def test_eight_churners_are_too_few_to_train(sample) -> None:
    frame, _ = sample
    left = frame["Churned"].eq("Yes")
    few = pd.concat([frame[left].head(8), frame[~left].head(400)])
    profile = profile_table(few)
    assert profile.ok
    with pytest.raises(ChurnDataError) as caught:
        fit_churn_model(few, profile)
    (problem,) = caught.value.problems
    assert problem.code == "too_few_churners" and problem.column == "Churned"
    assert str(problem) == (
        "Only 8 customers left according to Churned; at least 20 who left and 20 who stayed are "
        "needed to learn what drives churn, and a few hundred to learn it well. Use a longer "
        "period or more customers, then train again."
    )


def test_a_label_with_one_value_is_a_problem_and_training_refuses(sample) -> None:
    frame, _ = sample
    stayers = frame[frame["Churned"].eq("No")].head(500)
    profile = profile_table(stayers)
    (problem,) = profile.problems
    assert problem.code == "label_one_class" and problem.column == "Churned"
    assert str(problem) == (
        'Churned has only one value ("No") in all 500 rows; a churn model needs customers who '
        "left and customers who stayed. Export a file that includes both, or choose another "
        "label column."
    )
    with pytest.raises(ChurnDataError) as caught:
        fit_churn_model(stayers, profile)
    assert [p.code for p in caught.value.problems] == ["label_one_class"]


def test_a_chosen_label_that_is_not_yes_no_is_a_problem(sample) -> None:
    frame, _ = sample
    profile = profile_table(frame, roles={"Plan": Role.LABEL})
    (problem,) = profile.problems
    assert problem.code == "label_not_binary" and problem.column == "Plan"
    assert str(problem).startswith(
        'Plan must have exactly two values (such as Yes/No or 1/0); found 3: "Basic", '
        '"Standard", "Premium"'
    )
    assert problem.fix == (
        "Recode it to two values (left / stayed), or choose another label column."
    )
    with pytest.raises(ChurnDataError):
        fit_churn_model(frame, profile)


def test_a_table_with_no_usable_feature_is_a_problem(sample) -> None:
    frame, _ = sample
    bare = frame[["CustomerID", "Email", "Churned"]]
    profile = profile_table(bare)
    (problem,) = profile.problems
    assert problem.code == "no_features"
    assert problem.message.startswith("None of the columns can be used to predict churn")
    assert problem.fix.startswith("Add columns that describe customers")
    with pytest.raises(ChurnDataError):
        fit_churn_model(bare, profile)


@pytest.mark.slow
def test_the_bank_file_reaches_a_held_out_roc_auc_of_086_with_zero_configuration(
    shared_data: Path,
) -> None:
    table = read_table(shared_data / "bank_churn" / "Churn_Modelling.csv")
    profile = profile_table(table.frame, warnings=table.warnings)
    model = fit_churn_model(table.frame, profile)
    assert profile.label_column == "Exited"
    assert model.card["metrics"]["roc_auc"] >= 0.86


def test_a_model_that_barely_beats_chance_says_so_on_its_card() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"Noise": rng.normal(size=400), "Churn": rng.choice(["Yes", "No"], size=400)}
    )
    card = fit_churn_model(frame, profile_table(frame)).card
    assert card["metrics"]["roc_auc"] < 0.6
    assert card["warnings"] and card["warnings"][0].startswith("This model barely beats chance")


def test_a_useful_model_has_no_warning_on_its_card(model: ChurnModel) -> None:
    assert model.card["warnings"] == []


def test_the_held_out_customers_are_found_again_from_the_data_and_the_card(
    model: ChurnModel, frame: pd.DataFrame
) -> None:
    positions = get_held_out_positions(frame, model.card)
    assert len(positions) == model.card["data"]["test_rows"] == len(model.evaluation.y_test)
    churned = frame[model.label_column].astype(str) == model.label_mapping.churned_value
    np.testing.assert_array_equal(churned.to_numpy()[positions], model.evaluation.y_test)
    np.testing.assert_allclose(
        model.predict_proba(frame.iloc[positions]), model.evaluation.p_test, rtol=1e-9
    )


# --- A held-out set given by the caller (a log's latest cutoff, issue 15). ---


@pytest.fixture(scope="module")
def small(sample: tuple[pd.DataFrame, Profile]) -> tuple[pd.DataFrame, Profile, np.ndarray]:
    frame = sample[0].head(1500).reset_index(drop=True)
    held_out = np.arange(len(frame)) >= 1200  # the last 300 rows, as a later period would be
    return frame, profile_table(frame), held_out


def test_given_held_out_rows_are_the_test_and_never_train(
    small: tuple[pd.DataFrame, Profile, np.ndarray],
) -> None:
    frame, profile, held_out = small
    model = fit_churn_model(frame, profile, seed=SEED, held_out=held_out)
    churned = get_churned(frame, profile).to_numpy(dtype=bool)
    assert model.card["data"]["test_rows"] == 300
    assert model.card["data"]["held_out"] == "the rows given as held out"
    assert model.evaluation is not None
    assert model.evaluation.y_test.tolist() == churned[held_out].tolist()

    scrambled = frame.copy()  # what the held-out rows say cannot change what was learned
    for column in profile.feature_columns:
        scrambled.loc[held_out, column] = (
            scrambled.loc[held_out, column].sample(frac=1.0, random_state=1).to_numpy()
        )
    again = fit_churn_model(scrambled, profile, seed=SEED, held_out=held_out)
    board = [row["cv_roc_auc"] for row in model.card["leaderboard"]]
    assert [row["cv_roc_auc"] for row in again.card["leaderboard"]] == board
    train = frame[~held_out]
    np.testing.assert_allclose(again.predict_proba(train), model.predict_proba(train))


def test_held_out_rows_of_one_kind_are_refused_in_words(
    small: tuple[pd.DataFrame, Profile, np.ndarray],
) -> None:
    frame, profile, _ = small
    stayed = ~get_churned(frame, profile).to_numpy(dtype=bool)
    only_stayers = stayed & (np.arange(len(frame)) >= 1000)
    with pytest.raises(ChurnDataError) as caught:
        fit_churn_model(frame, profile, held_out=only_stayers)
    assert [p.code for p in caught.value.problems] == ["held_out_one_class"]
    assert str(caught.value).startswith("Every one of the ")


def test_held_out_flags_must_cover_every_row(
    small: tuple[pd.DataFrame, Profile, np.ndarray],
) -> None:
    frame, profile, held_out = small
    with pytest.raises(ValueError, match="held_out must flag each of the 1500 rows"):
        fit_churn_model(frame, profile, held_out=held_out[:-1])
