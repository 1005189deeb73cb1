"""Other work for the pooled cleaning workers while they have no documents.

After a run's last chunk is cleaned, its workers (one per core) sit idle
while the flow process verifies the run's own pair candidates on one core
(flows/run_pairs.py). `ordered_calls` hands such work, one job per worker,
to the workers idle at that moment, so both cores verify. A job runs under
no time limit (it is not a document's) and its function must be importable
by name, as for pickling. Where no worker is idle (batches ran elsewhere,
or a test cleans in-process) a job runs in the calling process, so the
results are the same however many workers there are.
"""

from __future__ import annotations

import collections
import ctypes
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cleaners.worker import Worker
from cleaners.worker_pool import POOL_SIZE, idle_worker


@dataclass(frozen=True)
class Call:
    """A function for a worker to run in place of cleaning a document."""

    fn: Callable
    args: tuple


class WorkerCallError(RuntimeError):
    """A call failed in a worker, or the worker died on it: fails the run."""


def run_call(call: Call) -> tuple[str, object]:
    """The worker's side: the result, or the traceback for the caller to raise."""
    try:
        return "returned", call.fn(*call.args)
    except Exception:  # reported to the caller, which raises it; the worker goes on serving
        return "raised", traceback.format_exc()
    finally:
        _trim()


def _trim() -> None:
    """Hand the pages a call freed back to the system (glibc keeps them otherwise):
    a block of candidates' texts and prepared documents is ~100 MB a worker
    held until it exited, through the load that comes after."""
    if hasattr(_LIBC, "malloc_trim"):  # glibc; musl and macOS have none
        _LIBC.malloc_trim(0)


# the process's own symbols, libc's among them: find_library would run ldconfig in every worker
_LIBC = ctypes.CDLL(None)


def call_in(worker: Worker, call: Call) -> object:
    name = getattr(call.fn, "__qualname__", repr(call.fn))
    result = worker.answer(None) if worker.send(call) else "crashed"  # no limit: poll waits
    if isinstance(result, str):
        raise WorkerCallError(f"the cleaning worker died running {name} (exit {worker.stop(kill=True)})")
    kind, value = result
    if kind == "raised":
        raise WorkerCallError(f"{name} failed in a cleaning worker:\n{value}")
    return value


def _one(fn: Callable, args: tuple) -> object:
    with idle_worker() as worker:
        return fn(*args) if worker is None else call_in(worker, Call(fn, args))


def ordered_calls(fn: Callable, jobs: Iterable[tuple]) -> Iterator[object]:
    """fn(*job) for each job, in order; up to one job per core runs at a time,
    each in an idle worker (or here). The next jobs are taken from `jobs` only
    as results are taken, so what is in flight stays bounded."""
    with ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="sift-worker-call") as pool:
        pending: collections.deque = collections.deque()
        for job in jobs:
            pending.append(pool.submit(_one, fn, job))
            if len(pending) >= POOL_SIZE:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
