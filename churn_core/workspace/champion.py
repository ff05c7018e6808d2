"""Champion and challenger: a new model and the one in use, judged on the same customers.

The new model's held-out customers (found again from its data and card) are scored by both,
so the figures side by side answer "is the new one better?" fairly. When the model in use
cannot score them (other columns, another label), the comparison says why instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from churn_core.errors import ChurnDataError
from churn_core.model import ChurnModel, check_columns, get_held_out_positions, get_metrics
from churn_core.schema import churn_indicator
from churn_core.workspace.database import Workspace
from churn_core.workspace.datasets import read_dataset
from churn_core.workspace.registry import get_model_in_use, get_model_record, load_registered_model

#: Columns of the comparison, as the page shows them.
FIGURES = {
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
    "brier": "Brier",
    "top_decile_lift": "Top-10% lift",
}
SHARE_FLAGGED = "Share flagged"
#: ROC-AUC differences smaller than this are called a tie.
TIE = 0.005


@dataclass(frozen=True)
class Comparison:
    """The two models' figures side by side (one row each), or why they could not be compared."""

    frame: pd.DataFrame
    customers: int = 0
    summary: str = ""
    caveat: str = ""
    reason: str = ""

    @property
    def compared(self) -> bool:
        return not self.reason


def compare_models(challenger: ChurnModel, champion: ChurnModel, frame: pd.DataFrame) -> Comparison:
    """Score the challenger's held-out customers of ``frame`` (the data it learned from) with
    both models; the frame has one row per model: ROC-AUC, PR-AUC, Brier, top-10 % lift and
    the share each would flag at its own threshold."""
    try:
        positions = get_held_out_positions(frame, challenger.card)
    except ChurnDataError as error:
        return _not_compared(challenger, str(error))
    learned, label = champion.card["label"], challenger.card["label"]
    if (learned["column"], learned["churned_value"]) != (label["column"], label["churned_value"]):
        return _not_compared(
            challenger,
            f'The model in use predicts {learned["column"]} = "{learned["churned_value"]}"; '
            f'the new one {label["column"]} = "{label["churned_value"]}", so their figures do '
            "not measure the same thing.",
        )
    held_out = frame.iloc[positions]
    try:
        check_columns(champion, held_out)
        p_champion = champion.predict_proba(held_out)
    except ChurnDataError as error:
        return _not_compared(challenger, f"The model in use cannot score this data: {error}")
    p_challenger = challenger.predict_proba(held_out)
    y = churn_indicator(held_out[label["column"]], challenger.label_mapping).to_numpy(bool)
    table = pd.DataFrame(
        [
            _row(f"In use: {champion.name}", y, p_champion, champion.threshold),
            _row(f"New: {challenger.name}", y, p_challenger, challenger.threshold),
        ]
    )
    auc = table[FIGURES["roc_auc"]].astype(float).tolist()
    return Comparison(
        table,
        customers=len(positions),
        summary=_summary(len(positions), auc[0], auc[1]),
        caveat=_caveat(challenger, champion),
    )


def compare_with_model_in_use(workspace: Workspace, model_id: int) -> Comparison:
    """Compare a kept model with the one in use for its kind of data (see ``compare_models``)."""
    record = get_model_record(workspace, model_id)
    challenger = load_registered_model(workspace, model_id)
    in_use = get_model_in_use(workspace, record.kind)
    if in_use is None:
        return _not_compared(challenger, "No model is in use for this kind of data yet.")
    if in_use.id == record.id:
        return _not_compared(challenger, "This model is the one in use.")
    if record.dataset_id is None:
        return _not_compared(
            challenger,
            "The data this model learned from was deleted, so its held-out "
            "customers cannot be scored again.",
        )
    loaded = read_dataset(workspace, record.dataset_id)
    champion = load_registered_model(workspace, in_use.id)
    return compare_models(challenger, champion, loaded.table.frame)


def _row(name: str, y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, object]:
    metrics = get_metrics(y, p, threshold)
    return {
        "Model": name,
        **{title: metrics[key] for key, title in FIGURES.items()},
        SHARE_FLAGGED: metrics["flagged"] / len(y) if len(y) else float("nan"),
    }


def _not_compared(challenger: ChurnModel, reason: str) -> Comparison:
    """The new model's own held-out figures (from its card), and why nothing stands beside them."""
    metrics = challenger.card["metrics"]
    test_rows = challenger.card["data"]["test_rows"]
    row = {
        "Model": f"New: {challenger.name}",
        **{title: metrics.get(key) for key, title in FIGURES.items()},
        SHARE_FLAGGED: metrics.get("flagged", 0) / test_rows if test_rows else float("nan"),
    }
    return Comparison(pd.DataFrame([row]), reason=reason)


def _summary(customers: int, auc_champion: float, auc_challenger: float) -> str:
    figures = f"ROC-AUC {auc_challenger:.3f} against {auc_champion:.3f}"
    if abs(auc_challenger - auc_champion) < TIE:
        verdict = "both models rank leavers about as well"
    elif auc_challenger > auc_champion:
        verdict = "the new model ranks leavers better"
    else:
        verdict = "the model in use ranks leavers better"
    return f"On the same {customers:,} held-out customers, {verdict} ({figures})."


def _caveat(challenger: ChurnModel, champion: ChurnModel) -> str:
    """Empty when the model in use held out the very same customers (same data, same seed)."""
    same_data = champion.card["data"].get("fingerprint") == challenger.card["data"].get(
        "fingerprint"
    )
    if same_data and champion.card["model"]["seed"] == challenger.card["model"]["seed"]:
        return ""
    return (
        "The model in use learned from other data; if some of these customers were in it, "
        "its figures here are flattering."
    )
