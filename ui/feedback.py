"""Showing problems, warnings and unexpected failures: plain words, never a traceback."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import streamlit as st

from churn_core.errors import ChurnDataError, DataWarning, Issue, Problem

log = logging.getLogger("churn_workbench")


def escape_markdown(text: object) -> str:
    """User text shown literally in markdown: ``*``, ``_``, ``$`` and friends are escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-!|<>~$])", r"\\\1", str(text))


def issue_markdown(issue: Issue) -> str:
    """One problem or warning as markdown: the message, then the fix on its own line."""
    text = issue.message
    if issue.fix:
        text += f"  \n**What to do:** {issue.fix}"
    return text


def show_problems(problems: Sequence[Problem], heading: str | None = None) -> None:
    """Every problem at once, each in its own red box."""
    if not problems:
        return
    if heading:
        st.markdown(f"**{heading}**")
    for problem in problems:
        st.error(issue_markdown(problem), icon=":material/error:")


def show_warnings(warnings: Sequence[DataWarning], *, expanded: bool = False) -> None:
    """Warnings folded into one expander, so they inform without shouting."""
    if not warnings:
        return
    title = f"{len(warnings)} thing{'s' if len(warnings) != 1 else ''} to check in this data"
    with st.expander(title, expanded=expanded, icon=":material/warning:"):
        for warning in warnings:
            st.warning(issue_markdown(warning))


def show_data_error(error: ChurnDataError, heading: str = "This file could not be used") -> None:
    show_problems(error.problems, heading)
    show_warnings(error.warnings)


@contextmanager
def page_guard() -> Iterator[None]:
    """Turn any unexpected exception in a page into a calm message; the app stays up."""
    try:
        yield
    except ChurnDataError as error:
        show_data_error(error)
    except Exception:  # st.stop/st.rerun are BaseExceptions and pass through untouched
        log.exception("Unexpected error while running a page")
        st.error(
            "Something went wrong on this page. Your data is still loaded: try another page, "
            "or upload the file again. If it keeps happening, please tell us what you did.",
            icon=":material/sentiment_dissatisfied:",
        )
