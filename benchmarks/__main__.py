"""Print a table of measured cases against the budgets of DESIGN.md section 9.

Timings are medians over repeats; a reference is measured in the same run, since these machines
are shared and noisy: mostly ``read_csv`` of the same file, else what each case says (scoring
alone, shap's TreeExplainer). Peak memory (RSS) is measured by
running each case once more in a fresh process.

    python -m benchmarks [--repeats 5] [--only NAME]
    python -m benchmarks --deploy    # slug size and import time (slow: installs a fresh venv)
    python -m benchmarks --upload-memory [--sizes 20 35 49]   # server RSS after big uploads
    python -m benchmarks --levers    # derived columns and lever constraints: held-out ROC-AUC
    python -m benchmarks --scoring [--rows 100000 1000000 10000000] [--rounds 3]
    python -m benchmarks --spark [--rows 10000000] [--rounds 3]
    python -m benchmarks --train-explain [--rounds 3]   # engine vs plain scripts (speed.py)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.cases import CASES, Case
from benchmarks.deploy import print_deploy
from benchmarks.levers import print_levers
from benchmarks.quality import print_quality
from benchmarks.speed import print_scoring, print_spark, print_train_explain
from benchmarks.upload_memory import print_upload_memory

WORKDIR = Path(os.environ.get("CHURN_BENCH_DIR") or Path(tempfile.gettempdir()) / "churn_bench")


def _time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_rss_mb(name: str) -> float:
    """Run one case in a fresh interpreter and return its peak resident memory."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--child", name],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mb"])


def _child(name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    run, _ = case.prepare(WORKDIR)
    run()
    print(json.dumps({"peak_rss_mb": _own_peak_rss_kb() / 1024}))


def _own_peak_rss_kb() -> float:
    """This process's peak resident memory.

    ``ru_maxrss`` is carried over from the parent at fork, through exec, so a child started by
    a large parent would report the parent's size; ``VmHWM`` belongs to the new address space.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _row(case: Case, repeats: int) -> list[str]:
    run, reference = case.prepare(WORKDIR)
    run()  # warm-up: imports, file cache
    seconds = _time(run, repeats)
    ref = _time(reference, repeats) if reference is not None else None
    rss = _peak_rss_mb(case.name)
    over_rss = case.budget_rss_mb is not None and rss > case.budget_rss_mb
    row = [
        case.name,
        f"{seconds:.3f}",
        f"{case.budget_s:g}",
        "ok" if seconds <= case.budget_s and not over_rss else "OVER",
        f"{ref:.3f}" if ref else "-",
        f"{seconds / ref:.1f}x" if ref else "-",
        f"{rss:.0f}",
        f"{case.budget_rss_mb:g}" if case.budget_rss_mb else "-",
    ]
    with (WORKDIR / "results.jsonl").open("a") as log:  # kept even if printing fails
        log.write(json.dumps(row) + "\n")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", help="run only the case with this name")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--deploy", action="store_true", help="slug size and app import time")
    parser.add_argument("--upload-memory", action="store_true", help="server RSS after uploads")
    parser.add_argument("--levers", action="store_true", help="derived columns, constraints")
    parser.add_argument("--sizes", type=float, nargs="+", default=[20, 35, 49], help="MB")
    parser.add_argument("--scoring", action="store_true", help="score against the raw script")
    parser.add_argument("--spark", action="store_true", help="Spark local against the engine")
    parser.add_argument("--train-explain", action="store_true", help="train + score vs raw")
    parser.add_argument("--rows", type=int, nargs="+", help="rows for --scoring / --spark")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs of each")
    args = parser.parse_args()
    if args.scoring or args.spark or args.train_explain:
        WORKDIR.mkdir(exist_ok=True)
        if args.scoring:
            print_scoring(WORKDIR, args.rows or [100_000, 1_000_000, 10_000_000], args.rounds)
        if args.spark:
            print_spark(WORKDIR, args.rows or [10_000_000], args.rounds)
        if args.train_explain:
            print_train_explain(WORKDIR, args.rounds)
        return
    if args.deploy:
        print_deploy()
        return
    if args.levers:
        print_levers()
        return
    if args.upload_memory:
        print_upload_memory(args.sizes, WORKDIR)
        return
    WORKDIR.mkdir(exist_ok=True)
    if args.child:
        _child(args.child)
        return
    header = [
        "case",
        "median s",
        "budget s",
        "",
        "reference s",
        "vs reference",
        "peak RSS MB",
        "RSS budget",
    ]
    rows = [header]
    for case in CASES:
        if args.only and case.name != args.only:
            continue
        print(f"measuring {case.name}: {case.what}", file=sys.stderr)
        rows.append(_row(case, args.repeats))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(
        f"\nmedian of {args.repeats} runs after a warm-up; peak RSS from one run in a fresh "
        "process (includes Python and library imports)"
    )
    if not args.only:
        print_quality()


if __name__ == "__main__":
    main()
