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


def purchase_log(customers: int, seed: int = 5) -> pd.DataFrame:
    """A purchase log simulated from BG/NBD + Gamma-Gamma with the CDNOW paper's parameters.

    Customers first buy in the first 12 weeks of 1997 (like the CDNOW cohort) and are followed
    for 78 weeks: while active they buy at rate ``lambda ~ Gamma(0.243, 4.414)`` a week, stop
    after each repeat purchase with ``p ~ Beta(0.793, 2.426)``, and spend
    ``Gamma(6.25, nu)`` a purchase with ``nu ~ Gamma(3.74, 15.44)``.
    """
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.243, 1 / 4.414, customers)
    stop = rng.beta(0.793, 2.426, customers)
    nu = rng.gamma(3.74, 1 / 15.44, customers)
    weeks = rng.integers(0, 84, customers) / 7.0
    who, when = [np.arange(customers)], [weeks.copy()]
    active = np.arange(customers)
    while len(active):
        weeks[active] += rng.exponential(1 / rate[active])
        active = active[weeks[active] < 78]
        who.append(active)
        when.append(weeks[active])
        active = active[rng.random(len(active)) >= stop[active]]
    buyer = np.concatenate(who)
    days = np.floor(np.concatenate(when) * 7).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "customer": np.char.add("C", buyer.astype(str)),
            "date": np.datetime64("1997-01-01") + days,
            "amount": np.round(rng.gamma(6.25, 1 / nu[buyer]), 2),
        }
    )


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
