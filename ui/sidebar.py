"""The sidebar every page shares: which data is open, and which model is in use for it.

Drawn before the page, so a change a page makes (an upload, a model put in use) is applied in a
callback or followed by a rerun: the sidebar always names what the page shows.
"""

from __future__ import annotations

import streamlit as st

from churn_core.model import describe_quality
from ui.model_state import mismatch, model_in_use, model_problem
from ui.state import Dataset, data_status
from ui.workspace_state import workspace


def _data_source(dataset: Dataset) -> str:
    if dataset.source == "sample":
        return "bundled sample"
    return "kept in the workspace" if dataset.kept else "your upload, not kept"


def render_sidebar() -> None:
    status = data_status()
    with st.sidebar:
        st.markdown("#### Dataset")
        if not isinstance(status, Dataset):
            st.markdown(f"**{status.name}** (still being read)")
            st.markdown("#### Model")
            st.caption("Chosen once the file has been read.")
            return
        dataset, profile = status, status.profile
        log = profile.log  # a log's rows are purchases or events, not customers
        size = (
            f"{log.rows:,} rows · {log.customers:,} customers"
            if log
            else (f"{len(dataset.frame):,} customers · {dataset.frame.shape[1]} columns")
        )
        st.markdown(f"**{dataset.name}** ({_data_source(dataset)})  \n{size}")
        label = profile.label_column
        churned = dataset.churned
        if label and churned is not None and churned.notna().any():
            st.markdown(f"Churn label: **{label}** · churn rate **{churned.mean():.1%}**")
        if profile.scoring_problems:
            count = len(profile.problems)
            st.error(f"{count} problem{'s' if count > 1 else ''} to fix on the Data page.")
        elif profile.problems:  # no churn label: this month's customers, to score
            st.caption("No churn label: a model can score it (Monitoring), not learn from it.")
        st.markdown("#### Model")
        in_use = model_in_use(dataset)
        model, record = in_use.model, in_use.record
        if model is None:
            st.caption("No model yet: train one on the Churn risk page.")
        elif mismatch(model, dataset):
            st.caption("No model for this data yet: train one on the Churn risk page.")
        else:
            source = (
                f"model {record.id} in the workspace"
                if record is not None
                else "bundled, trained on the sample data"
            )
            st.markdown(f"**{model.name}** ({source})")
            st.caption(describe_quality(model).sentence)
        if (problem := model_problem()) is not None:
            st.error(f"Model {problem[0]} in the workspace was refused: {problem[1]}")
        if workspace() is None:
            st.caption(":material/cloud_off: Workspace away: nothing new is kept for now.")
