"""The pool of cleaning workers (cleaners/worker.py) and batches cleaned in it.

Workers are pooled per process and kept between batches: a new one costs
seconds (cleaners/worker.py), so it is replaced only after a timeout or
crash, or when a batch asks for other stages. At most one per core:
concurrent batch tasks (Prefect runs them in threads) beyond that wait for a
free worker, which costs nothing, as the cores are busy anyway.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import os
import threading
from collections.abc import Iterable, Iterator

from cleaners.record import Document, Quarantined
from cleaners.worker import IN_FLIGHT, Stage, Worker, WorkerStartError, quarantine_of

POOL_SIZE = max(1, len(os.sched_getaffinity(0)))
_slots = threading.BoundedSemaphore(POOL_SIZE)
_pool_lock = threading.Lock()
_idle: list[Worker] = []
_n_busy = 0


def _take_idle(stages: tuple[Stage, ...]) -> Worker | None:
    """An idle worker with these stages; idle others are stopped to make room for a new one."""
    global _n_busy
    with _pool_lock:
        _n_busy += 1
        match = next((w for w in reversed(_idle) if w.stages == stages and w.is_alive()), None)
        if match is not None:
            _idle.remove(match)
            return match
        while _idle and len(_idle) + _n_busy > POOL_SIZE:
            _idle.pop(0).stop()
        return None


def _give_back(worker: Worker | None) -> None:
    global _n_busy
    with _pool_lock:
        _n_busy -= 1
        if worker is not None:
            _idle.append(worker)


@contextlib.contextmanager
def idle_worker() -> Iterator[Worker | None]:
    """A pooled worker idle now, whatever its stages, or None (cleaners.worker_calls)."""
    global _n_busy
    if not _slots.acquire(blocking=False):
        yield None
        return
    with _pool_lock:
        worker = taken = next((w for w in reversed(_idle) if w.is_alive()), None)
        if taken is not None:
            _idle.remove(taken)
            _n_busy += 1
    try:
        yield worker
    except BaseException:
        if taken is not None:  # it may have died, or still hold an unread answer
            taken.stop(kill=True)
            worker = None
        raise
    finally:
        if taken is not None:
            _give_back(worker)
        _slots.release()


def stop_idle() -> int:
    """Stop the pooled workers idle now; return how many. A run calls this when
    it needs no more cleaning: two idle workers hold ~0.7 GB, which its load
    and a scheduler's wait for the next run do not need."""
    with _pool_lock:
        idle = _idle[:]
        _idle.clear()
    for worker in idle:
        worker.stop()
    return len(idle)


def prestart(stages: tuple[Stage, ...], n: int = POOL_SIZE) -> None:
    """Start `n` pooled workers in the background (each takes seconds to import
    and warm up), so they are ready when the first batch comes: the ingest
    command calls this before Prefect's own start-up, which takes as long.
    A worker that cannot start is left to the first batch, which reports it."""

    def start_one() -> None:
        with _slots:
            worker = _take_idle(stages)
            try:
                worker = worker or Worker(stages)
            except (WorkerStartError, OSError):
                worker = None
            finally:
                _give_back(worker)

    for _ in range(n):
        threading.Thread(target=start_one, name="sift-worker-prestart", daemon=True).start()


def _with_raw(result: Document | Quarantined, sent: Document) -> Document | Quarantined:
    if isinstance(result, Quarantined) or result.raw:
        return result
    return dataclasses.replace(result, raw=sent.raw)


def _failure(doc: Document, result: str, code: int | None, timeout: float) -> Quarantined:
    if result == "timeout":
        detail = f"cleaning took longer than {timeout:g} s (limits.doc_timeout_seconds); worker stopped"
        return quarantine_of(doc, "timeout", detail)
    return quarantine_of(doc, "worker_crashed", f"the cleaning worker died on this document (exit {code})")


def clean_in_worker(
    docs: Iterable[Document], stages: tuple[Stage, ...], timeout: float, keep_raw: bool = True
) -> list[Document | Quarantined]:
    """Every document cleaned in a worker process, in order, each under `timeout`
    seconds; kept documents get their raw bytes back unless `keep_raw` is off."""
    todo = collections.deque(docs)
    out: list[Document | Quarantined] = []
    _slots.acquire()
    worker = _take_idle(stages)
    try:
        while todo:
            fresh = worker is None
            worker = worker or Worker(stages)
            sent = 0  # todo[:sent] are at the worker, answers pending in order
            while todo:
                while sent < min(IN_FLIGHT, len(todo)) and worker.send(todo[sent]):
                    sent += 1
                if not sent and not fresh:  # an idle worker that died meanwhile: no document's fault
                    worker.stop(kill=True)
                    worker = None
                    break
                result = worker.answer(timeout) if sent else "crashed"
                doc = todo.popleft()
                sent = max(0, sent - 1)
                if isinstance(result, str):  # stuck or dead: the rest go to a fresh worker
                    code = worker.stop(kill=True)
                    worker = None
                    out.append(_failure(doc, result, code, timeout))
                    break
                out.append(_with_raw(result, doc) if keep_raw else result)
                fresh = False
    except BaseException:
        if worker is not None:  # interrupted mid-batch: its answers would reach the next batch
            worker.stop(kill=True)
            worker = None
        raise
    finally:
        _give_back(worker)
        _slots.release()
    return out
