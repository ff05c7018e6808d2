"""A real PostgreSQL for tests: Debian's server, started in a temporary folder on a free port.

``initdb`` and ``pg_ctl`` come from ``/usr/lib/postgresql/15/bin`` (``PG_BIN`` overrides it).
The server refuses to run as root, so under root it runs as the ``postgres`` user, in a folder
outside pytest's own temporary tree (which only root may enter). It listens on 127.0.0.1 only,
trusts local connections (no password: nothing else can reach it), and skips durability
(fsync off): test data need not survive a power cut, and it is faster.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "postgres"
#: The database ``empty_database`` empties for each test.
REUSED = "workspace_tests"


def missing_reason() -> str:
    """Why PostgreSQL cannot be started here ("" when it can)."""
    if not (PG_BIN / "initdb").is_file() or not (PG_BIN / "pg_ctl").is_file():
        return (
            f"PostgreSQL is not installed (no initdb/pg_ctl in {PG_BIN}; `make test` installs it)"
        )
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser, so PostgreSQL cannot be started as postgres"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One throw-away server; ``start``/``stop`` may be called again (tests stop it on purpose)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="churn-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._emptied = False
        as_root = os.geteuid() == 0
        self._prefix = ["runuser", "-u", USER, "--"] if as_root else []
        if as_root:
            shutil.chown(self.folder, USER, USER)
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )

    def _run(self, *args: object) -> None:
        subprocess.run(
            [*self._prefix, *map(str, args)],
            check=True,
            capture_output=True,
            timeout=120,
            cwd=self.folder,
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.folder / "server.log",
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop")

    @property
    def running(self) -> bool:
        result = subprocess.run(
            [*self._prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            cwd=self.folder,
        )
        return result.returncode == 0

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) for ``database`` on this server."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, database: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname=database, autocommit=True
        )

    def empty_database(self) -> str:
        """The URL of this server's test database, emptied: every table of the test before is
        dropped (its connections cut first). Much cheaper than a new database per test, whose
        thousand files each take the disk a while to create and delete."""
        if not self._emptied:
            with self._admin() as connection:
                connection.execute(f"CREATE DATABASE {REUSED}")
            self._emptied = True
        with self._admin() as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (REUSED,),
            )
        with self._admin(REUSED) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
        return self.url(REUSED)

    def remove(self) -> None:
        """Stop the server (if running) and delete its folder."""
        if self.running:
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
