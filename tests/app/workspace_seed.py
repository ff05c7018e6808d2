"""A workspace with something in it, as the app would have left it: the sample kept, the
bundled model registered on it, and a delivered at-risk list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

from churn_core.io import read_table
from churn_core.model import ChurnModel, Policy, load_model
from churn_core.risk import rank_customers, score_customers, value_customers
from churn_core.schema import profile_table
from churn_core.workspace import (
    DatasetRecord,
    ListRecord,
    ModelRecord,
    Workspace,
    keep_read_table,
    open_workspace,
    register_model,
    save_at_risk_list,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_customers.csv"
DEFAULT_MODEL = ROOT / "models" / "default"


def new_app() -> AppTest:
    """The whole app (frame and pages), not yet run."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def page_text(at: AppTest) -> str:
    """What the page says in its main area: text, captions and every kind of message."""
    parts = [m.value for m in at.main.markdown] + [c.value for c in at.main.caption]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.sidebar.markdown)


@dataclass
class Seeded:
    workspace: Workspace
    dataset: DatasetRecord
    model: ModelRecord
    at_risk: ListRecord
    bundled: ChurnModel


def keep_file(workspace: Workspace, raw: bytes, name: str) -> DatasetRecord:
    """A file kept and read, as the Data page leaves it."""
    table = read_table(raw, name=name)
    return keep_read_table(workspace, raw, table, profile_table(table.frame))


def seed_workspace(name: str = "kept_customers.csv") -> Seeded:
    """The sample's bytes kept under ``name``, the bundled model on it (in use), one list."""
    workspace = open_workspace()  # WORKSPACE_DIR: the test's own folder (tests/conftest.py)
    dataset = keep_file(workspace, SAMPLE.read_bytes(), name)
    bundled = load_model(DEFAULT_MODEL)
    model = register_model(workspace, bundled, dataset.id)
    frame = read_table(SAMPLE.read_bytes(), name=name).frame
    scores = score_customers(bundled, frame)
    at_risk = rank_customers(bundled, scores, value_customers(bundled, frame), policy=Policy())
    kept = save_at_risk_list(
        workspace, at_risk, policy=Policy(), model_id=model.id, dataset_id=dataset.id
    )
    return Seeded(workspace, dataset, model, kept, bundled)
