"""The Monitoring page (AppTest): empty states, this month's list kept and who moved on a
hand-made pair of months, a past list checked against who left (counted by hand), next
month's file read only after the user confirms, and bad outcome files said plainly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from churn_core import columns as col
from churn_core.workspace import (
    list_at_risk_lists,
    list_datasets,
    list_list_checks,
    load_at_risk_list,
    open_workspace,
    register_model,
    save_at_risk_list,
)
from tests.app.workspace_seed import DEFAULT_MODEL, keep_file, new_app, page_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_customers.csv"
PAGE = "pages/monitoring.py"


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric}


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return pd.read_csv(SAMPLE, keep_default_na=False, na_values=[""])


def _month(sample: pd.DataFrame, rows: slice) -> pd.DataFrame:
    """Customers as this month's export has them: no churn label yet, no churn date."""
    month = sample.iloc[rows].drop(columns=["Churned"]).copy()
    month["ChurnDate"] = ""
    return month.reset_index(drop=True)


@pytest.fixture
def model_in_use() -> int:
    """The sample kept in the test's workspace, the bundled model registered on it (in use)."""
    from churn_core.model import load_model

    workspace = open_workspace()
    try:
        kept = keep_file(workspace, SAMPLE.read_bytes(), "training_customers.csv")
        return register_model(workspace, load_model(DEFAULT_MODEL), kept.id).id
    finally:
        workspace.close()


def _upload(at: AppTest, name: str, raw: bytes) -> AppTest:
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value((name, raw, "text/csv")).run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def _give_later(at: AppTest, name: str, frame: pd.DataFrame) -> AppTest:
    at.file_uploader[0].set_value((name, _csv(frame), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _april_kept(sample: pd.DataFrame) -> tuple[AppTest, pd.DataFrame]:
    """April's 3,000 customers uploaded, scored on Monitoring and kept as this month's list."""
    april = _month(sample, slice(0, 3000))
    at = _upload(new_app().run(), "april.csv", _csv(april))
    return _click(at, "Keep as this month's list"), april


def test_an_empty_workspace_says_what_to_do_at_each_step() -> None:
    at = new_app().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Monitoring"]
    shown = page_text(at)
    assert "Keep this list so that next month you can see who moved" in shown
    assert "Who moved since the last list shows here once a list" in shown
    assert "No list has been kept yet. Keep this month's list in step 1" in shown
    assert "Nothing to judge the model by yet" in shown
    labels = [b.label for b in at.button]
    assert "Keep as this month's list" in labels
    assert "Compare with the training data" in labels
    assert "Prepare the summary" in labels
    assert not at.file_uploader  # nothing to check yet


def test_a_file_no_model_learned_from_is_offered_a_training_not_a_list(
    shared_data: Path,
) -> None:
    bank = (shared_data / "bank_churn" / "Churn_Modelling.csv").read_bytes()
    at = _upload(new_app().run(), "bank.csv", bank)
    shown = page_text(at)
    assert "No churn model has learned from **bank.csv**'s columns yet." in shown
    assert "Monitoring scores this month's customers with a model." in shown
    assert "Train on this data" in [b.label for b in at.button]
    assert "1. This month's list" not in [s.value for s in at.subheader]


def test_a_month_without_label_is_scored_kept_and_the_next_shows_who_moved(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    april = _month(sample, slice(0, 3000))
    at = _upload(new_app().run(), "april.csv", _csv(april))
    assert "**april.csv** scored with the model in use: 3,000 customers" in page_text(at)
    assert not [e.value for e in at.error]  # no "No churn label" error for this month's file
    _click(at, "Keep as this month's list")
    assert "Kept in the workspace as this month's list" in page_text(at)
    (kept,) = list_at_risk_lists(open_workspace())
    assert (kept.rows, kept.model_id, kept.data_name) == (3000, model_in_use, "april.csv")

    # May: the first 100 of April are gone, 40 new customers arrive, and 25 April customers
    # on a two-year contract move to month-to-month with payment failures (their risk rises);
    # everyone else is exactly as in April.
    may = april.iloc[100:].copy()
    changed = may.index[(may["Contract"] == "Two year")][:25]
    may.loc[changed, "Contract"] = "Month-to-month"
    may.loc[changed, "PaymentFailures12m"] = 4
    new = _month(sample, slice(4000, 4040))
    may = pd.concat([may, new], ignore_index=True)
    at = _upload(at, "may.csv", _csv(may))
    shown = page_text(at)
    assert "Who moved since the list of" in shown and "april.csv" in shown
    movers = at.main.dataframe[0].value
    by_movement = movers.groupby("Movement")["CustomerID"].apply(set)
    assert by_movement["gone from the file"] == set(april["CustomerID"].iloc[:100])
    assert by_movement["new in the file"] == set(new["CustomerID"])
    moved_up = by_movement.get("risk up", set()) | by_movement.get("newly at risk", set())
    changed_ids = set(april.loc[changed, "CustomerID"])
    assert moved_up <= changed_ids and len(moved_up) >= 20  # only those whose data changed
    assert not (set(movers["CustomerID"]) - changed_ids - by_movement["gone from the file"]) - set(
        new["CustomerID"]
    )
    assert "100 gone from the file" in shown and "40 new in the file" in shown
    assert "Download the movers (CSV)" in [b.label for b in at.get("download_button")]


def test_a_kept_list_checked_against_who_left_gives_the_hand_counted_record(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    at, _ = _april_kept(sample)
    workspace = open_workspace()
    (kept,) = list_at_risk_lists(workspace)
    _, rows = load_at_risk_list(workspace, kept.id)

    # Who left, as the CRM says a month later (the sample's real label, first 2,000 only).
    later = sample[["CustomerID", "Churned"]].iloc[:2000]
    at = _give_later(at, "who_left.csv", later)
    joined = rows.merge(later, on="CustomerID")
    flagged = joined[joined[col.RISK_BAND] == "High"]
    left = int((flagged["Churned"] == "Yes").sum())
    base = float((later["Churned"] == "Yes").mean())
    precision = left / len(flagged)
    metrics = _metrics(at)
    assert metrics["Flagged customers"] == f"{len(flagged):,}"
    assert metrics["Expected to leave"] == f"{flagged[col.CHURN_PROBABILITY].sum():,.0f}"
    assert metrics["Actually left"] == f"{left:,}"
    assert metrics["Flagged who left"] == f"{precision:.0%}"
    delta = next(m for m in at.main.metric if m.label == "Flagged who left").delta
    assert delta == f"{precision / base:.1f}x the average"
    assert "1,000 listed customers have no known outcome yet." in page_text(at)
    assert f"{(joined['Churned'] == 'Yes').sum():,} left" in page_text(at)

    (check,) = list_list_checks(workspace)
    assert (check.list_id, check.later_name) == (kept.id, "who_left.csv")
    assert check.flagged_actual == left
    assert check.lift == pytest.approx(precision / base)
    at.switch_page("pages/home.py").run()
    assert not at.exception, at.exception
    assert "**Track record**: List of" in page_text(at)
    assert {m.label: m.value for m in at.metric}["Flagged who left (last list)"] == (
        f"{precision:.0%}"
    )


def test_next_months_file_counts_the_missing_as_left_only_once_confirmed(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    at, april = _april_kept(sample)
    workspace = open_workspace()
    _, rows = load_at_risk_list(workspace, list_at_risk_lists(workspace)[0].id)

    gone = april["CustomerID"].iloc[::10]  # 300 customers missing from May's export
    may = april[~april["CustomerID"].isin(gone)].drop(columns=["ChurnDate"])
    at = _give_later(at, "may.csv", may)
    assert "**may.csv has no churn label**, so it reads as next month's customer file." in (
        page_text(at)
    )
    assert "300 customers on the list" in page_text(at)
    assert not at.main.metric  # nothing counted before the user says so
    assert list_list_checks(workspace) == []

    at.checkbox[0].check().run()
    assert not at.exception, at.exception
    flagged = rows[rows[col.RISK_BAND] == "High"]
    left = int(flagged["CustomerID"].isin(gone).sum())
    metrics = _metrics(at)
    assert metrics["Flagged customers"] == f"{len(flagged):,}"
    assert metrics["Actually left"] == f"{left:,}"
    assert "customers missing from may.csv are counted as left" in page_text(at)
    (check,) = list_list_checks(workspace)
    assert (check.missing_means_left, check.actual_churners) == (True, 300)


@pytest.mark.parametrize(
    ("later", "message"),
    [
        (
            pd.DataFrame({"CustomerID": ["X1", "X2", "X3"], "Churned": ["Yes", "No", "No"]}),
            "None of the 3,000 customers on the list of",
        ),
        (
            pd.DataFrame({"CustomerID": ["C000001", "C000002"], "Churned": ["Maybe", "Perhaps"]}),
            'Churned has the values "Maybe", "Perhaps": none says whether a customer left',
        ),
        (
            pd.DataFrame({"Churned": ["Yes", "No", "No"], "Plan": ["Basic", "Basic", "Pro"]}),
            'has no column "CustomerID" to find the listed customers by',
        ),
    ],
    ids=["ids-match-none", "label-never-seen", "no-id-column"],
)
def test_a_bad_outcomes_file_is_said_plainly_and_the_page_stays_up(
    sample: pd.DataFrame, model_in_use: int, later: pd.DataFrame, message: str
) -> None:
    at, _ = _april_kept(sample)
    at = _give_later(at, "outcomes.csv", later)
    errors = "\n".join(e.value for e in at.error)
    assert "outcomes.csv cannot be checked against this list" in page_text(at)
    assert message in errors
    assert "What to do:" in errors
    assert "Traceback" not in errors
    assert list_list_checks(open_workspace()) == []
    assert [s.value for s in at.subheader][-1] == "5. A one-page summary for your boss"


def test_drift_is_shown_after_the_button_and_the_summary_is_prepared(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    shifted = _month(sample, slice(0, 800))
    shifted["MonthlyCharges"] = shifted["MonthlyCharges"] * 1.6  # a price rise
    at = _upload(new_app().run(), "june.csv", _csv(shifted))
    assert "Columns that changed" not in _metrics(at)
    _click(at, "Compare with the training data")
    metrics = _metrics(at)
    assert "Columns that changed" in metrics
    shown = page_text(at)
    assert "MonthlyCharges" in shown and "the training data (training_customers.csv)" in shown
    assert "drifted from the training data" in shown
    _click(at, "Prepare the summary")
    assert "Download the summary (HTML)" in [b.label for b in at.get("download_button")]


def test_two_checked_lists_show_the_track_record_over_time(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    at = new_app().run()
    for name, rows in (("april.csv", slice(0, 2000)), ("may.csv", slice(2000, 4000))):
        at = _upload(at, name, _csv(_month(sample, rows)))
        _click(at, "Keep as this month's list")
        at.selectbox[0].select_index(0).run()  # the newest list: this month's
        at = _give_later(at, f"who_left_{name}", sample[["CustomerID", "Churned"]].iloc[rows])
        assert "Flagged customers" in _metrics(at)
    assert "**The track record, list after list**" in page_text(at)
    checks = list_list_checks(open_workspace())
    assert [c.data_name for c in checks] == ["april.csv", "may.csv"]
    labels = at.run().selectbox[0].options  # the next run marks both as checked
    assert len(labels) == 2 and all(label.endswith("· checked") for label in labels)


def test_this_month_is_flagged_as_the_last_kept_list_was_and_says_so(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    """A team that delivered "the 150 we can call" gets this month's list flagged the same way,
    so who moved in and out of the flagged is about customers, not a changed rule."""
    from churn_core.model import CAPACITY, Policy, load_model
    from churn_core.risk import get_at_risk_list

    april = _month(sample, slice(0, 3000))
    called = Policy(kind=CAPACITY, capacity=150)
    workspace = open_workspace()
    try:
        model = load_model(DEFAULT_MODEL)
        delivered = get_at_risk_list(model, april, policy=called)
        save_at_risk_list(
            workspace, delivered, policy=called, model_id=model_in_use, data_name="april.csv"
        )
    finally:
        workspace.close()

    may = _month(sample, slice(100, 3100))
    at = _upload(new_app().run(), "may.csv", _csv(may))
    shown = page_text(at)
    assert "3,000 customers, **150 flagged** at high risk" in shown
    assert "Flagged: the top 150 customers, as the list of" in shown
    _click(at, "Keep as this month's list")
    assert "Flagged: the top 150 customers, the rule this list was kept with." in page_text(at)
    newest = list_at_risk_lists(open_workspace())[0]
    assert (newest.data_name, newest.flagged) == ("may.csv", 150)
    assert newest.get_policy() == called


def test_without_a_kept_list_the_month_is_flagged_by_the_models_best_balance(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    at = _upload(new_app().run(), "april.csv", _csv(_month(sample, slice(0, 3000))))
    assert "the model's best balance (the Churn risk page's default)" in page_text(at)


def test_last_months_list_still_shows_who_moved_after_its_model_was_replaced_and_deleted(
    sample: pd.DataFrame, model_in_use: int
) -> None:
    from churn_core.model import load_model
    from churn_core.workspace import delete_model, use_model

    at, _ = _april_kept(sample)
    workspace = open_workspace()
    try:  # retrained: a new model of the same kind in use, the old one deleted
        (dataset,) = [d for d in list_datasets(workspace) if d.name == "training_customers.csv"]
        newer = register_model(workspace, load_model(DEFAULT_MODEL), dataset.id)
        use_model(workspace, newer.id)
        delete_model(workspace, model_in_use)
    finally:
        workspace.close()
    at = _upload(at, "may.csv", _csv(_month(sample, slice(100, 3100))))
    shown = page_text(at)
    assert "Who moved since the list of" in shown and "april.csv" in shown
    assert "100 gone from the file" in shown and "100 new in the file" in shown
