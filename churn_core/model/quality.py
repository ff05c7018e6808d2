"""How good the model is, in plain words first: "catches 7 of 10 leavers in its riskiest 20 %".

The sentence comes from the held-out customers the model never saw in training: sort them by
churn probability, take the riskiest 20 %, and count the share of all leavers among them (the
*recall in the top 20 %*). A random 20 % would catch 2 in 10, so the sentence says that too.
ROC-AUC, PR-AUC, Brier and F1 stay available for analysts (``for_analysts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from churn_core.model.churn_model import ChurnModel
from churn_core.model.metrics import TOP_SHARE, get_top_share_recall

#: Held-out numbers shown behind "for analysts", in this order, with their names.
ANALYST_METRICS: dict[str, str] = {
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
    "brier": "Brier",
    "top_decile_lift": "Top-10% lift",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
}


@dataclass(frozen=True)
class QualityReading:
    """The model's quality as a sentence, with the numbers behind it.

    Attributes
    ----------
    sentence : str
        "Catches 7 of 10 leavers in its riskiest 20 % of customers (a random 20 % would catch
        2); checked on 1,000 customers it never saw."
    caught : float
        Recall in the riskiest ``share`` of held-out customers (NaN when unknown).
    share : float
        The share of customers the sentence is about.
    test_customers : int
        Held-out customers it was measured on.
    for_analysts : dict
        ROC-AUC, PR-AUC, Brier, top-10 % lift, precision, recall and F1, by display name.
    """

    sentence: str
    caught: float
    share: float
    test_customers: int
    for_analysts: dict[str, float] = field(default_factory=dict)


def describe_quality(model: ChurnModel, share: float = TOP_SHARE) -> QualityReading:
    """The model's held-out quality in plain words (see the module docstring).

    Uses the held-out scores saved with the model (every bundle this app writes keeps them);
    without them, ROC-AUC from the card in words.
    """
    card: dict[str, Any] = model.card
    metrics = card.get("metrics", {})
    tested = int(card.get("data", {}).get("test_rows", 0))
    caught = float("nan")
    if model.evaluation is not None:
        caught = get_top_share_recall(model.evaluation.y_test, model.evaluation.p_test, share)
        tested = len(model.evaluation.y_test)
    analysts = {
        shown: float(metrics[key]) for key, shown in ANALYST_METRICS.items() if key in metrics
    }
    return QualityReading(
        describe_catch(caught, share, tested, metrics.get("roc_auc")),
        caught,
        share,
        tested,
        analysts,
    )


def describe_catch(
    caught: float, share: float, tested: int = 0, roc_auc: float | None = None
) -> str:
    """The sentence for a recall in the top ``share``: "Catches 7 of 10 leavers in ...".

    >>> describe_catch(0.704, 0.2, 1000)
    'Catches 7 of 10 leavers in its riskiest 20 % of customers (a random 20 % would catch 2); checked on 1,000 customers it never saw.'
    >>> describe_catch(float("nan"), 0.2, 0, roc_auc=0.8)
    'Ranks a customer who left above one who stayed 8 times in 10, on customers it never saw.'
    """  # noqa: E501
    where = (
        f"checked on {tested:,} customers it never saw" if tested else "on customers it never saw"
    )
    if np.isnan(caught):
        if roc_auc is None or np.isnan(roc_auc):
            return "Its quality on customers it never saw is not known."
        return (
            f"Ranks a customer who left above one who stayed {round(10 * roc_auc):.0f} times in "
            "10, on customers it never saw."
        )
    tenths = round(10 * caught)
    percent = f"{share:.0%}".replace("%", " %")
    if tenths >= 10:
        head = f"Catches nearly every leaver ({caught:.0%}) in its riskiest {percent} of customers"
    elif tenths <= 0:
        head = f"Catches fewer than 1 in 10 leavers in its riskiest {percent} of customers"
    else:
        head = f"Catches {tenths} of 10 leavers in its riskiest {percent} of customers"
    return f"{head} (a random {percent} would catch {round(10 * share)}); {where}."
