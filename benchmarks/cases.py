"""The measured cases. Each prepares its input once and returns what to time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarks.data import wide_customers, write_csv

Runner = Callable[[], object]


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    budget_s: float
    prepare: Callable[[Path], tuple[Runner, Runner | None]]


def _profile_100k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.profile import profile_table
    from churn_core.reading import read_table

    path = write_csv(wide_customers(100_000, 30), folder, "customers_100k_x30.csv")

    def run() -> object:
        table = read_table(path, max_mb=None)
        return profile_table(table.frame, warnings=table.warnings)

    return run, lambda: pd.read_csv(path)


def _explore_100k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core import explore, explore_plots
    from churn_core.kpis import get_churned
    from churn_core.profile import profile_table
    from churn_core.reading import read_table

    path = write_csv(wide_customers(100_000, 30), folder, "customers_100k_x30.csv")
    table = read_table(path, max_mb=None)
    frame = table.frame
    profile = profile_table(frame)
    churned = get_churned(frame, profile)
    features = profile.feature_columns
    numeric = [c for c in features if frame[c].dtype.kind in "iuf"]

    def run() -> object:
        figures = []
        for column in features:  # what the page computes for every column a user picks
            figures.append(explore_plots.plot_distribution(frame, column, churned))
            figures.append(explore_plots.plot_churn_rate_by(frame, column, churned))
        corr = explore.get_correlations(frame, numeric[:25], churned)
        figures.append(explore_plots.plot_correlations(corr))
        figures.append(explore_plots.plot_missing_map(explore.get_missing_map(frame)))
        return figures

    return run, lambda: pd.read_csv(path)


CASES = [
    Case("profile 100k x 30", "read + detect roles + validate a 100k-row CSV", 3.0, _profile_100k),
    Case(
        "explore 100k x 30",
        "every Explore chart for every feature on 100k rows",
        5.0,
        _explore_100k,
    ),
]
