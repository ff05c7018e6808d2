"""The Heroku files say what the README says, and what the app and its tests rely on."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

from churn_core.io.reading import MAX_UPLOAD_MB
from tests.browser.heroku import read_procfile

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"pytest", "pytest-xdist", "playwright", "ruff", "mypy", "shap", "lifetimes", "pyspark"}


def _config() -> dict[str, dict[str, object]]:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def _requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_the_procfile_runs_streamlit_on_port_for_every_address_headless_and_quiet() -> None:
    web = shlex.split(read_procfile()["web"])
    assert web[:3] == ["streamlit", "run", "app.py"]
    options = dict(zip(web[3::2], web[4::2], strict=True))
    assert options["--server.port"] == "$PORT"
    assert options["--server.address"] == "0.0.0.0"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.showEmailPrompt"] == "false"


def test_python_version_is_the_major_form_herokus_buildpack_reads() -> None:
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", version), version
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert f">={version}" in pyproject["project"]["requires-python"]


def test_requirements_are_pinned_and_hold_no_test_or_tool_package() -> None:
    app = _requirements("requirements.txt")
    assert app
    for line in app:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), f"not pinned: {line}"
    names = {line.split("==")[0].lower() for line in app}
    assert not names & DEV_ONLY
    assert "-r requirements.txt" in _requirements("requirements-dev.txt")


def test_app_json_asks_for_the_password_and_uses_the_python_buildpack() -> None:
    app = json.loads((ROOT / "app.json").read_text())
    assert 3 <= len(app["name"]) <= 30
    assert app["description"]
    assert app["env"]["APP_PASSWORD"]["required"] is True
    assert app["env"]["APP_PASSWORD"]["description"]
    assert app["buildpacks"] == [{"url": "heroku/python"}]


def test_app_json_adds_heroku_postgres_and_generates_the_key_that_signs_models() -> None:
    app = json.loads((ROOT / "app.json").read_text())
    (addon,) = app["addons"]
    assert addon["plan"].startswith("heroku-postgresql:")
    assert addon.get("as", "DATABASE") == "DATABASE"  # so the app finds it in DATABASE_URL
    assert app["env"]["SECRET_KEY"]["generator"] == "secret"
    assert app["env"]["SECRET_KEY"]["description"]
    pins = {line.split("==")[0].lower() for line in _requirements("requirements.txt")}
    assert {"sqlalchemy", "alembic", "psycopg[binary]"} <= pins


def test_config_hides_errors_protects_forms_and_caps_uploads_above_the_app_limit() -> None:
    config = _config()
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["theme"]["primaryColor"]
    cap = config["server"]["maxUploadSize"]
    assert isinstance(cap, int)
    # Between the app's limit and the server's cap, the app explains the limit in its own
    # words; above the cap, Streamlit only marks the file with a red icon.
    assert cap > MAX_UPLOAD_MB


def test_config_hides_streamlits_own_menu_which_the_procfile_leaves_alone() -> None:
    # Streamlit's legacy mode for pages/ would paint a menu of file names on a fresh
    # server (ui/frame.py); app.py draws the menu instead.
    assert _config()["client"]["showSidebarNavigation"] is False
    assert "showSidebarNavigation" not in read_procfile()["web"]


def test_the_readme_deploy_section_matches_the_files() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploy to Heroku", 1)[1].split("\n## ", 1)[0]
    for command in ("heroku create", "heroku config:set APP_PASSWORD=", "git push heroku main"):
        assert command in section, command
    assert "https://www.herokucdn.com/deploy/button.svg" in section
    assert "https://heroku.com/deploy" in section
    assert f"{MAX_UPLOAD_MB} MB" in section
    assert read_procfile()["web"] in section or "Procfile" in section
