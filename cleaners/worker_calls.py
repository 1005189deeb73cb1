"""Other work for worker processes: the run's own pair verification, on both cores.

After a run's last chunk is cleaned, the flow process verifies the run's own
pair candidates (flows/run_pairs.py). `ordered_calls` runs such jobs in
call workers (cleaners/worker.py, CALLS_ONLY), one per core, started for the
purpose and stopped when the jobs are done. Not in the idle cleaning
workers, as it once did: by then each of those held ~400 MB (the cleaning
modules, langdetect's profiles, word caches), and with a block of
candidates each they were the 1M run's peak (workers 860 MB of a 1,757 MB
tree); a call worker starts in ~0.4 s at ~35 MB. A job runs under no time
limit (it is not a document's) and its function must be importable by
name, as for pickling. A single job runs in the calling process: a worker
would cost more than it saves. Results are the same either way.
"""

from __future__ import annotations

import collections
import ctypes
import itertools
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cleaners.worker import CALLS_ONLY, Worker
from cleaners.worker_pool import POOL_SIZE


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
        raise WorkerCallError(f"the call worker died running {name} (exit {worker.stop(kill=True)})")
    kind, value = result
    if kind == "raised":
        raise WorkerCallError(f"{name} failed in a call worker:\n{value}")
    return value


def ordered_calls(fn: Callable, jobs: Iterable[tuple]) -> Iterator[object]:
    """fn(*job) for each job, in order; up to one job per core runs at a time,
    each in a call worker (a single job: here). The next jobs are taken from
    `jobs` only as results are taken, so what is in flight stays bounded."""
    jobs = iter(jobs)
    first = list(itertools.islice(jobs, 2))
    if len(first) < 2:
        yield from itertools.starmap(fn, first)
        return
    workers: list[Worker] = []
    local = threading.local()
    lock = threading.Lock()

    def one(args: tuple) -> object:
        worker = getattr(local, "worker", None)
        if worker is None:
            worker = local.worker = Worker(CALLS_ONLY)
            with lock:
                workers.append(worker)
        # a WorkerCallError ends the calls; a job already queued behind it runs unread
        return call_in(worker, Call(fn, args))

    try:
        with ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="sift-worker-call") as pool:
            pending: collections.deque = collections.deque()
            for job in itertools.chain(first, jobs):
                pending.append(pool.submit(one, job))
                if len(pending) >= POOL_SIZE:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        for worker in workers:
            worker.stop(kill=not worker.is_alive())
