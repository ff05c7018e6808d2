"""Benchmark inputs: the sample generator widened to the sizes in DESIGN.md section 9."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from churn_core.datasets import generate_activity_log, generate_customers


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


def activity_log(rows: int, seed: int = 3) -> pd.DataFrame:
    """About ``rows`` rows of the generated activity log (about 33 rows per customer)."""
    return generate_activity_log(customers=max(50, rows // 33), seed=seed)
