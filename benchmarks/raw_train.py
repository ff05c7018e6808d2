"""The raw limit from a CSV to an explained list: a plain scikit-learn script, nothing more.

Reads the CSV, holds out a stratified 20 %, picks between the engine's two model families
(the same settings) by 5-fold cross-validated ROC-AUC, fits the winner, scores the customers
still with you, explains each with exact SHAP (``TreeExplainer`` or ``LinearExplainer``), and
writes them sorted by probability with their three strongest one-hot columns as reasons. No
profiling, no checks, no calibration, baseline, retention curve or model card, no bundle. The
engine's ``train`` then ``score`` is measured against it in the same run
(``python -m benchmarks --train-explain``).

    python -m benchmarks.raw_train FILE --label Churned --churned Yes --id CustomerID \
        --drop Email SignupDate ChurnDate --out OUT
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shap
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 42


def candidates(numeric: list[str], categorical: list[str]) -> dict[str, object]:
    def one_hot() -> OneHotEncoder:
        return OneHotEncoder(handle_unknown="ignore", sparse_output=False)

    scaled = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    linear = ColumnTransformer([("num", scaled, numeric), ("cat", one_hot(), categorical)])
    trees = ColumnTransformer([("num", "passthrough", numeric), ("cat", one_hot(), categorical)])
    boosting = HistGradientBoostingClassifier(
        learning_rate=0.04,
        max_iter=400,
        max_leaf_nodes=12,
        min_samples_leaf=50,
        l2_regularization=2.0,
        max_features=0.8,
        early_stopping=False,
        random_state=SEED,
    )
    return {
        "Logistic regression": make_pipeline(linear, LogisticRegression(C=1.0, max_iter=2000)),
        "Gradient boosting": make_pipeline(trees, boosting),
    }


def run(args: argparse.Namespace) -> dict[str, object]:
    frame = pd.read_csv(args.file)
    y = (frame[args.label].astype(str) == args.churned).to_numpy()
    x = frame.drop(columns=[args.label, args.id, *args.drop])
    categorical = [c for c in x.columns if x[c].dtype == object]
    numeric = [c for c in x.columns if c not in categorical]
    x[categorical] = x[categorical].fillna("(blank)")
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.2, stratify=y, random_state=SEED
    )
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    models = candidates(numeric, categorical)
    cv = {
        name: float(cross_val_score(model, x_train, y_train, cv=folds, scoring="roc_auc").mean())
        for name, model in models.items()
    }
    best = max(cv, key=lambda name: cv[name])
    model = models[best].fit(x_train, y_train)
    test_auc = float(roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]))

    current = ~y
    encoded = model[:-1].transform(x[current])
    names = model[:-1].get_feature_names_out()
    if best == "Gradient boosting":
        contributions = shap.TreeExplainer(model[-1]).shap_values(encoded)
    else:
        background = model[:-1].transform(x_train)
        contributions = shap.LinearExplainer(model[-1], background).shap_values(encoded)
    strongest = np.argsort(-contributions, axis=1)[:, :3]
    listed = pd.DataFrame(
        {
            args.id: frame.loc[current, args.id].to_numpy(),
            "churn_probability": model.predict_proba(x[current])[:, 1],
            **{f"reason_{k + 1}": names[strongest[:, k]] for k in range(3)},
        }
    ).sort_values("churn_probability", ascending=False, kind="stable")
    listed.to_csv(args.out, index=False)
    return {"chosen": best, "cv_roc_auc": cv, "test_roc_auc": test_auc, "listed": len(listed)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.raw_train")
    parser.add_argument("file", type=Path)
    parser.add_argument("--label", required=True)
    parser.add_argument("--churned", required=True, help="the label's value for customers who left")
    parser.add_argument("--id", required=True)
    parser.add_argument("--drop", nargs="*", default=[], help="columns that are not features")
    parser.add_argument("--out", type=Path, required=True)
    json.dump(run(parser.parse_args()), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
