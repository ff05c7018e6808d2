"""Who may open the app: a shared password, single sign-on, or nobody asked (local use).

``app.py`` calls :func:`has_access` before anything of the data renders. The mode comes from
the environment and ``.streamlit/secrets.toml``, read on every run:

- an ``[auth]`` section in secrets: Streamlit's own OpenID Connect login (``st.login``);
- else ``APP_PASSWORD`` (environment variable, or a top-level key in secrets): a password form;
- else the app is open, and the sidebar says so.

Wrong passwords are answered after a growing delay (1, 2, 4 ... 30 s). The delay counts this
session's failures and, so that a script opening fresh sessions gains nothing, the whole
server's recent ones; checks run one at a time per server, so parallel sessions cannot
multiply the rate. A person who shares a server with such a script waits too: for an app open
to the internet, prefer single sign-on.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, NoReturn

import streamlit as st

from churn_core.telemetry import log_event
from ui.events import session_hash

PASSWORD_VARIABLE = "APP_PASSWORD"
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 30.0
#: Server-wide, every this many recent failures count as one more for everybody.
SERVER_FAILURES_PER_STEP = 5
RECENT_WINDOW_S = 15 * 60
#: How long a check waits for its turn before the form asks the user to come back later.
TURN_TIMEOUT_S = 60.0

_LOGGED_IN = "auth_logged_in"
_FAILURES = "auth_failures"

Mode = Literal["open", "password", "oidc"]


@dataclass(frozen=True)
class Access:
    """How this server is protected: the mode, and what that mode needs."""

    mode: Mode
    password: str | None = None
    providers: tuple[str | None, ...] = ()


def failure_delay(failures: int) -> float:
    """Seconds to wait before checking a password after ``failures`` wrong ones.

    >>> [failure_delay(n) for n in (0, 1, 2, 3, 6, 99)]
    [0.0, 1.0, 2.0, 4.0, 30.0, 30.0]
    """
    if failures <= 0:
        return 0.0
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** min(failures - 1, 16))


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (any characters, not only ASCII)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Throttle:
    """One password check at a time per server, each after the delay its failures earned."""

    def __init__(
        self,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._turn = threading.Lock()
        self._failures: deque[float] = deque()
        self._sleep = sleep
        self._clock = clock

    def recent_failures(self) -> int:
        """Wrong passwords on this server in the last ``RECENT_WINDOW_S`` seconds."""
        cutoff = self._clock() - RECENT_WINDOW_S
        while self._failures and self._failures[0] < cutoff:
            self._failures.popleft()
        return len(self._failures)

    def delay(self, session_failures: int) -> float:
        server_steps = self.recent_failures() // SERVER_FAILURES_PER_STEP
        return failure_delay(max(session_failures, server_steps))

    def check(self, given: str, expected: str, session_failures: int) -> bool | None:
        """True or False once the delay is served; None when no turn came in time."""
        if not self._turn.acquire(timeout=TURN_TIMEOUT_S):
            return None
        try:
            self._sleep(self.delay(session_failures))  # before comparing: no early answer
            ok = password_matches(given, expected)
            if not ok:
                self._failures.append(self._clock())
            return ok
        finally:
            self._turn.release()


_THROTTLE = Throttle()


def get_access() -> Access:
    """The protection configured for this server (environment first, then secrets)."""
    secrets: Mapping[str, object] = st.secrets if st.secrets.load_if_toml_exists() else {}
    auth = secrets.get("auth")
    if isinstance(auth, Mapping):
        return Access("oidc", providers=_providers(auth))
    password = os.environ.get(PASSWORD_VARIABLE) or secrets.get(PASSWORD_VARIABLE)
    if password:
        return Access("password", password=str(password))
    return Access("open")


def _providers(auth: Mapping[str, object]) -> tuple[str | None, ...]:
    """``[auth]`` with its own client_id is the default provider; ``[auth.name]`` are named."""
    named = tuple(k for k, v in auth.items() if isinstance(v, Mapping))
    return ((None,) if "client_id" in auth else ()) + named


def has_access(access: Access | None = None) -> bool:
    """True when this session may see the app."""
    access = access or get_access()
    if access.mode == "open":
        return True
    if access.mode == "oidc":
        return bool(st.user.is_logged_in)
    return bool(st.session_state.get(_LOGGED_IN))


def show_login(access: Access | None = None) -> NoReturn:
    """The login screen for the configured mode; ends the run (nothing else renders)."""
    access = access or get_access()
    st.title("Churn Workbench")
    if access.mode == "oidc":
        _oidc_login(access.providers)
    elif access.password:
        _password_login(access.password)
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def _password_login(expected: str) -> None:
    st.markdown("This workbench is private. Enter the password your team shared with you.")
    with st.form("login", clear_on_submit=True, width=420):
        given = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log in", type="primary", icon=":material/login:")
    if not submitted:
        return
    failures = int(st.session_state.get(_FAILURES, 0))
    with st.spinner("Checking..."):
        ok = _THROTTLE.check(given, expected, failures)
    log_event(
        "login",
        status={True: "ok", False: "wrong", None: "busy"}[ok],
        mode="password",
        failures=failures,
        session=session_hash(),
    )
    if ok is None:
        st.warning("Many login attempts right now. Wait a minute, then try again.")
    elif ok:
        st.session_state[_LOGGED_IN] = True
        st.session_state.pop(_FAILURES, None)
        st.rerun()
    else:
        st.session_state[_FAILURES] = failures + 1
        wait = _THROTTLE.delay(failures + 1)
        st.error(f"That password is not right. Your next try is checked after {wait:g} s.")


def _oidc_login(providers: tuple[str | None, ...]) -> None:
    from streamlit.auth_util import is_authlib_installed

    if not providers:
        st.error("Single sign-on is set up in secrets ([auth]) without a provider's client_id.")
        return
    if not is_authlib_installed():
        st.error(
            "Single sign-on is set up in secrets ([auth]), but the Authlib package is missing. "
            "Add Authlib>=1.3.2 to requirements.txt and deploy again."
        )
        return
    st.markdown("This workbench is private. Log in with your work account.")
    for provider in providers:
        label = "Log in" if provider is None else f"Log in with {provider.title()}"
        if st.button(label, type="primary", icon=":material/login:", key=f"login_{provider}"):
            st.login(provider)


def show_account(access: Access | None = None) -> None:
    """In the sidebar: a log-out button, or a quiet note that the app is open to anyone."""
    access = access or get_access()
    with st.sidebar:
        if access.mode == "open":
            st.caption(
                f"Open to anyone who can reach it: set {PASSWORD_VARIABLE} to ask for a password."
            )
        elif st.button("Log out", icon=":material/logout:", key="auth_logout"):
            log_event("logout", mode=access.mode, session=session_hash())
            st.session_state.clear()  # the next person on this browser sees no data either
            if access.mode == "oidc":
                st.logout()
            st.rerun()
