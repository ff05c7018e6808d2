"""The Data page's guide "How to prepare your file", with a template to download."""

from __future__ import annotations

import streamlit as st

from churn_core.datasets import IGNORED_NOTES, get_template_csv, get_template_guide
from churn_core.io import MAX_UPLOAD_MB

TEMPLATE_NAME = "customer_file_template.csv"
#: The uploader's label and help: the limit a person reads is the app's own.
UPLOADER_LABEL = f"Your customer file: CSV, TSV or Excel, up to {MAX_UPLOAD_MB} MB"
UPLOADER_HELP = (
    f"Files over {MAX_UPLOAD_MB} MB are refused with a message; run larger ones from the "
    "command line (python -m churn_core score FILE --model DIR)."
)


def hide_server_limit() -> None:
    """Hide the uploader's own "50MB per file" line: that is the server's cap
    (``server.maxUploadSize``, set above the app's limit so a larger file still reaches the
    app and gets a plain message instead of a red icon), not the app's limit, which the
    label gives."""
    st.html(
        "<style>[data-testid='stFileUploaderDropzoneInstructions'] "
        "{display: none !important;}</style>"
    )


def show_file_guide() -> None:
    """What the app looks for, an example of each role, and what it ignores and why."""
    with st.expander("How to prepare your file", icon=":material/help:"):
        st.markdown(
            "**One row per customer**, with a header row. Export it from your CRM or billing "
            f"system as CSV or Excel (up to {MAX_UPLOAD_MB} MB; larger files run from the "
            "command line). The app finds each column's role from its name and values; you "
            "can change any role below after the upload. The columns it looks for:"
        )
        st.markdown(
            "\n".join(
                f"- **{row['Column']}** is read as *{row['Role']}* (e.g. `{row['Example']}`): "
                f"{row['What to know']}"
                for _, row in get_template_guide().iterrows()
            )
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
