"""A model for this file, or none: what a page shows when the model in use cannot score the data.

After an upload whose columns the model in use did not learn from (the bundled one learned from
the sample), a page that needs churn probabilities shows nothing of that model: it says so in
plain words and offers one button, **Train on this data**. Every page makes that offer through
:func:`offer_training`, so how training runs (now, or on a queue) changes in one place.
"""

from __future__ import annotations

import streamlit as st

from churn_core.errors import Problem
from churn_core.model import ChurnModel
from ui.feedback import escape_markdown, show_problems
from ui.model_state import current_model, mismatch
from ui.state import Dataset
from ui.training_state import ask_for_training, can_train, show_training

TRAIN_LABEL = "Train on this data"


def model_for(dataset: Dataset) -> ChurnModel | None:
    """The model in use when it can score ``dataset`` as its roles now read; else None."""
    model = current_model()
    if model is None or mismatch(model, dataset):
        return None
    return model


def describe_no_model(dataset: Dataset) -> str:
    """Why there is no model for this data, in plain words (never naming the sample's model)."""
    model = current_model()
    problems: list[Problem] = [] if model is None else mismatch(model, dataset)
    if problems and problems[0].code == "label_changed":
        return f"{escape_markdown(problems[0].message)} A model for these roles is needed."
    if model is None or problems:
        return f"No churn model has learned from **{escape_markdown(dataset.name)}**'s columns yet."
    return ""


def offer_training(dataset: Dataset, needs: str, *, key: str = "train_offer") -> None:
    """Say that there is no model for this data and what ``needs`` one (a sentence: "Scoring
    a customer needs one."), with one button that queues a training on it (its place in the
    queue and progress shown; the page uses the new model when it is done).

    When the data cannot be trained on (no churn label, ...), the problems are listed instead,
    with where to fix them.
    """
    text = f"{describe_no_model(dataset)} {needs}"
    if dataset.profile.problems:
        st.info(text, icon=":material/info:")
        show_problems(dataset.profile.problems, "Fix these on the Data page, then train")
        return
    words, button = st.columns([3, 1], vertical_alignment="center")
    words.info(
        f"{text} Press **{TRAIN_LABEL}**: the model learns from this file's own customers "
        "(trainings run one at a time for everyone; you can leave the page meanwhile) and "
        "every page then uses it.",
        icon=":material/model_training:",
    )
    button.button(
        TRAIN_LABEL,
        type="primary",
        icon=":material/model_training:",
        key=key,
        disabled=not can_train(dataset),
        on_click=ask_for_training,
        args=(dataset,),
    )
    show_training(dataset)
