"""The model card in words and tables: the leaderboard and what each metric means."""

from __future__ import annotations

from typing import Any

import pandas as pd

#: One line per metric, for users who are not data scientists.
METRIC_DEFINITIONS: dict[str, str] = {
    "ROC-AUC": "how often the model ranks a customer who left above one who stayed "
    "(0.5 = coin flip, 1 = perfect)",
    "PR-AUC": "how clean the top of the list is: high when the flagged are mostly real leavers",
    "Brier": "average squared gap between the predicted chance and what happened (lower is better)",
    "Top-10% lift": "how many times more leavers the top 10 % of the list holds than a random 10 %",
    "Precision": "of the customers flagged, the share who really left",
    "Recall": "of the customers who left, the share the model flagged",
    "F1": "a balance of precision and recall (higher is better)",
}


def get_leaderboard(card: dict[str, Any]) -> pd.DataFrame:
    """Every candidate, the one-rule baseline and any other benchmark on the card (a log's
    BG/NBD P(alive)), judged on the same held-out customers."""
    rows = []
    for entry in card["leaderboard"]:
        rows.append(
            _row(
                entry["name"] + (" (in use)" if entry.get("chosen") else ""),
                entry["test"],
                entry["cv_roc_auc"],
            )
        )
    baseline = card["baseline"]
    rows.append(_row(f"One-rule baseline: {baseline['rule']}", baseline["test"], None))
    for benchmark in card.get("benchmarks", []):  # e.g. a log's BG/NBD P(alive)
        rows.append(_row(benchmark["name"], benchmark["test"], None))
    return pd.DataFrame(rows)


def get_derived_df(card: dict[str, Any]) -> pd.DataFrame:
    """The columns found to follow from others: how, and what the model does with each.

    >>> card = {"derived": [{"column": "TotalCharges", "in_model": False,
    ...          "description": "TotalCharges is a running total: about tenure x MonthlyCharges"}]}
    >>> get_derived_df(card).iloc[0].tolist()[2]
    'Left out (the default)'
    """
    rows = [
        {
            "Column": d["column"],
            "How it follows from others": d.get("description", ""),
            "In the model": (
                "Kept by your choice: used for scoring, never a lever or a reason to act on"
                if d.get("in_model")
                else "Left out (the default)"
            ),
        }
        for d in card.get("derived", [])
    ]
    return pd.DataFrame(rows, columns=["Column", "How it follows from others", "In the model"])


def _row(name: str, test: dict[str, float], cv_auc: float | None) -> dict[str, Any]:
    return {
        "Model": name,
        # text, so the baseline (never cross-validated) reads "–" rather than a blank number
        "Cross-validated ROC-AUC": f"{cv_auc:.3f}" if cv_auc is not None else "–",
        "ROC-AUC": test["roc_auc"],
        "PR-AUC": test["pr_auc"],
        "Brier": test["brier"],
        "Top-10% lift": test["top_decile_lift"],
        "Precision": test["precision"],
        "Recall": test["recall"],
        "F1": test["f1"],
    }


def describe_model(card: dict[str, Any]) -> str:
    """One sentence for the sidebar and Home: which model, learned from what, how good."""
    metrics = card["metrics"]
    data = card["data"]
    learned = data["rows_with_label"] - data["test_rows"]
    return (
        f"{card['model']['name']} learned from {learned:,} customers; on {data['test_rows']:,} "
        f"it never saw, ROC-AUC {metrics['roc_auc']:.2f} (one-rule baseline "
        f"{card['baseline']['test']['roc_auc']:.2f})"
    )


def describe_value(card: dict[str, Any]) -> str:
    """How the model values a customer, in words (the at-risk list's ``customer_value``)."""
    value = card["value"]
    revenue = value.get("revenue_column")
    if card.get("log", {}).get("value") == "btyd_clv":  # a log model (churn_core.logs.scoring)
        return (
            "their lifetime value from BG/NBD and Gamma-Gamma: the purchases they are expected "
            "to make x their expected spend per purchase, with the CLV assumptions of the "
            "Retention & CLV page"
        )
    if not revenue:
        return "unknown (no monthly revenue column), so the list is ranked by probability"
    if value.get("kind") == "clv":
        a = value["clv_assumptions"]
        return (
            f"their lifetime value: {a['margin']:.0%} margin on {revenue} over the months they "
            f"are expected to stay (up to {a['horizon_months']}), discounted "
            f"{a['annual_discount_rate']:.0%} a year"
        )
    return f"{value['months']} months of {revenue}"
