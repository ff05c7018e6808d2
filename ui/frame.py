"""Every page runs inside ``app.py``'s frame (config, login, menu, sidebar), from the first paint.

Why a page can find itself outside the frame (Streamlit 1.67 source):

- ``runtime/pages_manager.py``: the first session of a server process sets the class flag
  ``PagesManager.uses_pages_directory`` to True because ``pages/`` sits beside ``app.py``.
  Only ``st.navigation`` sets it back to False (``commands/navigation.py``), for the whole
  process.
- ``runtime/scriptrunner/script_runner.py``: while the flag is True every run goes through
  ``_mpa_v1``, which builds a navigation from the ``pages/*.py`` file names ("app",
  "churn risk", ...), sends it to the browser, and runs the page the URL names: ``app.py``
  at ``/``, but ``pages/explore.py`` alone for a deep link to ``/explore``.

So on a freshly started server the browser was sent a menu of file names before ``app.py``
ran, and a deep link ran its page with no frame. The fix, with public APIs only:

- ``client.showSidebarNavigation = false`` (``.streamlit/config.toml``): ``_mpa_v1`` then
  sends its navigation hidden, and the browser never draws Streamlit's menu;
- ``app.py`` routes with ``st.navigation(..., position="hidden")`` and draws its own menu
  (:func:`show_menu`);
- a page calls :func:`require_frame` first: outside the frame (a deep link run by
  ``_mpa_v1``) it runs ``app.py`` itself, whose ``st.navigation`` call ends the legacy mode
  and routes the same URL to this page, now framed, then stops the unframed run.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import streamlit as st

#: The entry script: the frame a page hands over to.
APP_SCRIPT = Path(__file__).resolve().parents[1] / "app.py"

_inside = ContextVar("inside_app_frame", default=False)
_title = ContextVar("page_title", default="")


@contextmanager
def app_frame(title: str = "") -> Iterator[None]:
    """Mark the pages run by ``app.py`` as framed (``title``: the page's, see
    :func:`page_title`)."""
    token, named = _inside.set(True), _title.set(title)
    try:
        yield
    finally:
        _inside.reset(token)
        _title.reset(named)


def page_title() -> str:
    """The title of the page being run (for a message drawn instead of the page)."""
    return _title.get()


def require_frame() -> None:
    """Hand over to ``app.py`` when Streamlit ran this page on its own (legacy pages mode).

    ``app.py`` routes the same URL back to this page inside its frame (``_inside`` is then
    set, so the page goes on); the unframed run ends here with ``st.stop()``.
    """
    if not _inside.get():
        runpy.run_path(str(APP_SCRIPT))
        st.stop()


def show_menu(pages: Sequence[st.Page]) -> None:
    """The app's menu at the top of the sidebar: each page's title and icon, the current page
    highlighted (``st.page_link`` marks it), as Streamlit's own menu does."""
    with st.sidebar:
        for page in pages:
            st.page_link(page)
        st.divider()
