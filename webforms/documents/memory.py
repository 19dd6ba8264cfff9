"""Handing freed memory back to the system after one-off work.

Compiling a template, preparing its controlled frame or checking a large spreadsheet parses a lot
once; the C allocator keeps the pages freed afterwards for later use, so a web worker would carry
that peak for the rest of its life. glibc's ``malloc_trim`` returns them; where the C library has
no such call, this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc


def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_MALLOC_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Collect what only cycles kept alive (a form and its fields refer to each other), then give
    the allocator's free pages back: some milliseconds, after one-off work only."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
