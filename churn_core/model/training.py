"""Train and honestly evaluate a churn model on any profiled table, with zero configuration.

1. The table's label gives y; rows with an unknown label are left out.
2. A stratified 20 % of customers is held out and never used until the end (or the rows the
   caller holds out: the latest cutoff of a log, so the test is later in time than training).
3. Each candidate is cross-validated (stratified 5-fold) on the rest; the best mean ROC-AUC wins.
4. The winner is calibrated (Platt scaling on its out-of-fold log-odds), its best-F1 threshold
   is chosen on the same out-of-fold scores, and it is refitted on all training customers.
5. The held-out customers then give the card's metrics, for every candidate and for the
   one-rule baseline, so the user sees what the model adds.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from churn_core.errors import ChurnDataError, Problem, plural
from churn_core.model.baseline import fit_one_rule
from churn_core.model.churn_model import (
    FORMAT,
    FORMAT_VERSION,
    MODEL_THREADS,
    ChurnModel,
    Evaluation,
    model_threads,
)
from churn_core.model.encoding import build_preprocessor
from churn_core.model.metrics import best_f1_threshold, get_metrics
from churn_core.model.typical import find_typical_customer
from churn_core.schema import (
    LabelMapping,
    Profile,
    Role,
    churn_indicator,
    get_churned,
    get_feature_frame,
    get_feature_schema,
)
from churn_core.survival import ClvAssumptions, fit_table_retention_curve

MIN_PER_CLASS = 20
#: Fits run at once (cross-validation folds and final fits are independent), each on one
#: OpenMP thread: both cores of a 2-core machine, without OpenMP threads spinning on each other.
FIT_THREADS = 2
TEST_SHARE = 0.2
CV_FOLDS = 5
#: How the held-out customers were chosen when the caller gives none (the card says so).
RANDOM_SPLIT = f"a random {TEST_SHARE:.0%} of customers, stratified by churn"
#: Customer value when the file gives no durations for CLV: this many months of revenue.
VALUE_MONTHS = 12

Result = TypeVar("Result")

#: Called with the share done (0 to 1) and what is happening; what it returns is ignored.
Progress = Callable[[float, str], object]

#: name -> (scale numbers?, estimator). Gradient boosting settings were checked on the public
#: bank file (held-out ROC-AUC 0.863 against a 0.86 reference) and on the sample.
CANDIDATES: dict[str, tuple[bool, Any]] = {
    "Logistic regression": (True, LogisticRegression(C=1.0, max_iter=2000)),
    "Gradient boosting": (
        False,
        HistGradientBoostingClassifier(
            learning_rate=0.04,
            max_iter=400,
            max_leaf_nodes=12,
            min_samples_leaf=50,
            l2_regularization=2.0,
            max_features=0.8,
            early_stopping=False,
        ),
    ),
}


def fit_churn_model(
    frame: pd.DataFrame,
    profile: Profile,
    *,
    seed: int = 42,
    progress: Progress | None = None,
    held_out: np.ndarray | pd.Series | None = None,
) -> ChurnModel:
    """Pick, calibrate and evaluate a churn model for this table (see the module docstring).

    Parameters
    ----------
    held_out : array of bool, optional
        One flag per row of ``frame``: the rows to test on, never used in training. By default
        a stratified random 20 % of customers.

    Raises
    ------
    ChurnDataError
        When the profile has problems, or there are too few customers who left (or stayed) to
        learn from (or to test on), or no usable feature.
    """
    with model_threads():
        return _fit(frame, profile, seed, progress, held_out)


def _fit(
    frame: pd.DataFrame,
    profile: Profile,
    seed: int,
    progress: Progress | None,
    held_out: np.ndarray | pd.Series | None = None,
) -> ChurnModel:
    say = progress or (lambda fraction, message: None)
    say(0.02, "Checking the data")
    profile.raise_for_problems()
    churned = get_churned(frame, profile)
    if churned is None:  # raise_for_problems reports a missing label; this is belt and braces
        raise ChurnDataError([Problem("No churn label is set.", code="no_label")])
    known = churned.notna().to_numpy(bool)
    y = churned.to_numpy(dtype=bool, na_value=False)[known]
    data = frame.loc[known]
    _check_enough(y, profile.label_column or "the label")
    schema = get_feature_schema(data, profile)
    features = get_feature_frame(data, schema)
    if held_out is None:
        x_train, x_test, y_train, y_test = train_test_split(
            features, y, test_size=TEST_SHARE, stratify=y, random_state=seed
        )
        split = RANDOM_SPLIT
    else:
        flags = np.asarray(held_out, dtype=bool)
        if len(flags) != len(frame):
            raise ValueError(
                f"held_out must flag each of the {len(frame)} rows; got {len(flags)} flags."
            )
        test = flags[known]
        x_train, x_test, y_train, y_test = features[~test], features[test], y[~test], y[test]
        _check_enough(y_train, profile.label_column or "the label")
        _check_both_kinds(y_test)
        split = "the rows given as held out"
    folds = StratifiedKFold(
        min(CV_FOLDS, int(y_train.sum()), int((~y_train).sum())), shuffle=True, random_state=seed
    )

    say(0.1, "Cross-validating the candidates")
    pipelines = {
        name: Pipeline(
            [
                ("prepare", build_preprocessor(schema, scale=scale)),
                ("model", _seeded(clone(estimator), seed)),
            ]
        )
        for name, (scale, estimator) in CANDIDATES.items()
    }
    revenue = profile.columns_with(Role.REVENUE)

    def meanwhile() -> tuple[Any, dict[str, Any]]:  # on this thread while the fits run
        value = _value_card(frame, profile, revenue[0] if revenue else None)
        return fit_one_rule(x_train, y_train, schema), value

    splits = list(folds.split(x_train, y_train))
    oofs, finals, (rule, value) = _fit_candidates(pipelines, x_train, y_train, splits, meanwhile)
    say(0.7, "Calibrating")
    leaderboard: list[dict[str, Any]] = []
    fitted: dict[str, tuple[Pipeline, float, float, np.ndarray]] = {}
    for name in CANDIDATES:
        oof = oofs[name]
        fold_auc = [
            roc_auc_score(y_train[idx], oof[idx]) for _, idx in folds.split(x_train, y_train)
        ]
        slope, intercept = _platt(oof, y_train)
        threshold = best_f1_threshold(y_train, expit(slope * oof + intercept))
        fitted[name] = (finals[name], slope, intercept, oof)
        leaderboard.append(
            {
                "name": name,
                "cv_roc_auc": float(np.mean(fold_auc)),
                "cv_roc_auc_sd": float(np.std(fold_auc)),
                "threshold": threshold,
            }
        )

    say(0.75, "Testing on held-out customers")
    best = max(leaderboard, key=lambda row: row["cv_roc_auc"])
    p_candidates = {}
    for row in leaderboard:
        pipeline, slope, intercept, _ = fitted[row["name"]]
        p = expit(slope * pipeline.decision_function(x_test) + intercept)
        p_candidates[row["name"]] = p
        row["test"] = get_metrics(y_test, p, row["threshold"])
        row["chosen"] = row["name"] == best["name"]
    p_baseline = rule.predict_proba(x_test)
    baseline_threshold = (rule.rate_inside + rule.rate_outside) / 2
    pipeline, slope, intercept, _ = fitted[best["name"]]
    p_raw = np.asarray(pipeline.predict_proba(x_test)[:, 1])
    p_test = p_candidates[best["name"]]

    say(0.95, "Writing the model card")
    card = _card(
        frame,
        profile,
        schema,
        y,
        leaderboard,
        best,
        rule,
        value,
        baseline_threshold,
        p_baseline,
        y_test,
        p_raw,
        p_test,
        seed,
    )
    card["data"]["held_out"] = split
    say(1.0, "Done")
    model = ChurnModel(
        pipeline,
        slope,
        intercept,
        schema,
        card,
        Evaluation(y_test, p_test, p_raw, p_baseline, p_candidates),
        reference=np.asarray(pipeline[:-1].transform(x_train), dtype=float).mean(axis=0),
    )
    card["typical_customer"] = _typical(model, x_train)
    return model


def _typical(model: ChurnModel, x_train: pd.DataFrame) -> dict[str, Any]:
    """The typical customer (see churn_core.model.typical) at the explanations' base: the
    mean training log-odds for trees (where TreeSHAP starts from: explain/treeshap.py), the mean
    customer's log-odds for a linear model."""
    raw = model.log_odds(x_train)
    estimator = model.pipeline[-1]
    if model.is_linear and model.reference is not None:
        base_raw = float(estimator.intercept_[0] + np.asarray(estimator.coef_[0]) @ model.reference)
    else:
        base_raw = float(np.mean(raw))
    return find_typical_customer(
        x_train,
        model.slope * raw + model.intercept,
        model.slope * base_raw + model.intercept,
        model.schema,
    )


def get_held_out_positions(frame: pd.DataFrame, card: dict[str, Any]) -> np.ndarray:
    """Row positions in ``frame`` of the customers held out when the model with this ``card``
    was trained on ``frame``, in the order its evaluation lists them.

    The split depends only on the known labels and the seed, so it is found again exactly; a
    champion and a challenger can then be compared on the same customers.
    """
    label = card["label"]
    given = card["data"].get("held_out", RANDOM_SPLIT)
    if given != RANDOM_SPLIT:  # a log's latest cutoff: not a random split, not drawn again
        raise ChurnDataError(
            [
                Problem(
                    f"This model was tested on {given}, not on a random share of this data, so "
                    "its held-out customers cannot be drawn again from it.",
                    fix="Compare models on the same later period instead.",
                    code="held_out_given",
                )
            ]
        )
    if label.get("column") not in frame.columns:
        raise ChurnDataError(
            [
                Problem(
                    f'This data has no column "{label.get("column")}", the label the model '
                    "learned from, so its held-out customers cannot be found.",
                    fix="Use the data the model was trained on.",
                    code="no_label",
                )
            ]
        )
    mapping = LabelMapping(str(label["churned_value"]), str(label["stayed_value"]))
    churned = churn_indicator(frame[label["column"]], mapping)
    known = churned.notna().to_numpy(bool)
    positions = np.flatnonzero(known)
    y = churned.to_numpy(dtype=bool, na_value=False)[known]
    _, test = train_test_split(
        positions, test_size=TEST_SHARE, stratify=y, random_state=card["model"]["seed"]
    )
    return np.asarray(test, dtype=int)


def _fit_candidates(
    pipelines: dict[str, Pipeline],
    x: pd.DataFrame,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    meanwhile: Callable[[], Result],
) -> tuple[dict[str, np.ndarray], dict[str, Pipeline], Result]:
    """Each candidate's out-of-fold log-odds (as ``cross_val_predict`` gives them) and its fit
    on all of ``x``: every fit is independent, so they run ``FIT_THREADS`` at a time, slowest
    family first, each on one OpenMP thread (``MODEL_THREADS``); ``meanwhile()`` runs on this
    thread while they do, and its result comes third."""

    def fit(name: str, fold: int | None) -> Any:
        """A fold's out-of-fold log-odds, or (no fold) the fit on all of ``x``."""
        with model_threads():  # this thread's own OpenMP limit
            model = clone(pipelines[name])
            if fold is None:
                return model.fit(x, y)
            train, test = splits[fold]
            model.fit(x.iloc[train], y[train])
            return model.decision_function(x.iloc[test])

    jobs = [(name, i) for name in reversed(pipelines) for i in [*range(len(splits)), None]]
    with (
        threadpool_limits(limits=MODEL_THREADS, user_api="blas"),
        ThreadPoolExecutor(FIT_THREADS, thread_name_prefix="churn-fit") as pool,
    ):
        futures = {job: pool.submit(fit, *job) for job in jobs}
        result = meanwhile()
        oofs = {name: np.zeros(len(y)) for name in pipelines}
        for (name, i), future in futures.items():
            if i is not None:
                oofs[name][splits[i][1]] = future.result()
        finals = {name: futures[(name, None)].result() for name in pipelines}
    return oofs, finals, result


def _check_enough(y: np.ndarray, label: str) -> None:
    left, stayed = int(y.sum()), int((~y).sum())
    if left < MIN_PER_CLASS or stayed < MIN_PER_CLASS:
        few, count = ("left", left) if left < MIN_PER_CLASS else ("stayed", stayed)
        raise ChurnDataError(
            [
                Problem(
                    f"Only {plural(count, 'customer')} {few} according to {label}; at least "
                    f"{MIN_PER_CLASS} who left and {MIN_PER_CLASS} who stayed are needed to "
                    "learn what drives churn, and a few hundred to learn it well.",
                    column=label,
                    fix="Use a longer period or more customers, then train again.",
                    code="too_few_churners",
                )
            ]
        )


def _check_both_kinds(y_test: np.ndarray) -> None:
    """Held-out rows must hold customers who left and who stayed, or nothing can be measured."""
    if y_test.all() or not y_test.any():
        kind = "left" if y_test.all() else "stayed"
        raise ChurnDataError(
            [
                Problem(
                    f"Every one of the {plural(len(y_test), 'held-out customer')} {kind}, so the "
                    "model's quality cannot be measured on them.",
                    fix="Hold out a period or a group with customers who left and who stayed.",
                    code="held_out_one_class",
                )
            ]
        )


def _seeded(estimator: Any, seed: int) -> Any:
    if "random_state" in estimator.get_params():
        estimator.set_params(random_state=seed)
    return estimator


def _platt(log_odds: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept mapping out-of-fold log-odds to calibrated probabilities."""
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(log_odds.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


#: Held-out ROC-AUC below which the card warns that scores should not drive decisions.
MIN_USEFUL_ROC_AUC = 0.55


def _skill_warnings(model: dict[str, float], rule: str, baseline: dict[str, float]) -> list[str]:
    """Plain warnings when the model is barely better than chance or than the one-rule baseline."""
    auc, base = model["roc_auc"], baseline["roc_auc"]
    if auc < MIN_USEFUL_ROC_AUC:
        return [
            f"This model barely beats chance on customers it never saw (ROC-AUC {auc:.2f}; "
            "0.5 is a coin flip), so its scores should not decide who to call. Add columns "
            "that describe behaviour before customers leave (usage, support, payments) and "
            "train again."
        ]
    if auc <= base:
        return [
            f"The one-rule baseline ({rule}) does as well as the model (ROC-AUC {base:.2f} "
            f"against {auc:.2f}); the simple rule may serve you as well."
        ]
    return []


def _value_card(frame: pd.DataFrame, profile: Profile, revenue: str | None) -> dict[str, Any]:
    """How customer value is computed when this model scores a file: CLV from the retention
    curve of the training data (with the default assumptions), else months of revenue."""
    value: dict[str, Any] = {"revenue_column": revenue, "months": VALUE_MONTHS, "kind": "months"}
    if revenue is None:
        return value
    try:
        curve = fit_table_retention_curve(frame, profile)
    except ChurnDataError as error:  # no tenure or dates, no churners: value = months
        value["why_not_clv"] = error.problems[0].message
        return value
    return {
        **value,
        "kind": "clv",
        "retention_curve": curve.to_dict(),
        "clv_assumptions": ClvAssumptions().to_dict(),
    }


def data_fingerprint(frame: pd.DataFrame) -> str:
    """A short hash of the table's contents: the card says which data a model learned from."""
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()[:16]


def _card(
    frame: pd.DataFrame,
    profile: Profile,
    schema: Any,
    y: np.ndarray,
    leaderboard: list[dict[str, Any]],
    best: dict[str, Any],
    rule: Any,
    value: dict[str, Any],
    baseline_threshold: float,
    p_baseline: np.ndarray,
    y_test: np.ndarray,
    p_raw: np.ndarray,
    p_test: np.ndarray,
    seed: int,
) -> dict[str, Any]:
    mapping = profile.label_mapping
    excluded = [
        {"column": c.name, "role": c.role.display_name, "reason": c.reason}
        for c in profile.columns
        if c.name not in schema.columns and c.role is not Role.LABEL
    ]
    baseline_test = get_metrics(y_test, p_baseline, baseline_threshold)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": {"name": best["name"], "seed": seed},
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "label": {
            "column": profile.label_column,
            "churned_value": mapping.churned_value if mapping else None,
            "stayed_value": mapping.stayed_value if mapping else None,
        },
        "id_column": profile.id_column,
        "features": schema.to_dict(),
        "excluded": excluded,
        "derived": [
            {**d.to_dict(), "in_model": d.column in schema.columns} for d in profile.derived
        ],
        "value": value,
        "data": {
            "rows": len(frame),
            "rows_with_label": len(y),
            "churned": int(y.sum()),
            "churn_rate": float(y.mean()),
            "fingerprint": data_fingerprint(frame),
            "test_rows": len(y_test),
        },
        "leaderboard": leaderboard,
        "baseline": {**rule.to_dict(), "test": baseline_test},
        "metrics": best["test"],  # the chosen candidate's held-out row of the leaderboard
        "calibration": {
            "method": "Platt scaling on out-of-fold log-odds",
            "brier_before": float(brier_score_loss(y_test, p_raw)),
            "brier_after": float(brier_score_loss(y_test, p_test)),
        },
        "threshold": {"policy": "best F1", "value": best["threshold"]},
        "warnings": _skill_warnings(best["test"], rule.describe(), baseline_test),
        "versions": {
            "python": platform.python_version(),
            **{pkg: version(pkg) for pkg in ("scikit-learn", "pandas", "numpy", "joblib")},
        },
    }
