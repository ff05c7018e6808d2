"""The engine stays pure: churn_core never imports streamlit, directly or through a dependency."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "churn_core"
MODULES = sorted(ENGINE.rglob("*.py"))

IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import churn_core
names = sorted(
    m.name for m in pkgutil.walk_packages(churn_core.__path__, "churn_core.")
    if m.name != "churn_core.__main__"
)
for name in names:
    importlib.import_module(name)
print(json.dumps({
    "modules": names,
    "streamlit": sorted(m for m in sys.modules if m == "streamlit" or m.startswith("streamlit.")),
}))
"""


def test_importing_every_engine_module_loads_no_streamlit() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    expected = {
        ".".join(("churn_core", *p.relative_to(ENGINE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for p in MODULES
    } - {"churn_core", "churn_core.__main__"}
    assert set(found["modules"]) == expected
    assert found["streamlit"] == []


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_no_engine_module_mentions_streamlit_in_an_import(path: Path) -> None:
    streamlit = {n for n in imported_names(path) if n.split(".")[0] == "streamlit"}
    assert streamlit == set(), f"{path.name} imports {sorted(streamlit)}"


def test_the_engine_has_modules_to_check() -> None:
    assert {"reading.py", "profile.py", "cli.py", "training.py"} <= {p.name for p in MODULES}


def test_the_import_check_catches_every_way_of_importing_streamlit(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "import streamlit as st\n"
        "from streamlit.runtime import exists\n"
        "import importlib\n"
        "importlib.import_module('streamlit.components')\n"
        "from . import sibling\n",
        encoding="utf-8",
    )
    assert {n for n in imported_names(module) if n.startswith("streamlit")} == {
        "streamlit",
        "streamlit.runtime",
        "streamlit.components",
    }
