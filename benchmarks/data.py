"""Benchmark inputs: the sample generator widened to the sizes in DESIGN.md section 9."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from churn_core.datasets import generate_customers


def wide_customers(rows: int, columns: int = 30, seed: int = 3) -> pd.DataFrame:
    """``rows`` customers from the sample generator plus filler columns up to ``columns``."""
    frame = generate_customers(rows=rows, seed=seed)
    rng = np.random.default_rng(seed)
    for i in range(columns - frame.shape[1]):
        if i % 3 == 2:
            frame[f"Segment{i}"] = rng.choice(["A", "B", "C", "D", "E"], size=rows)
        else:
            frame[f"Metric{i}"] = np.round(rng.normal(100, 25, size=rows), 2)
    return frame


def repeated(frame: pd.DataFrame, times: int) -> pd.DataFrame:
    """``times`` copies of a frame with fresh ids: a large file without a slow simulation."""
    copies = []
    for k in range(times):
        copy = frame.copy()
        copy["CustomerID"] = copy["CustomerID"] + f"-{k}"
        copy["Email"] = f"{k}." + copy["Email"]
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def cached_csv(folder: Path, name: str, make: Callable[[], pd.DataFrame]) -> Path:
    """Write ``make()`` to ``folder/name`` once; later runs (and child processes) reuse it."""
    path = folder / name
    if not path.exists():
        make().to_csv(path, index=False)
    return path


#: The public bank file (see ../shared/data/README.md): the scoring benchmarks' customers.
BANK = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "bank_churn" / "Churn_Modelling.csv"
)


def bank_csv(folder: Path, rows: int) -> Path:
    """``rows`` bank customers: the public file's 10,000 repeated with fresh ids, written once
    a copy at a time (a 10M-row file never sits in memory)."""
    path = folder / f"bank_{rows // 1000}k.csv"
    if path.exists():
        return path
    bank = pd.read_csv(BANK)
    partial = path.with_suffix(".partial")
    with partial.open("w", newline="") as out:
        for k in range(-(-rows // len(bank))):
            copy = bank.head(rows - k * len(bank)).copy()
            copy["RowNumber"] += k * len(bank)
            copy["CustomerId"] += k * 100_000_000
            copy.to_csv(out, index=False, header=k == 0, lineterminator="\n")
    partial.rename(path)
    return path
