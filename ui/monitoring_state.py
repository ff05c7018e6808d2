"""The monthly loop's state: this month's list kept or not, the lists of the same kind, how a
past list turned out (kept as its check), drift against the training data, the advice.

Everything here is read from the workspace or computed by ``churn_core.monitoring``, once per
input (cached), never on a rerun that changed nothing. The views are in ``ui/monitoring_views``.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass

import pandas as pd
import streamlit as st

from churn_core.errors import ChurnDataError, Problem
from churn_core.explain import get_importance_df
from churn_core.io import Table, read_table
from churn_core.kpis import get_headline_kpis
from churn_core.model import ChurnModel, Policy
from churn_core.monitoring import (
    DriftReport,
    Movers,
    Outcomes,
    RetrainAdvice,
    TrackRecord,
    advise_retrain,
    get_drift,
    get_movers,
    get_summary_html,
    get_track_history,
    get_track_record,
    read_outcomes,
)
from churn_core.risk import AtRiskList
from churn_core.schema import LabelMapping
from churn_core.workspace import (
    CheckRecord,
    ListRecord,
    ModelRecord,
    Workspace,
    list_at_risk_lists,
    list_list_checks,
    load_at_risk_list,
    load_list_check,
    save_at_risk_list,
    save_list_check,
)
from ui.data_store import sample_dataset, training_table
from ui.explain_state import drivers, explainer
from ui.model_state import at_risk_list, model_in_use, model_key
from ui.model_views import describe_model_in_use
from ui.state import Dataset
from ui.workspace_state import ask, workspace, workspace_key

#: This month's list is flagged as the last kept list of its kind was, else by the model's own
#: best balance (the Churn risk page's default).
DEFAULT_POLICY = Policy()
_DRIFT_ASKED = "monitoring_drift_asked"
_SUMMARY_ASKED = "monitoring_summary_asked"
_CHECKS_KEPT = "monitoring_checks_kept"


def _away() -> ChurnDataError:
    return ChurnDataError(
        [
            Problem(
                "The workspace cannot be reached right now, so lists cannot be kept or reopened.",
                fix="Try again in a minute; nothing kept is lost.",
                code="database_unreachable",
            )
        ]
    )


def _ws() -> Workspace:
    ws = workspace()
    if ws is None:
        raise _away()
    return ws


# ---------------------------------------------------------------------------------------------
# This month's list and the lists kept before it


def month_policy(lists: list[ListRecord]) -> tuple[Policy, ListRecord | None]:
    """How this month's list is flagged: as the newest kept list of its kind (``lists``, newest
    first) was, so who moved in and out of the flagged reflects the customers and not a changed
    policy; the model's best balance when none was kept. Returns the list it came from too."""
    if lists:
        return lists[0].get_policy(), lists[0]
    return DEFAULT_POLICY, None


def month_list(dataset: Dataset, model: ChurnModel, policy: Policy) -> AtRiskList:
    """This month's list: every customer of the open data, scored with the model in use and
    flagged by ``policy`` (:func:`month_policy`)."""
    return at_risk_list(dataset, model, policy)


def kept_lists() -> list[ListRecord]:
    """Every kept list, newest first (empty while the workspace is away)."""
    ws = workspace()
    return [] if ws is None else ask(list_at_risk_lists, ws)


def same_kind(lists: list[ListRecord], record: ModelRecord | None) -> list[ListRecord]:
    """The lists made by a model of the same kind of data as ``record`` (the model in use),
    deleted models' lists included; with the bundled model (None), the lists made outside the
    workspace's models."""
    kind = None if record is None else record.kind
    return [item for item in lists if item.kind == kind]


def kept_month(
    dataset: Dataset, record: ModelRecord | None, at_risk: AtRiskList, lists: list[ListRecord]
) -> ListRecord | None:
    """The kept list that is this month's: from this data, this model, with all its rows."""
    model_id = None if record is None else record.id
    for item in lists:
        same_data = (
            item.dataset_id == dataset.dataset_id
            if dataset.dataset_id is not None
            else item.dataset_id is None and item.data_name == dataset.name
        )
        if same_data and item.model_id == model_id and item.rows == len(at_risk.frame):
            return item
    return None


def previous_list(lists: list[ListRecord], month: ListRecord | None) -> ListRecord | None:
    """The newest list of the same kind before this month's (``lists`` newest first)."""
    for item in lists:
        if month is None or (item.id != month.id and item.created_at <= month.created_at):
            return item
    return None


def keep_month(dataset: Dataset, at_risk: AtRiskList, policy: Policy) -> ListRecord:
    """Keep this month's whole list in the workspace (its data, model and policy with it)."""
    record = model_in_use(dataset).record
    return ask(
        save_at_risk_list,
        _ws(),
        at_risk,
        policy=policy,
        model_id=None if record is None else record.id,
        dataset_id=dataset.dataset_id,
        data_name=dataset.name,
    )


@st.cache_data(max_entries=16, show_spinner=False)
def _rows(key: str, list_id: int, _ws: Workspace) -> pd.DataFrame:
    return load_at_risk_list(_ws, list_id)[1]


def list_rows(list_id: int) -> pd.DataFrame:
    """A kept list's rows as delivered (read once per server)."""
    return ask(_rows, workspace_key(), list_id, _ws())


@st.cache_data(max_entries=8, show_spinner="Finding who moved...")
def _movers(key: str, month_key: str, _previous: pd.DataFrame, _now: AtRiskList) -> Movers:
    return get_movers(_previous, _now.frame, id_column=_now.id_column)


def movers(
    previous: ListRecord, dataset: Dataset, model: ChurnModel, now: AtRiskList, policy: Policy
) -> Movers:
    """Who moved between the previous list and this month's (``now``, flagged by ``policy``)."""
    return _movers(
        f"{workspace_key()}|{previous.id}",
        f"{dataset.key}|{model_key(model)}|{astuple(policy)}",
        list_rows(previous.id),
        now,
    )


# ---------------------------------------------------------------------------------------------
# What happened to a past list


@dataclass(frozen=True)
class Check:
    """A past list read against a later file: the outcomes and the record they give."""

    outcomes: Outcomes
    record: TrackRecord


@st.cache_data(max_entries=4, show_spinner=False)
def _later(digest: str, raw: bytes, name: str) -> Table:
    return read_table(raw, name=name)


def read_later(raw: bytes, name: str) -> pd.DataFrame:
    """The later file (who left, or next month's customers), read like any upload."""
    return _later(hashlib.sha256(raw).hexdigest(), raw, name).frame


@st.cache_data(max_entries=8, show_spinner="Checking the list against who left...")
def _check(
    key: str,
    list_id: int,
    digest: str,
    missing_left: bool,
    learned: tuple[str, str, str],
    _rows: pd.DataFrame,
    _later: pd.DataFrame,
    name: str,
    list_name: str,
) -> Check:
    column, churned, stayed = learned
    own = _later.get(column)
    outcomes = read_outcomes(
        _rows,
        _later,
        label=column if own is not None and own.notna().any() else None,
        learned=LabelMapping(churned, stayed),
        missing_means_left=missing_left,
        list_name=list_name,
        later_name=name,
    )
    return Check(outcomes, get_track_record(_rows, outcomes))


def check_list(
    item: ListRecord, raw: bytes, name: str, model: ChurnModel, *, missing_left: bool
) -> Check:
    """How list ``item`` turned out according to the later file, read with the label the
    model learned (its column, when the file has it filled in, and its values); raises
    ChurnDataError with every problem when it cannot be told."""
    later = read_later(raw, name)
    digest = hashlib.sha256(raw).hexdigest()
    mapping = model.label_mapping
    learned = (model.label_column, mapping.churned_value, mapping.stayed_value)
    list_name = f"the list of {item.created_at:%Y-%m-%d}"
    rows = list_rows(item.id)
    return _check(
        workspace_key(), item.id, digest, missing_left, learned, rows, later, name, list_name
    )


def keep_check(item: ListRecord, check: Check, name: str, *, missing_left: bool) -> bool:
    """Keep the check in the workspace's track record, once per list, file and reading in
    this session; True when it was written now."""
    kept: set[str] = st.session_state.setdefault(_CHECKS_KEPT, set())
    mark = f"{item.id}|{name}|{missing_left}|{check.record.actual_churners}"
    if mark in kept:
        return False
    ask(
        save_list_check,
        _ws(),
        item.id,
        check.outcomes,
        check.record,
        later_name=name,
        missing_means_left=missing_left,
    )
    kept.add(mark)
    return True


def list_checks() -> list[CheckRecord]:
    """Every kept check, oldest list first (empty while the workspace is away)."""
    ws = workspace()
    return [] if ws is None else ask(list_list_checks, ws)


@st.cache_data(max_entries=32, show_spinner=False)
def _record(key: str, list_id: int, checked_at: str, _ws: Workspace) -> TrackRecord | None:
    found = load_list_check(_ws, list_id)
    if found is None:
        return None
    return get_track_record(load_at_risk_list(_ws, list_id)[1], found[1])


def kept_record(check: CheckRecord) -> TrackRecord | None:
    """The whole record of a kept check, rebuilt from its list and outcomes."""
    return ask(_record, workspace_key(), check.list_id, check.checked_at.isoformat(), _ws())


def history(checks: list[CheckRecord]) -> pd.DataFrame:
    """Expected against actual leavers, list after list (oldest first)."""
    records = {
        f"{c.list_created_at:%Y-%m-%d %H:%M} (list {c.list_id})": kept_record(c) for c in checks
    }
    return get_track_history({k: r for k, r in records.items() if r is not None})


def latest_check(model_record: ModelRecord | None) -> CheckRecord | None:
    """The newest check of a list made by the model in use (None: none checked yet)."""
    model_id = None if model_record is None else model_record.id
    mine = [c for c in list_checks() if c.model_id == model_id]
    return mine[-1] if mine else None


# ---------------------------------------------------------------------------------------------
# Drift, the advice, the summary


def reference_frame(record: ModelRecord | None) -> tuple[pd.DataFrame, str]:
    """The data the model in use learned from, and its name (the sample for the bundled one)."""
    if record is None:
        sample = sample_dataset()
        return sample.frame, sample.name
    if record.dataset_id is None:
        raise ChurnDataError(
            [
                Problem(
                    f"The data model {record.id} learned from ({record.dataset_name}) was "
                    "deleted from the workspace, so this month's customers cannot be compared "
                    "with it.",
                    fix="Train a model on recent data; its data is kept with it.",
                    code="training_data_deleted",
                )
            ]
        )
    return training_table(_ws(), record.dataset_id), record.dataset_name


@st.cache_data(
    max_entries=4, show_spinner="Comparing this month's customers with the training data..."
)
def _drift(
    data_key: str,
    model_key: str,
    reference_name: str,
    new_name: str,
    _reference: pd.DataFrame,
    _new: pd.DataFrame,
    _model: ChurnModel,
) -> DriftReport:
    return get_drift(
        _reference,
        _new,
        model=_model,
        explainer=explainer(_model),
        reference_name=f"the training data ({reference_name})",
        new_name=new_name,
    )


def ask_for_drift() -> None:
    st.session_state[_DRIFT_ASKED] = True


def drift(dataset: Dataset, model: ChurnModel, *, compute: bool) -> DriftReport | None:
    """Drift of this month's data from the model's training data: computed when asked
    (``compute``, or asked before in this session), else None."""
    if not compute and not st.session_state.get(_DRIFT_ASKED):
        return None
    record = model_in_use(dataset).record
    reference, name = reference_frame(record)
    return _drift(
        dataset.key, model_key(model), name, dataset.name, reference, dataset.frame, model
    )


def advice(
    model: ChurnModel, report: DriftReport | None, record: TrackRecord | None
) -> RetrainAdvice:
    return advise_retrain(model.card, drift=report, record=record)


def ask_for_summary() -> None:
    st.session_state[_SUMMARY_ASKED] = True


def summary_asked() -> bool:
    return bool(st.session_state.get(_SUMMARY_ASKED))


def summary_html(
    dataset: Dataset,
    model: ChurnModel,
    month: AtRiskList,
    *,
    as_of: str,
    record: TrackRecord | None,
    record_name: str,
    moved: Movers | None,
    report: DriftReport | None,
    advised: RetrainAdvice,
) -> str:
    """The one-page summary for the boss (drivers from the data's explained sample)."""
    importance = get_importance_df(drivers(dataset, model))
    labelled = dataset.profile.label_column == model.label_column  # a guessed label is no KPI
    return get_summary_html(
        month.frame,
        as_of=as_of,
        title=f"Churn summary: {dataset.name}",
        model_sentence=describe_model_in_use(model),
        kpis=get_headline_kpis(dataset.frame, dataset.profile) if labelled else None,
        drivers=importance,
        record=record,
        record_name=record_name,
        movers=moved,
        drift=report,
        advice=advised,
    )
