"""Model quality with zero configuration on every dataset we have: held-out numbers."""

from __future__ import annotations

from pathlib import Path

from churn_core.io import read_table
from churn_core.model import fit_churn_model
from churn_core.schema import profile_table

ROOT = Path(__file__).resolve().parents[1]
DATASETS = {
    "bank (public, Churn_Modelling.csv)": ROOT.parent
    / "shared/data/bank_churn/Churn_Modelling.csv",
    "sample (bundled)": ROOT / "data/sample_customers.csv",
}


def print_quality() -> None:
    print("\nquality: zero configuration, held-out test split (20 %), seed 42")
    print(
        f"{'dataset':38} {'chosen':22} {'ROC-AUC':>8} {'PR-AUC':>7} {'Brier':>6} "
        f"{'lift@10%':>8} {'baseline ROC-AUC':>16}"
    )
    for name, path in DATASETS.items():
        if not path.exists():
            print(f"{name:38} (missing: {path})")
            continue
        table = read_table(path, max_mb=None)
        card = fit_churn_model(table.frame, profile_table(table.frame)).card
        m = card["metrics"]
        print(
            f"{name:38} {card['model']['name']:22} {m['roc_auc']:8.3f} {m['pr_auc']:7.3f} "
            f"{m['brier']:6.3f} {m['top_decile_lift']:8.2f} "
            f"{card['baseline']['test']['roc_auc']:16.3f}"
        )
