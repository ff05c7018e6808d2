"""The workspace's tables (the newest schema; ``migrations/`` builds it step by step).

Large bytes (uploads, model bundles, lists) are deferred columns: listing what is kept never
reads them. JSON is stored as text written by Python's ``json`` (NaN included), so what is
signed or compared is exactly what was written, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: Constraint names Alembic can find again on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class JsonText(TypeDecorator[Any]):
    """A JSON value kept as text, exactly as ``json.dumps`` wrote it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


def now() -> datetime:
    """The time a record is written, in UTC."""
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without its time zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Dataset(Base):
    """An uploaded file, compressed, with the user's choices about its columns."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    digest: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the file
    sheet: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), server_default="ready")
    problem: Mapped[str | None] = mapped_column(Text)
    rows: Mapped[int | None] = mapped_column(Integer)
    columns: Mapped[int | None] = mapped_column(Integer)
    column_names: Mapped[list[str]] = mapped_column(JsonText)
    label_column: Mapped[str | None] = mapped_column(String(255))
    roles: Mapped[dict[str, str]] = mapped_column(JsonText)
    churned_value: Mapped[str | None] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    stored_bytes: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Model(Base):
    """A trained model: its signed bundle and its card."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="SET NULL"), index=True
    )
    dataset_name: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    label_column: Mapped[str] = mapped_column(String(255))
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    metrics: Mapped[dict[str, Any]] = mapped_column(JsonText)
    card: Mapped[str] = mapped_column(Text, deferred=True)
    bundle: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    signature: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)


class ModelInUse(Base):
    """The one model in use for each kind of data."""

    __tablename__ = "models_in_use"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"), unique=True)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AtRiskList(Base):
    """An at-risk list as it was delivered: compressed CSV rows and how they were chosen."""

    __tablename__ = "at_risk_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="SET NULL"), index=True
    )
    model_id: Mapped[int | None] = mapped_column(
        ForeignKey("models.id", ondelete="SET NULL"), index=True
    )
    data_name: Mapped[str] = mapped_column(String(255))
    model_name: Mapped[str] = mapped_column(String(100))
    #: The model's kind of data, kept when the model is deleted (None: no workspace model).
    kind: Mapped[str | None] = mapped_column(String(16), index=True)
    policy: Mapped[dict[str, Any]] = mapped_column(JsonText)
    threshold: Mapped[float | None] = mapped_column(Float)
    rows: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[int] = mapped_column(Integer)
    expected_churners: Mapped[float] = mapped_column(Float)
    id_column: Mapped[str] = mapped_column(String(255))
    dtypes: Mapped[dict[str, str]] = mapped_column(JsonText)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    stored_bytes: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class ListCheck(Base):
    """A delivered list checked against who really left (one per list; a new check replaces
    it): each listed customer's outcome and the record's headline figures."""

    __tablename__ = "list_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("at_risk_lists.id", ondelete="CASCADE"), unique=True
    )
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    later_name: Mapped[str] = mapped_column(String(255))
    label_column: Mapped[str | None] = mapped_column(String(255))
    missing_means_left: Mapped[bool] = mapped_column(Boolean)
    matched: Mapped[int] = mapped_column(Integer)
    population: Mapped[int] = mapped_column(Integer)
    base_rate: Mapped[float | None] = mapped_column(Float)
    listed: Mapped[int] = mapped_column(Integer)
    unknown: Mapped[int] = mapped_column(Integer)
    expected_churners: Mapped[float] = mapped_column(Float)
    actual_churners: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[int] = mapped_column(Integer)
    flagged_expected: Mapped[float] = mapped_column(Float)
    flagged_actual: Mapped[int] = mapped_column(Integer)
    precision: Mapped[float | None] = mapped_column(Float)
    lift: Mapped[float | None] = mapped_column(Float)
    #: Each listed customer's outcome in list order: true left, false stayed, null unknown.
    outcomes: Mapped[list[bool | None]] = mapped_column(JsonText, deferred=True)


class Setting(Base):
    """A saved choice (action plan, plays, CLV assumptions, segments): JSON by name and scope."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    scope: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JsonText, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LastUsed(Base):
    """One row: the data and the model in use last, so the app opens on them."""

    __tablename__ = "last_used"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id", ondelete="SET NULL"))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TrainingJob(Base):
    """A training waiting, running or finished; the queue runs them one at a time, by id."""

    __tablename__ = "training_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="SET NULL"), index=True
    )
    params: Mapped[dict[str, Any]] = mapped_column(JsonText)
    submitted_by: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    progress: Mapped[float] = mapped_column(Float, server_default="0")
    message: Mapped[str] = mapped_column(String(255), server_default="")
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)
