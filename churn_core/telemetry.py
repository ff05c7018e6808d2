"""Structured event logs: one JSON object per line on stdout, which is Heroku's log stream.

Events carry sizes (rows, columns, bytes), timings, model versions, problem codes and hashes,
never a customer's values, a column name or a file name: logs leave the building (log
drains, support tickets), customer data must not. Anything that identifies a thing (a session,
a file) is logged as :func:`hash_id` of it.

>>> record = format_event("upload", rows=5000, seconds=0.1234567)
>>> sorted(record)
['event', 'rows', 'seconds', 'time']
>>> record["seconds"]
0.1235
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

LOGGER_NAME = "churn_workbench.events"
#: Decimals kept for float fields (seconds, scores).
DECIMALS = 4

Scalar = str | int | float | bool | None


class _StdoutHandler(logging.StreamHandler[Any]):
    """Writes to whatever ``sys.stdout`` is when a record is emitted (tests capture it)."""

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = _StdoutHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # one line per event, not repeated by a root handler
    return logger


def hash_id(value: str | bytes) -> str:
    """A short, stable stand-in for an identifier: 12 hex digits of its SHA-256.

    >>> hash_id("session-1")
    '84097828fc31'
    """
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return hashlib.sha256(raw).hexdigest()[:12]


def format_event(event: str, **fields: Scalar | Sequence[Scalar]) -> dict[str, Any]:
    """The record for one event: its name, a UTC time, then the fields (floats rounded)."""
    record: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": event,
    }
    for key, value in fields.items():
        record[key] = round(value, DECIMALS) if isinstance(value, float) else value
    return record


def log_event(event: str, **fields: Scalar | Sequence[Scalar]) -> None:
    """Write one event as a JSON line on stdout; logging never breaks the caller."""
    try:
        _logger().info(json.dumps(format_event(event, **fields), default=str))
    except Exception:  # a log line is never worth a failed upload
        logging.getLogger(__name__).debug("Could not log %s", event, exc_info=True)
