"""The engine against the raw limit, whole processes, interleaved in the same run.

    python -m benchmarks --scoring [--rows 100000 1000000 10000000] [--rounds 3]
    python -m benchmarks --spark [--rows 10000000] [--rounds 3]
    python -m benchmarks --train-explain [--rounds 3]

Each case runs the engine's command line and a plain script (``benchmarks/raw_score.py``,
``benchmarks/raw_train.py``) as fresh processes, alternately (engine, reference, engine,
reference...), so both see the same load on a shared machine; the table gives medians, the
spread (min-max) and the ratio of medians. Peak memory is each process's own peak RSS
(``wait4``), imports included. The references run with one OpenMP thread
(``OMP_NUM_THREADS=1``): with the default two, gradient boosting's threads spin on a busy
2-core machine and the reference runs 2-3x slower (measured), which would flatter the engine.

Scoring uses the public bank file's model (``python -m churn_core train``, gradient boosting)
on the bank's 10,000 customers repeated with fresh ids; everyone is listed (``--include-left``)
so both write one row per customer, and no reasons (``--reasons 0``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.data import BANK, bank_csv

ONE_THREAD = {"OMP_NUM_THREADS": "1"}


@dataclass
class Measured:
    """Wall seconds and peak RSS (MB) of each run of one command."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def add(self, seconds: float, peak_mb: float) -> None:
        self.seconds.append(seconds)
        self.peak_mb.append(peak_mb)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        return f"{min(self.seconds):.1f}-{max(self.seconds):.1f}"


def run(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a command to completion: its wall seconds, its own peak RSS in MB (``wait4``; a
    JVM started by pyspark is not counted), and what it printed on stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, env={**os.environ, **(env or {})}, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {err.read().decode()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode()


def _engine(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "churn_core", *map(str, args)]


def _script(name: str, *args: str | Path) -> list[str]:
    return [sys.executable, "-m", f"benchmarks.{name}", *map(str, args)]


def bank_model(folder: Path) -> Path:
    """The bank file's model, trained once by the command line."""
    model = folder / "bank_model"
    if not (model / "model.json").exists():
        run(_engine("train", BANK, "--out", model))
    return model


def print_scoring(folder: Path, rows: Sequence[int], rounds: int) -> None:
    model = bank_model(folder)
    print("\nscoring from CSV, whole process: engine against the raw script, interleaved")
    print(
        f"{'rows':>11} {'engine s (spread)':>20} {'raw s (spread)':>18} {'ratio':>6} "
        f"{'engine MB':>10} {'raw MB':>8}"
    )
    for n in rows:
        path = bank_csv(folder, n)
        engine, raw = Measured(), Measured()
        out = folder / f"listed_{n}.csv"
        for _ in range(rounds):
            score = _engine(
                "score", path, "--model", model, "--out", out, "--reasons", "0", "--include-left"
            )
            engine.add(*run(score)[:2])
            raw.add(
                *run(_script("raw_score", path, "--model", model, "--out", out), ONE_THREAD)[:2]
            )
        out.unlink(missing_ok=True)
        _log(folder, "scoring", n, engine, raw)
        print(
            f"{n:>11,} {engine.median:>9.1f} ({engine.spread():>9}) "
            f"{raw.median:>7.1f} ({raw.spread():>9}) {engine.median / raw.median:>5.2f}x "
            f"{max(engine.peak_mb):>10.0f} {max(raw.peak_mb):>8.0f}"
        )


def print_spark(folder: Path, rows: Sequence[int], rounds: int) -> None:
    model = bank_model(folder)
    print("\nSpark in local mode (local[2]) against the local engine, Parquet out, interleaved")
    print(f"{'rows':>11} {'engine s (spread)':>20} {'spark s (spread)':>20} {'ratio':>6}")
    for n in rows:
        path = bank_csv(folder, n)
        engine, spark = Measured(), Measured()
        for _ in range(rounds):
            args = ["score", path, "--model", model, "--reasons", "0", "--include-left"]
            engine.add(*run(_engine(*args, "--out", folder / "listed.parquet"))[:2])
            on_spark = _engine(
                *args, "--out", folder / "listed_spark.parquet",
                "--engine", "spark", "--master", "local[2]",
            )  # fmt: skip
            spark.add(*run(on_spark)[:2])
        _log(folder, "spark", n, engine, spark)
        print(
            f"{n:>11,} {engine.median:>9.1f} ({engine.spread():>9}) "
            f"{spark.median:>9.1f} ({spark.spread():>9}) {spark.median / engine.median:>5.2f}x"
        )


def print_train_explain(folder: Path, rounds: int) -> None:
    """From CSV to an explained list against raw_train.py: ``train --list`` (one command),
    and ``train`` then ``score`` (two, reasons for everyone listed), interleaved."""
    path = folder / "customers_7k.csv"
    if not path.exists():
        run(_engine("sample", "--rows", "7000", "--seed", "11", "--out", path))
    model, out = folder / "model_7k", folder / "explained_7k.csv"
    one, two, raw = Measured(), Measured(), Measured()
    command = _script(
        "raw_train", path, "--label", "Churned", "--churned", "Yes", "--id", "CustomerID",
        "--drop", "Email", "SignupDate", "ChurnDate", "--out", out,
    )  # fmt: skip
    printed = ""
    for _ in range(rounds):
        one.add(*run(_engine("train", path, "--out", model, "--list", out))[:2])
        train_s, train_mb, _ = run(_engine("train", path, "--out", model))
        score_s, score_mb, _ = run(_engine("score", path, "--model", model, "--out", out))
        two.add(train_s + score_s, max(train_mb, score_mb))
        seconds, peak_mb, printed = run(command, ONE_THREAD)
        raw.add(seconds, peak_mb)
    card = json.loads((model / "model.json").read_text())
    reference = json.loads(printed)
    quality = {"engine": card["metrics"]["roc_auc"], "raw": reference["test_roc_auc"]}
    _log(folder, "train-list", 7_000, one, raw)
    _log(folder, "train-explain", 7_000, two, raw)
    print("\nfrom CSV to an explained list, 7,000 customers, against raw_train.py")
    for name, engine in (("train --list", one), ("train, then score", two)):
        print(
            f"{name:<18} {engine.median:.1f} s ({engine.spread()}), raw {raw.median:.1f} s "
            f"({raw.spread()}): {engine.median / raw.median:.2f}x; peak RSS engine "
            f"{max(engine.peak_mb):.0f} MB, raw {max(raw.peak_mb):.0f} MB"
        )
    print(
        f"held-out ROC-AUC engine {quality['engine']:.4f} ({card['model']['name']}), "
        f"raw {quality['raw']:.4f} ({reference['chosen']})"
    )


def _log(folder: Path, case: str, rows: int, first: Measured, second: Measured) -> None:
    """Every run, kept next to the inputs (results.jsonl), even if printing fails."""
    with (folder / "speed_results.jsonl").open("a") as log:
        record = {"case": case, "rows": rows, "first": first.__dict__, "second": second.__dict__}
        log.write(json.dumps(record) + "\n")
