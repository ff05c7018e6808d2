"""Make sure every page runs inside ``app.py``'s frame (config, sidebar, navigation).

Streamlit keeps a legacy mode for apps with a ``pages/`` folder: on a freshly started server,
until some session has run ``app.py``, a deep link such as ``/explore`` runs
``pages/explore.py`` on its own, with no page config, no sidebar and a raw file-name menu
(streamlit/streamlit PR #10276 notes it). Pages call :func:`require_frame` first; outside the
frame it switches the legacy mode off and reruns, so ``st.navigation`` routes the link.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_inside = ContextVar("inside_app_frame", default=False)


@contextmanager
def app_frame() -> Iterator[None]:
    """Mark the pages run by ``app.py`` as framed."""
    token = _inside.set(True)
    try:
        yield
    finally:
        _inside.reset(token)


def require_frame() -> None:
    """Rerun through ``app.py`` when Streamlit ran this page directly (legacy pages mode)."""
    if not _inside.get():
        PagesManager.uses_pages_directory = False
        st.rerun()
