"""Keeping the server inside a 512 MB dyno when several people work at once.

Trainings run one at a time (the workspace's queue). :func:`release_memory` hands the memory a
training freed back to the system, and :func:`tune_allocator` makes glibc do so by itself, as
``MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=65536 MALLOC_TRIM_THRESHOLD_=131072`` would, set
from inside the process: with four people training at once, the server's peak was about 55 MB
lower (578 MB without, 520 MB with; tests/browser/test_workspace_journey.py measures it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def _load_libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


_libc = _load_libc()


#: mallopt's parameters (glibc's malloc.h) and the values set.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
_TUNING = ((_M_ARENA_MAX, 2), (_M_MMAP_THRESHOLD, 64 * 1024), (_M_TRIM_THRESHOLD, 128 * 1024))
_tuned = False


def tune_allocator() -> None:
    """Fewer malloc arenas for the server's threads, large blocks (arrays) in pages of their
    own that go back to the system when freed, and a heap trimmed sooner; once per process,
    and a no-op on other C libraries."""
    global _tuned
    mallopt = getattr(_libc, "mallopt", None)
    if _tuned or mallopt is None:
        return
    for parameter, value in _TUNING:
        mallopt(parameter, value)
    _tuned = True


def forget_upload(file_id: str) -> None:
    """Let go of an uploaded file's bytes once the workspace keeps them.

    Streamlit holds every file a session uploaded until the session ends, even after its
    uploader is gone (only the uploader's own remove button frees one). There is no public way
    to free it, so this uses Streamlit 1.67's upload manager, as its chat input does, and does
    nothing if that ever changes.
    """
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    except ImportError:
        return
    ctx = get_script_run_ctx()
    remove = getattr(getattr(ctx, "uploaded_file_mgr", None), "remove_file", None)
    if ctx is not None and remove is not None:
        remove(ctx.session_id, file_id)


def release_memory() -> None:
    """Collect garbage and ask glibc to return freed heap pages to the system (a no-op on
    other C libraries)."""
    gc.collect()
    trim = getattr(_libc, "malloc_trim", None)
    if trim is not None:
        trim(0)
