"""The Data page's guide "How to prepare your file", with a template to download."""

from __future__ import annotations

import streamlit as st

from churn_core.datasets import IGNORED_NOTES, get_template_csv, get_template_guide
from churn_core.io import MAX_UPLOAD_MB

TEMPLATE_NAME = "customer_file_template.csv"


def show_file_guide() -> None:
    """What the app looks for, an example of each role, and what it ignores and why."""
    with st.expander("How to prepare your file", icon=":material/help:"):
        st.markdown(
            "**One row per customer**, with a header row. Export it from your CRM or billing "
            f"system as CSV or Excel (up to {MAX_UPLOAD_MB} MB; larger files run from the "
            "command line). The app finds each column's role from its name and values; you "
            "can change any role below after the upload. The columns it looks for:"
        )
        st.dataframe(
            get_template_guide(),
            hide_index=True,
            width="stretch",
            column_config={"What to know": st.column_config.TextColumn(width="large")},
        )
        st.markdown(
            "**Left out on purpose** (and shown with the reason below once you upload):\n"
            + "\n".join(f"- {note}" for note in IGNORED_NOTES)
        )
        st.download_button(
            "Download the template (CSV)",
            get_template_csv(),
            TEMPLATE_NAME,
            "text/csv",
            icon=":material/download:",
            help="A small made-up file with one column of each kind: fill it in, or rename "
            "your own columns to match.",
        )
