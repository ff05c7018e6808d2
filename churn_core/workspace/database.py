"""Where the workspace lives and how it is reached: the URL, the engine, the migrations.

- ``DATABASE_URL`` set: that database (PostgreSQL; Heroku's ``postgres://`` form is accepted).
- Otherwise a SQLite file, ``workspace/workspace.db`` at the project root (the folder is
  ``WORKSPACE_DIR`` when set), so ``make run`` needs no set-up.

Migrations run on start (:func:`open_workspace` calls :func:`upgrade`), under a lock, so an old
database is brought up to date before anything reads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from churn_core.errors import ChurnDataError
from churn_core.workspace.faults import refuse, translate_faults
from churn_core.workspace.limits import Limits
from churn_core.workspace.signing import load_secret_key

if TYPE_CHECKING:
    from alembic.config import Config

URL_VARIABLE = "DATABASE_URL"
FOLDER_VARIABLE = "WORKSPACE_DIR"
DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "workspace"
DATABASE_FILE = "workspace.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Seconds to wait for a connection (PostgreSQL) or for a SQLite writer to finish.
CONNECT_TIMEOUT = 5
SQLITE_BUSY_TIMEOUT = 30
#: Any number: PostgreSQL's advisory lock that keeps two servers from migrating at once.
MIGRATION_LOCK = 7_301_966


def get_workspace_folder() -> Path:
    """The folder for the SQLite file and the local signing key (``WORKSPACE_DIR``)."""
    return Path(os.environ.get(FOLDER_VARIABLE) or DEFAULT_FOLDER)


def resolve_url(url: str | None = None, *, folder: Path | None = None) -> URL:
    """The database to use: ``url``, else ``DATABASE_URL``, else the local SQLite file.

    ``postgres://`` and ``postgresql://`` (Heroku's forms) use the psycopg 3 driver.
    """
    text = (url or os.environ.get(URL_VARIABLE) or "").strip()
    if not text:
        folder = folder or get_workspace_folder()
        return URL.create("sqlite", database=str(folder / DATABASE_FILE))
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            text = "postgresql+psycopg://" + text.removeprefix(prefix)
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError):  # e.g. a port that is not a number
        raise refuse(
            "The workspace database URL cannot be read.",
            "Write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE or sqlite:///FILE.",
            "bad_database_url",
        ) from None
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise refuse(
            f"The workspace keeps its data in PostgreSQL or SQLite, not "
            f"{parsed.get_backend_name()}.",
            "Set DATABASE_URL to a postgresql://... URL, or unset it to use a local file.",
            "bad_database_url",
        )
    return parsed


def describe_url(url: URL) -> str:
    """The database in words for messages, never with its password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    port = f":{url.port}" if url.port else ""
    return f"PostgreSQL at {url.host or 'localhost'}{port}/{url.database or ''}"


def create_workspace_engine(url: URL) -> Engine:
    """An engine with pool settings that suit the database (and survive its restarts)."""
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False},
            pool_size=5,
            max_overflow=5,
        )
        _take_over_sqlite_transactions(engine)
        return engine
    # Heroku's smallest Postgres plans allow 20 connections; a dyno keeps at most 10.
    return create_engine(
        url,
        pool_size=5,
        max_overflow=5,
        pool_timeout=CONNECT_TIMEOUT * 2,
        pool_pre_ping=True,  # a connection from before a database restart is replaced
        pool_recycle=1800,
        connect_args={"connect_timeout": CONNECT_TIMEOUT, "application_name": "churn-workbench"},
    )


def _take_over_sqlite_transactions(engine: Engine) -> None:
    """Real transactions on SQLite: foreign keys on, WAL (readers never wait for a writer),
    and writes begun IMMEDIATE, so two writers queue instead of failing halfway."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = connection.get_execution_options().get("workspace_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def upgrade(target: str | URL | Engine, revision: str = "head") -> None:
    """Bring the database's schema to ``revision`` (the newest by default), in one transaction.

    Raises ChurnDataError when the database cannot be reached.
    """
    from alembic import command  # alembic takes half a second to import: only when migrating

    _migrate(target, command.upgrade, revision)


def downgrade(target: str | URL | Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (to run an older release on this database)."""
    from alembic import command

    _migrate(target, command.downgrade, revision)


def _migrate(
    target: str | URL | Engine, action: Callable[[Config, str], None], revision: str
) -> None:
    if isinstance(target, Engine):
        engine = target
    else:
        engine = create_workspace_engine(resolve_url(target) if isinstance(target, str) else target)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with translate_faults(describe_url(engine.url)), engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # copying a table during a migration must not cascade deletes
            _pragma(connection, "foreign_keys=OFF")
        try:
            with connection.execution_options(workspace_write=True).begin():
                if not sqlite:
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                config.attributes["connection"] = connection
                action(config, revision)
        finally:
            if sqlite:
                _pragma(connection, "foreign_keys=ON")
    if engine is not target:
        engine.dispose()


def _pragma(connection: Connection, setting: str) -> None:
    """A SQLite PRAGMA outside any transaction (inside one, some are silently ignored)."""
    driver: Any = connection.connection.driver_connection
    driver.execute(f"PRAGMA {setting}")


def get_revision(engine: Engine) -> str | None:
    """The schema version the database is at (None when it is empty)."""
    from alembic.runtime.migration import MigrationContext

    with translate_faults(describe_url(engine.url)), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass
class Workspace:
    """An open workspace: the engine, its limits and the key that signs model bundles."""

    engine: Engine
    secret_key: bytes = field(repr=False)
    limits: Limits = field(default_factory=Limits.from_environment)

    @property
    def database(self) -> str:
        """The database in words, for messages and the Workspace page."""
        return describe_url(self.engine.url)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads; database faults become a plain ChurnDataError."""
        with translate_faults(self.database), Session(self.engine) as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: everything in the block is saved together, or nothing is."""
        engine = self.engine.execution_options(workspace_write=True)
        with (
            translate_faults(self.database),
            Session(engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def close(self) -> None:
        """Close the pooled connections (the workspace can still be used: it reconnects)."""
        self.engine.dispose()


def open_workspace(
    url: str | None = None,
    *,
    folder: Path | None = None,
    secret_key: bytes | None = None,
    migrate: bool = True,
) -> Workspace:
    """Open (and bring up to date) the workspace at ``url``, ``DATABASE_URL`` or the local file.

    Raises
    ------
    ChurnDataError
        When the URL is wrong, the database cannot be reached, or a shared database has no
        ``SECRET_KEY`` to sign models with.
    """
    folder = folder or get_workspace_folder()
    resolved = resolve_url(url, folder=folder)
    shared = resolved.get_backend_name() != "sqlite"
    key = secret_key or load_secret_key(folder, shared=shared)
    engine = create_workspace_engine(resolved)
    if migrate:
        try:
            upgrade(engine)
        except ChurnDataError:
            engine.dispose()
            raise
    return Workspace(engine, key)
