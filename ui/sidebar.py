"""The sidebar every page shares: which data is loaded, and which model is in use."""

from __future__ import annotations

import streamlit as st

from churn_core.model import describe_quality
from ui.model_state import current_model, mismatch, model_source
from ui.state import current_dataset


def render_sidebar() -> None:
    dataset = current_dataset()
    profile = dataset.profile
    with st.sidebar:
        st.markdown("#### Dataset")
        source = "bundled sample" if dataset.source == "sample" else "your upload"
        log = profile.log  # a log's rows are purchases or events, not customers
        size = (
            f"{log.rows:,} rows · {log.customers:,} customers"
            if log
            else (f"{len(dataset.frame):,} customers · {dataset.frame.shape[1]} columns")
        )
        st.markdown(f"**{dataset.name}** ({source})  \n{size}")
        label = profile.label_column
        churned = dataset.churned
        if label and churned is not None and churned.notna().any():
            st.markdown(f"Churn label: **{label}** · churn rate **{churned.mean():.1%}**")
        if profile.problems:
            count = len(profile.problems)
            st.error(f"{count} problem{'s' if count > 1 else ''} to fix on the Data page.")
        st.markdown("#### Model")
        model = current_model()
        if model is None:
            st.caption("No model yet: train one on the Churn risk page.")
        elif mismatch(model, dataset):
            st.caption("No model for this data yet: train one on the Churn risk page.")
        else:
            st.markdown(f"**{model.name}** ({model_source(model)})")
            st.caption(describe_quality(model).sentence)
