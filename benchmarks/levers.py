"""What derived columns and lever constraints cost in held-out quality, on every file we have.

    python -m benchmarks --levers

For each file: held-out ROC-AUC (20 %, seed 42, the training's own split) of the chosen model
with derived columns kept and left out (the default), then of both candidates on the default
inputs without and with monotonic constraints on the levers' directions: numbers that move
only down must not lower risk as they rise (+1), those that move only up the reverse (-1);
with ``+ categories`` also the one-hot "No" of a service that is only added (+1) and its other
values (-1), and the shortest and longer contracts. Gradient boosting takes them as
``monotonic_cst``; logistic regression as bounds on its coefficients' signs (L-BFGS-B).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from churn_core.explain import guess_levers
from churn_core.io import read_table
from churn_core.model import CANDIDATES, fit_churn_model
from churn_core.model.encoding import build_preprocessor
from churn_core.schema import (
    FeatureSchema,
    Role,
    get_churned,
    get_feature_frame,
    get_feature_schema,
    profile_table,
)
from churn_core.schema.levers import ADD, DOWN, LONGER, UP, commitment, is_no

ROOT = Path(__file__).resolve().parents[1]


def _files() -> dict[str, pd.DataFrame]:
    sys.path.insert(0, str(ROOT))
    from tests.churn_core.card_issuer import make_card_issuer_customers
    from tests.churn_core.public_like import TELECOM_CSV, TELECOM_PACKAGE

    files = {"card-issuer-like (hand-made)": make_card_issuer_customers()}
    try:
        from importlib.metadata import distribution

        telecom = Path(str(distribution(TELECOM_PACKAGE).locate_file(TELECOM_CSV)))
        files["telecom (IBM, from a package)"] = read_table(telecom).frame
    except Exception as error:
        print(f"telecom file missing: {error}")
    bank = ROOT.parent / "shared/data/bank_churn/Churn_Modelling.csv"
    if bank.exists():
        files["bank (public)"] = read_table(bank).frame
    files["sample (bundled)"] = read_table(ROOT / "data/sample_customers.csv").frame
    return files


def _signs(schema: FeatureSchema, names: list[str], with_categories: bool) -> np.ndarray:
    levers = guess_levers(schema).set_index("column")
    out = []
    for name in names:
        sign = 0
        if name in schema.numeric:
            sign = {DOWN: 1, UP: -1}.get(str(levers.loc[name, "direction"]), 0)
        elif with_categories:
            column = next((c for c in schema.categorical if name.startswith(f"{c}_")), None)
            if column is not None:
                level, direction = name[len(column) + 1 :], levers.loc[column, "direction"]
                if direction == ADD:
                    sign = 1 if level.strip().lower() in {"no", "0", "none"} else -1
                    sign = 0 if is_no(level) and sign == -1 else sign
                elif direction == LONGER and (months := commitment(level)) is not None:
                    sign = 1 if months <= 1 else -1
        out.append(sign)
    return np.array(out)


def _signed_logistic(x: np.ndarray, y: np.ndarray, signs: np.ndarray) -> np.ndarray:
    """L2 logistic regression (C = 1, as the candidate) with coefficient signs bounded."""
    k = x.shape[1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = expit(x @ w[:k] + w[k])
        value = -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        return float(value + 0.5 * w[:k] @ w[:k]), np.r_[x.T @ (p - y) + w[:k], np.sum(p - y)]

    bounds = [(0, None) if s == 1 else (None, 0) if s == -1 else (None, None) for s in signs]
    return minimize(
        loss, np.zeros(k + 1), jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)]
    ).x


def print_levers() -> None:
    warnings.filterwarnings("ignore", category=UserWarning)  # sklearn's joblib notices
    print("\nderived columns: held-out ROC-AUC of the chosen model, kept -> left out (default)")
    files = _files()
    for name, frame in files.items():
        profile = profile_table(frame)
        keep = {
            d.column: Role.REVENUE
            if profile.column(d.column).role is Role.REVENUE
            else Role.NUMERIC
            for d in profile.derived
        }
        kept = fit_churn_model(frame, profile_table(frame, roles=keep)).card["metrics"]["roc_auc"]
        out = fit_churn_model(frame, profile).card["metrics"]["roc_auc"]
        derived = ", ".join(d.column for d in profile.derived) or "none"
        print(f"  {name:32} {kept:.4f} -> {out:.4f}   derived: {derived}")
    print("\nmonotonic constraints on levers: held-out ROC-AUC, none / numbers / + categories")
    for name, frame in files.items():
        profile = profile_table(frame)
        churned = get_churned(frame, profile)
        known = churned.notna().to_numpy(bool)
        y = churned.to_numpy(dtype=bool, na_value=False)[known]
        schema = get_feature_schema(frame.loc[known], profile)
        x = get_feature_frame(frame.loc[known], schema)
        x_train, x_test, y_train, y_test = train_test_split(
            x, y, test_size=0.2, stratify=y, random_state=42
        )
        cells = []
        for scale, model in ((False, "Gradient boosting"), (True, "Logistic regression")):
            prepare = build_preprocessor(schema, scale=scale).fit(x_train)
            a, b = prepare.transform(x_train), prepare.transform(x_test)
            names = list(prepare.get_feature_names_out())
            aucs = []
            for signs in (np.zeros(len(names)), *(_signs(schema, names, c) for c in (False, True))):
                if scale:
                    w = _signed_logistic(a, y_train.astype(float), signs)
                    score = b @ w[:-1]
                else:
                    estimator = clone(CANDIDATES[model][1]).set_params(
                        random_state=42, monotonic_cst=signs.astype(int)
                    )
                    score = estimator.fit(a, y_train).decision_function(b)
                aucs.append(f"{roc_auc_score(y_test, score):.4f}")
            count = int(np.abs(_signs(schema, names, True)).sum())
            cells.append(f"{model}: {' / '.join(aucs)}")
        print(f"  {name:32} {'; '.join(cells)}   ({count} encoded inputs constrained)")
