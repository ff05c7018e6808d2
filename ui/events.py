"""What the app logs about uploads, trainings and scorings (see ``churn_core/telemetry.py``).

Each is a decorator on the one function in ``ui/`` that does the work, so the log line is a
single line there: ``@logs_upload`` on ``ui.state.use_upload``, ``@logs_training`` on the
training queue's trainer (``ui.training_state``) and ``@logs_scoring`` on the cached scorer in
``ui.model_state``.
Fields are sizes, timings, model versions, problem codes and hashes: never customer values.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from churn_core.errors import ChurnDataError
from churn_core.telemetry import hash_id, log_event

_SESSION_ID = "log_session_id"
F = TypeVar("F", bound=Callable[..., Any])


def session_hash() -> str:
    """This browser session, hashed: a random id kept in the session's state, so the logs can
    tell sessions apart without naming anyone (a new one after log-out)."""
    return hash_id(st.session_state.setdefault(_SESSION_ID, uuid.uuid4().hex))


def _is_model(value: object) -> bool:
    """A ChurnModel, known by its card (importing the class would load scikit-learn before
    the login form: that page should stay light)."""
    return isinstance(getattr(value, "card", None), dict)


def _model_fields(model: Any) -> dict[str, Any]:
    card = model.card
    return {
        "model": card["model"]["name"],
        "model_format": card.get("format"),
        "model_format_version": card.get("format_version"),
        "model_trained_at": card.get("trained_at"),
        "model_data": hash_id(str(card["data"].get("fingerprint"))),
        "sklearn": card.get("versions", {}).get("scikit-learn"),
    }


def _refused(event: str, error: ChurnDataError, started: float, **fields: Any) -> None:
    log_event(
        event,
        status="refused",
        problems=len(error.problems),
        codes=sorted({p.code for p in error.problems if p.code}),
        seconds=time.perf_counter() - started,
        session=session_hash(),
        **fields,
    )


def logs_upload(fn: F) -> F:
    """Log ``use_upload(raw, name, sheet)``: bytes, rows, columns, problems, seconds (status
    ``reading`` when the file is still being read in the background)."""

    @functools.wraps(fn)
    def wrapper(raw: bytes, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            dataset = fn(raw, *args, **kwargs)
        except ChurnDataError as error:
            _refused("upload", error, started, bytes=len(raw))
            raise
        if dataset is None:
            log_event(
                "upload",
                status="reading",
                bytes=len(raw),
                seconds=time.perf_counter() - started,
                session=session_hash(),
            )
            return dataset
        log_event(
            "upload",
            status="ok",
            bytes=len(raw),
            rows=int(dataset.frame.shape[0]),
            columns=int(dataset.frame.shape[1]),
            problems=len(dataset.profile.problems),
            warnings=len(dataset.profile.warnings),
            seconds=time.perf_counter() - started,
            dataset=hash_id(dataset.digest),
            session=session_hash(),
        )
        return dataset

    return wrapper  # type: ignore[return-value]


def logs_training(fn: F) -> F:
    """Log a training: the queue's ``trainer(workspace, job, progress)`` in its thread (the
    session that asked was hashed when the job was submitted), or a page's
    ``train(dataset, ...)`` (a log's, on the churn window the user chose): the data's size, the
    model chosen, its AUC, seconds."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        job = next((a for a in args if hasattr(a, "submitted_by")), None)
        who = (
            {"session": job.submitted_by, "job": job.id}
            if job is not None
            else {"session": session_hash()}
        )
        try:
            model = fn(*args, **kwargs)
        except ChurnDataError as error:
            log_event(
                "training",
                status="refused",
                problems=len(error.problems),
                codes=sorted({p.code for p in error.problems if p.code}),
                seconds=time.perf_counter() - started,
                **who,
            )
            raise
        data = model.card["data"]
        log_event(
            "training",
            status="ok",
            rows=int(data.get("rows", 0) or 0),
            features=len(model.schema.columns),
            roc_auc=float(model.card["metrics"]["roc_auc"]),
            seconds=time.perf_counter() - started,
            dataset=hash_id(str(data.get("fingerprint"))),
            **who,
            **_model_fields(model),
        )
        return model

    return wrapper  # type: ignore[return-value]


def logs_scoring(fn: F) -> F:
    """Log a scorer called with a model and a DataFrame and returning ``CustomerScores``: rows,
    customers who already left, seconds, model."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = [*args, *kwargs.values()]
        model = next((v for v in values if _is_model(v)), None)
        frame = next((v for v in values if isinstance(v, pd.DataFrame)), None)
        started = time.perf_counter()
        scored = fn(*args, **kwargs)
        log_event(
            "scoring",
            status="ok",
            rows=int(frame.shape[0]) if frame is not None else None,
            columns=int(frame.shape[1]) if frame is not None else None,
            already_left=int(scored.left.sum()),
            seconds=time.perf_counter() - started,
            session=session_hash(),
            **(_model_fields(model) if model is not None else {}),
        )
        return scored

    return wrapper  # type: ignore[return-value]
