"""Start the app the way Heroku does: the Procfile's ``web`` command, through a shell, on $PORT."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import ROOT, free_port, stop_server

#: Heroku stops a web dyno that has not bound to $PORT within this many seconds.
HEROKU_BOOT_LIMIT_S = 60.0
#: A Heroku Basic dyno's memory.
DYNO_MEMORY_MB = 512.0
MEASUREMENTS = ROOT / "tests" / "browser" / "screenshots" / "measurements.jsonl"


def read_procfile(path: Path = ROOT / "Procfile") -> dict[str, str]:
    """Process type -> command, as Heroku reads a Procfile (``type: command`` per line)."""
    processes = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            kind, _, command = line.partition(":")
            processes[kind.strip()] = command.strip()
    return processes


@dataclass
class HostedApp:
    process: subprocess.Popen[bytes]
    url: str
    seconds_to_healthy: float
    log: Path

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory so far (VmHWM of its own address space)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc status")

    def rss_mb(self) -> float:
        """The server's resident memory now (VmRSS)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return float(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS in /proc status")

    def events(self) -> list[dict[str, object]]:
        """The JSON event lines the server wrote to stdout so far."""
        out = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return out

    def stop(self) -> None:
        stop_server(self.process)


def start_web_process(
    env: dict[str, str], log: Path, timeout: float = HEROKU_BOOT_LIMIT_S
) -> HostedApp:
    """Run the Procfile's web command with ``PORT`` set; return once /_stcore/health answers.

    The shell substitutes ``$PORT`` as Heroku's does; ``exec`` makes the server the process
    we measure. The virtual environment's ``bin`` comes first on PATH, as the buildpack's does.
    """
    port = free_port()
    command = read_procfile()["web"]
    full_env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        # a workspace of its own (unless env names one): a new SQLite file
        "WORKSPACE_DIR": tempfile.mkdtemp(prefix="churn-workspace-"),
        **env,
        "PORT": str(port),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {command}"],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    started = time.monotonic()
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return HostedApp(process, url, time.monotonic() - started, log)
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() - started > timeout:
            stop_server(process)
            raise RuntimeError(
                f"`{shlex.split(command)[:3]}...` was not healthy within {timeout:g} s: see {log}"
            )
        time.sleep(0.2)


def record(name: str, value: float, unit: str, limit: float) -> None:
    """Keep a measurement next to the screenshots, and print it (``pytest -s`` shows it)."""
    MEASUREMENTS.parent.mkdir(parents=True, exist_ok=True)
    line = {"measure": name, "value": round(value, 2), "unit": unit, "limit": limit}
    with MEASUREMENTS.open("a") as out:
        out.write(json.dumps(line) + "\n")
    print(f"{name}: {value:.2f} {unit} (limit {limit:g})")
