"""The measured cases. Each prepares its input once and returns what to time (and a reference)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from benchmarks.data import activity_log, cached_csv, purchase_log, repeated, wide_customers

if TYPE_CHECKING:
    from churn_core.schema import Profile

Runner = Callable[[], object]


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    budget_s: float
    prepare: Callable[[Path], tuple[Runner, Runner | None]]
    budget_rss_mb: float | None = None


def _csv_100k_x30(folder: Path) -> Path:
    return cached_csv(folder, "customers_100k_x30.csv", lambda: wide_customers(100_000, 30))


def _profiled(path: Path) -> tuple[pd.DataFrame, Profile]:
    """The table as the app reads it, and its profile: the input most cases start from."""
    from churn_core.io import read_table
    from churn_core.schema import profile_table

    frame = read_table(path, max_mb=None).frame
    return frame, profile_table(frame)


def _profile_100k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.io import read_table
    from churn_core.schema import profile_table

    path = _csv_100k_x30(folder)

    def run() -> object:
        table = read_table(path, max_mb=None)
        return profile_table(table.frame, warnings=table.warnings)

    return run, lambda: pd.read_csv(path)


def _explore_100k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.explore import plots as explore_plots
    from churn_core.explore import summaries as explore
    from churn_core.schema import get_churned

    path = _csv_100k_x30(folder)
    frame, profile = _profiled(path)
    churned = get_churned(frame, profile)
    features = profile.feature_columns
    numeric = explore.get_numeric_columns(frame, features)

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


def _train_10k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.model import fit_churn_model

    path = cached_csv(folder, "customers_10k_x20.csv", lambda: wide_customers(10_000, 20))
    frame, profile = _profiled(path)
    return lambda: fit_churn_model(frame, profile), lambda: pd.read_csv(path)


def _segments_100k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.segments import fit_segments

    path = cached_csv(folder, "customers_100k_x20.csv", lambda: wide_customers(100_000, 20))
    frame, profile = _profiled(path)
    return lambda: fit_segments(frame, profile, k="auto"), lambda: pd.read_csv(path)


def _bundle(folder: Path) -> Path:
    """A model trained on 100k x 30 customers, saved once and loaded by the scoring cases."""
    from churn_core.io import read_table
    from churn_core.model import FORMAT_VERSION, fit_churn_model, save_model
    from churn_core.schema import profile_table

    bundle = folder / f"bundle_100k_v{FORMAT_VERSION}"  # bundles of another format do not load
    if not (bundle / "model.json").exists():
        frame = read_table(_csv_100k_x30(folder), max_mb=None).frame
        save_model(fit_churn_model(frame, profile_table(frame)), bundle)
    return bundle


def _score(rows: int) -> Callable[[Path], tuple[Runner, Runner | None]]:
    def prepare(folder: Path) -> tuple[Runner, Runner | None]:
        from churn_core.model import load_model
        from churn_core.risk import rank_file, write_at_risk_list

        model = load_model(_bundle(folder))
        if rows == 100_000:
            path = _csv_100k_x30(folder)
        else:
            path = cached_csv(
                folder,
                f"customers_{rows // 1000}k_x30.csv",
                lambda: repeated(pd.read_csv(_csv_100k_x30(folder)), rows // 100_000),
            )
        out = folder / f"at_risk_{rows}.csv"

        def run() -> object:
            # Everyone listed, those who already left too: the largest list to write.
            return write_at_risk_list(rank_file(path, model, include_left=True), model, out)

        return run, lambda: sum(len(c) for c in pd.read_csv(path, chunksize=100_000))

    return prepare


def _reasons_10k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.explain import ChurnExplainer
    from churn_core.io import read_table
    from churn_core.model import load_model
    from churn_core.risk import add_reasons, get_at_risk_list

    model = load_model(_bundle(folder))  # gradient boosting: the slower model to explain
    frame = read_table(_csv_100k_x30(folder), max_mb=None).frame.head(10_000)
    explainer = ChurnExplainer(model)  # built once per model, as the app caches it

    def run() -> object:  # all 10k listed and explained, those who already left too
        return add_reasons(get_at_risk_list(model, frame, include_left=True), frame, explainer)

    return run, lambda: get_at_risk_list(model, frame, include_left=True)


def _treeshap_10k(folder: Path) -> tuple[Runner, Runner | None]:
    import shap  # the reference (requirements-dev.txt): the app never imports it

    from churn_core.explain.treeshap import HistGradientBoostingExplainer
    from churn_core.io import read_table
    from churn_core.model import load_model
    from churn_core.schema import get_feature_frame

    model = load_model(_bundle(folder))
    frame = read_table(_csv_100k_x30(folder), max_mb=None).frame.head(10_000)
    encoded = model.encode(get_feature_frame(frame, model.schema))
    estimator = model.pipeline[-1]

    def run() -> object:  # built and run, as a new model is explained the first time
        return HistGradientBoostingExplainer(estimator).shap_values(encoded)

    return run, lambda: shap.TreeExplainer(estimator, model_output="raw").shap_values(encoded)


def _one_customer(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.explain import ChurnExplainer, explain_customer
    from churn_core.io import read_table
    from churn_core.model import load_model

    model = load_model(_bundle(folder))
    customer = read_table(_csv_100k_x30(folder), max_mb=None).frame.iloc[123].to_dict()
    explainer = ChurnExplainer(model)

    def run() -> object:
        return explain_customer(explainer, customer, cutoff=model.threshold)

    return run, None


def _survival_100k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.survival import fit_hazards, fit_kaplan_meier, get_survival_data

    path = _csv_100k_x30(folder)
    frame, profile = _profiled(path)

    def run() -> object:
        data = get_survival_data(frame, profile)
        return (
            fit_kaplan_meier(data),
            fit_kaplan_meier(data, frame["Contract"]),
            fit_hazards(frame, profile, data),
        )

    return run, lambda: pd.read_csv(path)


def _clv_100k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.kpis import get_customer_values
    from churn_core.survival import ClvAssumptions, fit_retention_curve, get_survival_data

    path = _csv_100k_x30(folder)
    frame, profile = _profiled(path)
    data = get_survival_data(frame, profile)

    def run() -> object:
        curve = fit_retention_curve(data)
        return get_customer_values(frame, profile, data, curve, ClvAssumptions())

    return run, lambda: pd.read_csv(path)


def _btyd_25k(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.btyd import fit_btyd, get_holdout_by_frequency, summarize_purchases

    path = cached_csv(folder, "purchases_25k.csv", lambda: purchase_log(25_000))
    log = pd.read_csv(path, parse_dates=["date"])

    def run() -> object:  # the log in memory to every customer's forecast and the holdout check
        summary = summarize_purchases(
            log,
            "customer",
            "date",
            "amount",
            calibration_end="1997-09-30",
            holdout_end="1998-06-30",
        )
        forecast = fit_btyd(summary)
        return forecast, get_holdout_by_frequency(forecast)

    return run, lambda: pd.read_csv(path)


def _rollup_1m(folder: Path) -> tuple[Runner, Runner | None]:
    from churn_core.io import read_table
    from churn_core.logs import prepare_activity, roll_up
    from churn_core.schema import profile_table

    path = cached_csv(folder, "activity_log_1m.csv", lambda: activity_log(1_000_000))
    frame = read_table(path, max_mb=None).frame
    profile = profile_table(frame)

    def run() -> object:  # what train and score do per log: prepare once, roll up at a cutoff
        activity = prepare_activity(frame, profile)
        return roll_up(activity, activity.last_date)

    return run, lambda: pd.read_csv(path)


CASES = [
    Case("profile 100k x 30", "read + detect roles + validate a 100k-row CSV", 3.0, _profile_100k),
    Case(
        "explore 100k x 30",
        "every Explore chart for every feature on 100k rows",
        5.0,
        _explore_100k,
    ),
    Case(
        "segments 100k x 20",
        "fit and name segments, choosing k included (k = 2..10 on a 10k sample)",
        5.0,
        _segments_100k,
    ),
    Case(
        "train 10k x 20", "cross-validate 2 candidates, calibrate, test, baseline", 20.0, _train_10k
    ),
    Case(
        "score 100k from CSV",
        "read, score, rank, write the at-risk list (no reasons)",
        10.0,
        _score(100_000),
        budget_rss_mb=600,
    ),
    Case(
        "score 1M from CSV",
        "the same, streamed in chunks, sorted on disk past 1M customers",
        60.0,
        _score(1_000_000),
        budget_rss_mb=600,
    ),
    Case(
        "reasons for 10k",
        "score 10k customers and give each 3 reasons and an action (gradient boosting); "
        "reference: scoring alone",
        10.0,
        _reasons_10k,
    ),
    Case(
        "TreeSHAP for 10k",
        "exact SHAP values of a gradient boosting model (ours: churn_core/explain/treeshap.py); "
        "reference: shap.TreeExplainer on the same model and rows",
        10.0,
        _treeshap_10k,
    ),
    Case(
        "one customer: score + reasons",
        "what the Score a customer form does on submit (gradient boosting, explainer built)",
        0.15,
        _one_customer,
    ),
    Case(
        "Kaplan-Meier + Cox on 100k rows",
        "durations, retention overall and by Contract, hazard ratios with the PH check",
        5.0,
        _survival_100k,
        budget_rss_mb=1024,
    ),
    Case(
        "roll-up 1M log rows",
        "a read and profiled activity log of ~1M rows (~30k customers): prepared, then rolled "
        "up to one row per customer at a cutoff (no budget in DESIGN.md; peak memory is mostly "
        "reading and profiling the 50 MB file)",
        10.0,
        _rollup_1m,
    ),
    Case(
        "CLV for 100k customers",
        "retention curve from the data, then CLV and expected months per current customer",
        5.0,
        _clv_100k,
        budget_rss_mb=1024,
    ),
    Case(
        "BG/NBD + Gamma-Gamma on 25k customers",
        "a simulated 78-week log (69k purchases): per-customer summary, both fits, P(alive), "
        "expected purchases, spend and CLV per customer, holdout check",
        3.0,
        _btyd_25k,
    ),
]
