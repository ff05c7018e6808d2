"""Benchmark inputs: the sample generator widened to the sizes in DESIGN.md section 9."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from churn_core.sample import generate_customers


def wide_customers(rows: int, columns: int = 30, seed: int = 3) -> pd.DataFrame:
    """``rows`` customers from the sample generator plus filler columns up to ``columns``."""
    frame = generate_customers(rows=rows, seed=seed)
    rng = np.random.default_rng(seed)
    extra = columns - frame.shape[1]
    for i in range(extra):
        if i % 3 == 2:
            frame[f"Segment{i}"] = rng.choice(["A", "B", "C", "D", "E"], size=rows)
        else:
            frame[f"Metric{i}"] = np.round(rng.normal(100, 25, size=rows), 2)
    return frame


def write_csv(frame: pd.DataFrame, folder: Path, name: str) -> Path:
    path = folder / name
    if not path.exists():
        frame.to_csv(path, index=False)
    return path
