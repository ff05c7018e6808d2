"""What a Heroku deploy costs: the compressed size of the dependencies, and the app's import time.

Installs ``requirements.txt`` into a fresh virtual environment in a temporary folder (pip's
download cache is used, so a second run is quicker), then reports

- the installed packages as a tar.gz (Heroku compresses the slug the same way) against the
  500 MB slug limit, with the app's own files and this Python's standard library beside it;
- the time to import everything ``app.py`` and the pages import, in fresh processes of that
  environment: the median of a few runs, minus a bare interpreter's start.

    python -m benchmarks --deploy
"""

from __future__ import annotations

import ast
import os
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG_LIMIT_MB = 500.0
IMPORT_RUNS = 5
_SKIP = frozenset(
    {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "tests"}
)


def app_imports() -> list[str]:
    """Top-level modules imported by app.py and the pages, in file order, without repeats."""
    found: list[str] = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                folder = ROOT.joinpath(*node.module.split("."))
                names = [node.module] + [  # `from churn_core import columns` imports a module
                    f"{node.module}.{a.name}"
                    for a in node.names
                    if (folder / f"{a.name}.py").exists()
                ]
            else:
                continue
            found += [n for n in names if n not in found and n != "__future__"]
    return found


def _tar_gz_mb(folder: Path, out: Path, skip: frozenset[str] = frozenset()) -> float:
    with tarfile.open(out, "w:gz") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not skip.intersection(path.relative_to(folder).parts):
                tar.add(path, arcname=str(path.relative_to(folder)), recursive=False)
    return out.stat().st_size / 1024 / 1024


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def _median_seconds(python: Path, code: str, env: dict[str, str]) -> tuple[float, float]:
    """Median wall-clock and CPU (user + system) seconds of ``python -c code``.

    CPU time moves less than wall-clock time when other work shares the machine.
    """
    walls, cpus = [], []
    for _ in range(IMPORT_RUNS):
        start = time.perf_counter()
        child = subprocess.Popen([str(python), "-c", code], cwd=ROOT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise subprocess.CalledProcessError(child.returncode, child.args)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def measure(work: Path) -> dict[str, float]:
    """Install, compress and time; every figure in MB or seconds."""
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    started = time.perf_counter()
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(ROOT / "requirements.txt"),
        ],
        check=True,
    )
    install_s = time.perf_counter() - started
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a dyno keeps its .pyc files between requests
    modules = app_imports()
    code = "import " + ", ".join(modules)
    subprocess.run([str(python), "-c", code], check=True, cwd=ROOT, env=env)  # warm-up
    bare = _median_seconds(python, "pass", env)
    imports = _median_seconds(python, code, env)
    return {
        "install s": install_s,
        "site-packages MB": _folder_mb(site),
        "site-packages tar.gz MB": _tar_gz_mb(site, work / "site.tar.gz"),
        "app files tar.gz MB": _tar_gz_mb(ROOT, work / "app.tar.gz", _SKIP),
        "python stdlib tar.gz MB": _tar_gz_mb(
            stdlib, work / "stdlib.tar.gz", frozenset({"__pycache__", "test", "site-packages"})
        ),
        "bare interpreter s": bare[0],
        "app imports s": imports[0] - bare[0],
        "app imports CPU s": imports[1] - bare[1],
        "modules": float(len(modules)),
    }


def print_deploy() -> None:
    with tempfile.TemporaryDirectory(prefix="churn_slug_") as tmp:
        print(f"installing requirements.txt into a fresh venv in {tmp} ...", file=sys.stderr)
        figures = measure(Path(tmp))
    slug = sum(v for k, v in figures.items() if k.endswith("tar.gz MB"))
    for key, value in figures.items():
        print(f"{key:28s} {value:8.2f}")
    print(
        f"{'slug estimate tar.gz MB':28s} {slug:8.2f}   limit {SLUG_LIMIT_MB:g} MB "
        f"({'ok' if slug <= SLUG_LIMIT_MB else 'OVER'})"
    )
    print(
        f"\nimports timed: {', '.join(app_imports())}; median of {IMPORT_RUNS} fresh processes, "
        "minus a bare interpreter's start. Shared, busy machines time slower."
    )
