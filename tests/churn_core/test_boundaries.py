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
    assert {"reading.py", "profile.py", "scoring.py", "training.py"} <= {p.name for p in MODULES}


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


#: The engine's layers, lowest first: a module imports only from its own layer or lower ones.
#: Within the first layer (the shared vocabulary) modules may import each other; any other
#: layer is one concept package, whose modules import each other freely.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "columns", "telemetry", "figures"),
    ("io",),
    ("datasets",),
    ("schema",),
    ("explore",),
    ("survival",),
    ("btyd",),
    ("segments",),
    ("model",),
    ("explain",),
    ("risk",),
    ("logs",),
    ("kpis",),
    ("monitoring",),
    ("workspace",),
    ("cli", "__main__", "__init__"),
)
LAYER_OF = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def engine_unit(module: str) -> str:
    """``churn_core.model.training`` -> ``model``; ``churn_core.errors`` -> ``errors``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def engine_imports(path: Path) -> set[str]:
    """The engine modules a file imports, ``from churn_core import columns`` included."""
    names = {n for n in imported_names(path) if n.split(".")[0] == "churn_core"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "churn_core":
            names.discard("churn_core")
            names.update(f"churn_core.{alias.name}" for alias in node.names)
    return names


def layer_violations(root: Path) -> list[str]:
    """Every import of a higher layer's module, as ``"<file> imports <module>"``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        unit = relative.parts[0] if len(relative.parts) > 1 else relative.stem
        for name in engine_imports(path):
            other = engine_unit(name)
            if LAYER_OF[other] > LAYER_OF[unit]:
                found.append(f"{relative} imports {name}")
    return found


def test_every_engine_package_and_module_has_a_layer() -> None:
    units = {p.name for p in ENGINE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    units |= {p.stem for p in ENGINE.glob("*.py")}
    assert units == set(LAYER_OF)


def test_engine_packages_import_only_their_own_layer_or_lower_ones() -> None:
    assert layer_violations(ENGINE) == []


def test_the_layer_check_catches_a_lower_package_importing_a_higher_one(tmp_path: Path) -> None:
    engine = tmp_path / "churn_core"
    (engine / "schema").mkdir(parents=True)
    (engine / "model").mkdir()
    (engine / "schema" / "profile.py").write_text(
        "from churn_core.model import fit_churn_model\nfrom churn_core.io import read_table\n"
        "from churn_core import columns\n"
    )
    (engine / "model" / "training.py").write_text("from churn_core.schema import Profile\n")
    assert layer_violations(engine) == [
        "schema/profile.py imports churn_core.model",
    ]


def test_at_most_eight_modules_stay_at_the_top_of_the_engine() -> None:
    assert len(list(ENGINE.glob("*.py"))) <= 8


#: Test-only references (requirements-dev.txt), not installed on Heroku: shap costs ~95 MB on
#: import, so the engine computes exact SHAP itself (churn_core/explain/treeshap.py).
REFERENCES_ONLY = {"shap", "lifetimes"}
APP_CODE = [*MODULES, ROOT / "app.py", *sorted(ROOT.glob("ui/*.py")), *ROOT.glob("pages/*.py")]


@pytest.mark.parametrize("path", APP_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_neither_the_engine_nor_the_app_imports_a_test_only_reference(path: Path) -> None:
    found = {n for n in imported_names(path) if n.split(".")[0] in REFERENCES_ONLY}
    assert found == set(), f"{path.name} imports {sorted(found)}"
