"""Allocator and collector settings for a sift process's memory and CPU.

`configure` is called once at start-up, before any thread exists, and
`collect_less` once the libraries are imported. They only change where freed
memory goes and when cycles are looked for; none changes a result.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

# glibc gives each thread that allocates while another holds the lock its
# own arena (up to 8 per core), and memory freed in one arena serves only
# that arena. An ingest's flow process runs ~45 threads (Prefect's, the task
# runner's, DuckDB's, the workers' feeders); two arenas are enough for its
# one busy thread and the feeders.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter numbers (glibc malloc.h)
_M_MMAP_THRESHOLD = -3
# glibc serves a request this large or larger with its own mmap, unmapped when
# freed. Its default starts at 128 KB and rises to the largest block freed so
# far, so after the first chunk the Arrow buffers of staging (MBs each) came
# from the heap and stayed resident once freed: staging a 5,000-document chunk
# took the flow 125 MB up, 65 MB with this fixed threshold (which also stops
# it rising).
MMAP_THRESHOLD = 1 << 20


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
                libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        except OSError:
            pass
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


# The flow process's full (generation 2) collections scan every tracked
# object: the ~400k that importing Prefect, DuckDB and pyarrow leaves, which
# live until exit, and the documents in flight. Its threads that feed the
# cleaning workers and the one that finds pairs all wait while one runs.
# Measured on the first 30k documents of the 100k bench corpus (flow process
# only): with Python's defaults (700, 10, 10) 4,476 young, 407 middle and 15
# full collections took 4.1-4.3 s, 3.9 s of it in the full ones; with the
# imports frozen and these thresholds, about 1 s. Made rare, full
# collections must not be what frees memory: batch results that Prefect
# held in reference cycles piled up (flow RSS 3.5 GB at 100k) until
# task_runners.release_result broke those cycles.
GC_THRESHOLDS = (10_000, 10, 100)


def collect_less() -> None:
    """Freeze what the imports allocated (never scanned again) and collect young objects less often."""
    gc.collect()  # garbage from start-up is freed now, not frozen with the rest
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
