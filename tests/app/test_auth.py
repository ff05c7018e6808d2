"""The login gate's rules: constant-time check, growing delays, one check at a time, modes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from ui import auth
from ui.auth import Access, Throttle, failure_delay, get_access, password_matches


class FakeTime:
    """A clock that only moves when the throttle sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def test_the_delay_doubles_after_each_failure_up_to_thirty_seconds() -> None:
    assert [failure_delay(n) for n in range(8)] == [0, 1, 2, 4, 8, 16, 30, 30]
    assert failure_delay(10_000) == auth.MAX_DELAY_S


def test_passwords_compare_exactly_including_non_ascii_ones() -> None:
    assert password_matches("säkert lösenord", "säkert lösenord")
    assert not password_matches("säkert lösenord", "sakert losenord")
    assert not password_matches("", "x")
    assert not password_matches("secret ", "secret")


def test_a_session_waits_longer_after_each_wrong_password() -> None:
    time = FakeTime()
    throttle = Throttle(sleep=time.sleep, clock=time.clock)
    for failures in range(4):
        assert throttle.check("wrong", "right", failures) is False
    assert time.slept == [0, 1, 2, 4]
    assert throttle.check("right", "right", 4) is True
    assert time.slept[-1] == 8  # the delay is served before the answer, right or wrong


def test_fresh_sessions_do_not_escape_the_delay_of_a_hammering_script() -> None:
    time = FakeTime()
    throttle = Throttle(sleep=time.sleep, clock=time.clock)
    for _ in range(20):  # every try from a brand-new session: session failures stay 0
        throttle.check("guess", "right", 0)
    assert throttle.recent_failures() == 20
    assert throttle.delay(0) == failure_delay(20 // auth.SERVER_FAILURES_PER_STEP)
    assert sum(time.slept) > 0


def test_old_failures_stop_counting_after_the_window() -> None:
    time = FakeTime()
    throttle = Throttle(sleep=time.sleep, clock=time.clock)
    for _ in range(10):
        throttle.check("guess", "right", 0)
    time.now += auth.RECENT_WINDOW_S + 1
    assert throttle.recent_failures() == 0
    assert throttle.delay(0) == 0


def test_a_check_that_gets_no_turn_in_time_is_answered_with_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(auth, "TURN_TIMEOUT_S", 0.05)
    release = threading.Event()
    throttle = Throttle(sleep=lambda s: release.wait(5))
    busy = threading.Thread(target=throttle.check, args=("a", "b", 1))
    busy.start()
    try:
        assert throttle.check("b", "b", 0) is None
    finally:
        release.set()
        busy.join()


def test_the_app_is_open_without_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_PASSWORD", raising=False)
    monkeypatch.setattr(auth.st.secrets, "load_if_toml_exists", lambda: False)
    assert get_access() == Access("open")


def test_the_environment_password_turns_the_gate_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_PASSWORD", "s3cret")
    monkeypatch.setattr(auth.st.secrets, "load_if_toml_exists", lambda: False)
    assert get_access() == Access("password", password="s3cret")


def test_an_auth_section_in_secrets_means_single_sign_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_PASSWORD", "s3cret")
    secrets = {"auth": {"redirect_uri": "x", "client_id": "id", "google": {"client_id": "g"}}}
    monkeypatch.setattr(auth.st, "secrets", _FakeSecrets(secrets))
    assert get_access() == Access("oidc", providers=(None, "google"))


def test_a_password_in_secrets_turns_the_gate_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_PASSWORD", raising=False)
    monkeypatch.setattr(auth.st, "secrets", _FakeSecrets({"APP_PASSWORD": "from-secrets"}))
    assert get_access() == Access("password", password="from-secrets")


class _FakeSecrets(dict):  # type: ignore[type-arg]
    def load_if_toml_exists(self) -> bool:
        return True


@pytest.mark.parametrize("page", ["pages/home.py", "pages/churn_risk.py", "pages/data.py"])
def test_with_a_password_set_every_page_shows_only_the_login_form(
    monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("APP_PASSWORD", "s3cret")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"))
    at.run(timeout=60)
    at.switch_page(page).run(timeout=60)
    assert not at.exception
    assert [t.value for t in at.title] == ["Churn Workbench"]
    assert [t.label for t in at.text_input] == ["Password"]
    assert not at.sidebar.children
    assert not at.metric and not at.dataframe and not at.error
    assert "sample_customers" not in str([m.value for m in at.markdown])


def test_without_a_password_the_sidebar_says_the_app_is_open() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"))
    at.run(timeout=60)
    assert not at.exception
    assert any("set APP_PASSWORD" in c.value for c in at.sidebar.caption)
