"""Allocator settings that keep a sift process's resident memory down.

Called once at start-up, before any thread exists. Both only change where
freed memory goes; neither changes a result.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# glibc gives each thread that allocates while another holds the lock its
# own arena (up to 8 per core), and memory freed in one arena serves only
# that arena. An ingest's flow process runs ~45 threads (Prefect's, the task
# runner's, DuckDB's, the workers' feeders); two arenas are enough for its
# one busy thread and the feeders.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number (glibc malloc.h)


def configure() -> None:
    """Cap glibc's malloc arenas and give pyarrow the system allocator.

    pyarrow's default pool (jemalloc) keeps pages it freed for reuse by
    Arrow alone; staging a chunk's rows and reading them back is bursty, and
    those pages then stayed resident beside DuckDB's and Python's.
    """
    name = ctypes.util.find_library("c")
    if name:
        try:
            libc = ctypes.CDLL(name)
            if hasattr(libc, "mallopt"):  # glibc; musl and macOS have none, and need none
                libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
        except OSError:
            pass
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
