"""Hand memory the run no longer uses back to the operating system between its phases.

A run's phases allocate and free large amounts: the extract decodes pages, the producers build their
intermediates. Freed memory stays with the allocator that held it: Arrow's pool (mimalloc) keeps what
Parquet reads and Arrow strings released, and glibc's ``malloc`` keeps freed heap in its arenas (one per
thread that allocated: the extract's readers). Neither is reused by the other, so the next phase's peak
comes on top of memory nobody uses. Nothing here changes a value; only the resident size.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

import pyarrow as pa


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` where the C library has none (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_free_memory() -> None:
    """Return the free memory of Arrow's pool and of glibc's heap to the operating system (best effort)."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
