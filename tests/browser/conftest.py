"""A real app server and a real Chromium for the journey tests.

Outside CI the tests skip with the reason when no Chromium (or Playwright) is found; under
CI (``CI=true``) they fail instead, so a green CI always means the journeys ran.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 2600}  # tall: Streamlit scrolls an inner container


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (browser tests must run under CI)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def open_app_env() -> dict[str, str]:
    """This environment without APP_PASSWORD: the shared server runs with the login gate off."""
    return {k: v for k, v in os.environ.items() if k != "APP_PASSWORD"}


#: Each test server's workspace folder, by its URL (see :func:`reset_in_use`).
WORKSPACES: dict[str, Path] = {}


def start_server(
    timeout: float = 60, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``streamlit run app.py`` on a free port; return it once /_stcore/health answers.

    The server runs without ``APP_PASSWORD`` unless ``env`` sets it (``env`` is added to the
    environment), on a workspace of its own: a SQLite file in a new temporary folder (unless
    ``env`` names a ``WORKSPACE_DIR`` or a ``DATABASE_URL``)."""
    folder = Path(tempfile.mkdtemp(prefix="churn-workspace-"))
    env = {"WORKSPACE_DIR": str(folder), **(env or {})}
    port = free_port()
    log = (ROOT / ".pytest_app_server.log").open("ab")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**open_app_env(), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    WORKSPACES[url] = Path(env["WORKSPACE_DIR"])
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return server, url
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            pytest.fail("The app server did not start: see .pytest_app_server.log")
        time.sleep(0.3)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """One app server for the session's journey tests."""
    server, url = start_server()
    yield url
    stop_server(server)


@pytest.fixture
def own_app_url() -> Iterator[str]:
    """An app server with an empty workspace of its own, for a journey that trains on a kind of
    data another journey may have trained on (on the shared server, its training would be a
    challenger to that model, not the model in use)."""
    server, url = start_server()
    yield url
    stop_server(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _unavailable("No Chromium found: run `make chromium` (Debian's chromium) to run them")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -r requirements-dev.txt")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@contextmanager
def open_tab(browser, url: str):  # type: ignore[no-untyped-def]
    """A fresh browser tab (no cookies, no session) on ``url``, recording page errors; fails
    the test if any occur."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(url)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def reset_in_use(url: str) -> None:
    """Forget what was in use last on the server at ``url`` (its SQLite workspace), so the next
    browser opens on the sample whatever the test before it uploaded."""
    from churn_core.workspace import open_workspace, remember_in_use

    folder = WORKSPACES[url]
    workspace = open_workspace(f"sqlite:///{folder / 'workspace.db'}", folder=folder)
    try:
        remember_in_use(workspace, dataset_id=None, model_id=None)
    finally:
        workspace.close()


@pytest.fixture
def page(browser, app_url: str):  # type: ignore[no-untyped-def]
    """A fresh browser tab on the app's Home page, opened on the sample (what a test before
    left in use in the shared server's workspace is forgotten)."""
    reset_in_use(app_url)
    with open_tab(browser, app_url) as tab:
        tab.get_by_role("heading", name="Churn Workbench").wait_for()
        yield tab
