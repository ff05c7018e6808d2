"""A page that is not built yet says what it will do and where to go meanwhile."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def coming_soon(title: str, question: str, features: Sequence[str]) -> None:
    st.title(title)
    st.markdown(f"**{question}**")
    st.info(
        "This page is coming in the next release. Here is what it will show:",
        icon=":material/construction:",
    )
    st.markdown("\n".join(f"- {feature}" for feature in features))
    st.page_link(
        "pages/explore.py", label="Meanwhile, explore your data", icon=":material/query_stats:"
    )
