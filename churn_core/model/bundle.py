"""Saving and loading model bundles: ``models/<name>/model.joblib`` + ``model.json`` (the card).

A joblib file can run code when loaded, so only bundles this app wrote are ever loaded: the card
records the format and the SHA-256 of the joblib file, and both are checked before unpickling.
There is no way to upload a model in the app. ``dump_model``/``load_model_bytes`` do the same
with bytes, for the workspace database (which also checks a signature before loading).
"""

from __future__ import annotations

import hashlib
import io
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import joblib
import pandas as pd

from churn_core.errors import ChurnDataError, Problem, join_words
from churn_core.model.churn_model import FORMAT, FORMAT_VERSION, ChurnModel
from churn_core.schema import FeatureSchema, Profile

MODEL_FILE = "model.joblib"
CARD_FILE = "model.json"


def dump_model(model: ChurnModel) -> tuple[bytes, dict[str, Any]]:
    """The bundle as bytes and its card (with the SHA-256 of those bytes), for a database."""
    payload = {
        "pipeline": model.pipeline,
        "slope": model.slope,
        "intercept": model.intercept,
        "evaluation": model.evaluation,
        "reference": model.reference,
    }
    buffer = io.BytesIO()
    joblib.dump(payload, buffer, compress=3)
    data = buffer.getvalue()
    return data, {**model.card, "sha256": hashlib.sha256(data).hexdigest()}


def save_model(model: ChurnModel, folder: str | Path) -> Path:
    """Write the bundle; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data, card = dump_model(model)
    (folder / MODEL_FILE).write_bytes(data)
    (folder / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return folder


def read_card(folder: str | Path) -> dict[str, Any]:
    """The model card alone (cheap: no unpickling)."""
    path = Path(folder) / CARD_FILE
    if not path.is_file():
        raise _error(
            f'No model card ({CARD_FILE}) in "{folder}".',
            "Train a model first, or point to a folder written by this app.",
            "no_model",
        )
    try:
        card: dict[str, Any] = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise _error(
            f'The model card in "{folder}" is damaged ({exc.msg}).',
            "Train the model again.",
            "bad_model",
        ) from exc
    return card


def load_model(folder: str | Path) -> ChurnModel:
    """Load a bundle this app wrote, after checking format, integrity and library versions."""
    folder = Path(folder)
    card = read_card(folder)
    joblib_path = folder / MODEL_FILE
    data = joblib_path.read_bytes() if joblib_path.is_file() else b""
    return load_model_bytes(data, card, where=f'"{folder}"')


def load_model_bytes(
    data: bytes, card: dict[str, Any], *, where: str = "this bundle"
) -> ChurnModel:
    """Load a bundle from its bytes and card, after checking format, integrity and versions.

    ``where`` names the bundle in messages (a quoted folder, or "workspace model 3").
    """
    if card.get("format") != FORMAT or card.get("format_version") != FORMAT_VERSION:
        raise _error(
            f"{where[:1].upper()}{where[1:]} was not written by this version of Churn Workbench.",
            "Train the model again with this app.",
            "bad_model",
        )
    if not data or hashlib.sha256(data).hexdigest() != card.get("sha256"):
        raise _error(
            f"The model file in {where} does not match its card: it was changed or not "
            "written by this app, so it is not loaded.",
            "Train the model again with this app.",
            "bad_model",
        )
    trained_with = card.get("versions", {}).get("scikit-learn")
    if trained_with != version("scikit-learn"):
        raise _error(
            f"This model was trained with scikit-learn {trained_with}; this app runs "
            f"{version('scikit-learn')}.",
            "Train the model again.",
            "model_version",
        )
    payload = joblib.load(io.BytesIO(data))
    return ChurnModel(
        payload["pipeline"],
        payload["slope"],
        payload["intercept"],
        FeatureSchema.from_dict(card["features"]),
        card,
        payload.get("evaluation"),
        payload.get("reference"),
    )


def check_columns(model: ChurnModel, frame: pd.DataFrame) -> None:
    """Raise a clear error when the file lacks columns the model needs.

    The model cannot score without them: it learned from every one, and filling one in as
    unknown would move every customer's score by what that column says. The message names
    the missing columns, the file's columns the model never saw, and a likely rename.
    """
    needed = list(model.schema.columns)
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        known = set(needed) | {model.label_column, model.id_column}
        known |= {entry["column"] for entry in model.card.get("excluded", [])}
        new = [c for c in frame.columns if c not in known]
        new_text = f" New: {join_words(new[:10])}." if new else ""
        spelled = {_spelling(str(c)): str(c) for c in new}
        renames = [f"{spelled[_spelling(c)]} to {c}" for c in missing if _spelling(c) in spelled]
        rename = (
            f"Rename {join_words(renames)} (as in the training file)"
            if renames
            else "Rename the columns as the training file named them"
        )
        raise _error(
            f"This file's columns don't match the saved model. Missing: {join_words(missing)}."
            f"{new_text} The model needs every column it learned from, so it cannot score "
            "this file without them.",
            f"{rename}, add the missing ones to the file, or retrain on a file that has them.",
            "columns_differ",
        )


def _spelling(name: str) -> str:
    """A column name without case, spaces or punctuation: ``"Monthly charges"`` ->
    ``"monthlycharges"``."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def get_mismatches(model: ChurnModel, frame: pd.DataFrame, profile: Profile) -> list[Problem]:
    """Why ``model`` cannot score this table as its profile now reads it (empty when it can):
    columns the model needs are missing, or the label now says something else means "left"
    than the model learned (the user changed the label or its churned value since training).
    """
    try:
        check_columns(model, frame)
    except ChurnDataError as error:
        return error.problems
    label, mapping = profile.label_column, profile.label_mapping
    learned = model.card["label"]
    if not label or mapping is None:
        return []
    own = frame.get(learned["column"])
    if own is None or own.isna().all():
        # This month's customers: no outcome yet under the model's label, so nothing here can
        # contradict what the model learned (whatever the profile guessed as a label).
        return []
    if (label, mapping.churned_value) == (learned["column"], learned["churned_value"]):
        return []
    return [
        Problem(
            f'The model in use learned that {learned["column"]} = "{learned["churned_value"]}" '
            f'means a customer left; this data now says {label} = "{mapping.churned_value}".',
            column=label,
            fix="Train on this data so the model and your roles agree.",
            code="label_changed",
        )
    ]


def _error(message: str, fix: str, code: str) -> ChurnDataError:
    return ChurnDataError([Problem(message, fix=fix, code=code)])
