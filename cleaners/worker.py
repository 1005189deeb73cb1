"""Cleaning worker processes: the per-document time limit, enforced by killing.

A hostile page can make a stage hang (a catastrophic regex backtrack, a
pathological tree in lxml or trafilatura). A thread cannot be killed.
`signal.alarm` works only in the main thread (Prefect runs batch tasks in
other threads), and its handler runs only when the interpreter gets control
back, so a call into C code that does not poll for signals cannot be
interrupted. Only a process can be stopped mid-call. So `clean_in_worker`
hands a batch to a worker process; when a document takes longer than the
limit, the worker is killed, that document is quarantined with reason
`timeout`, and a fresh worker takes the rest. A worker that dies (segfault,
OOM kill) costs only the document it was on (`worker_crashed`).

Documents are pipelined: up to IN_FLIGHT are queued at the worker, so it
never idles through a round trip or while the flow process is busy
(measured: a pickle round trip per document, ~0.2-0.5 ms, was 10-20 % of
cleaning once the rules got fast). The
worker answers in order, so the oldest unanswered document is the one it is
on: its limit runs from the previous answer. A reader thread in the worker
takes documents off the socket while the main thread cleans, so a large
document and a large answer can never block each other.

A new worker is a fresh interpreter that imports the cleaning modules and
warms up trafilatura and langdetect (~2-3 s, more under load), all before
its handshake, so none of it counts against a document's limit; so workers
are pooled (one per core) and kept between batches. Batches in parallel
threads get parallel workers, not a shared GIL.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import os
import queue
import socket
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection

from cleaners.record import Document, Quarantined, without_intermediates
from cleaners.safe_paths import storable_text

Stage = Callable[[Document], Document]
_READY = "ready"
# Start-up (imports and warm-up) is not a document's fault: its own limit,
# generous because a loaded 2-core machine takes several seconds.
WORKER_START_SECONDS = 120
# Documents queued at a worker. 4 hid one round trip, but not the flow process's
# GIL: while its main thread finds pairs, the threads feeding the workers wait
# for it, and a worker that has cleaned its queue idles (10k bench documents,
# once cleaning got faster: 49.8 -> 36.1 s in the run at 32; 200 gave the same).
IN_FLIGHT = 32


def quarantine_of(doc: Document, reason: str, detail: str) -> Quarantined:
    return Quarantined(doc.source_uri, reason, storable_text(detail), doc.raw_sha256, len(doc.raw))


def serve(fd: int) -> None:
    """Worker process main: set up from the parent, warm up, then clean documents until told to stop."""
    from cleaners.pipeline import WARM_UP, clean_document  # the worker's own import, after sys.path is set
    from cleaners.worker_calls import Call, run_call

    conn = Connection(fd)
    sys.path[:] = conn.recv()  # the parent's path first, so its stages (even a test's) unpickle
    stages = conn.recv()
    clean_document(WARM_UP, stages)
    inbox: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                inbox.put(conn.recv())
        except (EOFError, OSError):
            inbox.put(None)  # the parent closed its end (it stopped, or dropped this worker)

    threading.Thread(target=read, daemon=True).start()
    conn.send(_READY)
    while (doc := inbox.get()) is not None:
        conn.send(run_call(doc) if isinstance(doc, Call) else _slim(clean_document(doc, stages)))


def _slim(result: Document | Quarantined) -> Document | Quarantined:
    """The answer without what the parent has or never reads: the raw bytes (it
    sent them; `_with_raw` puts them back) and the intermediate texts (see
    clean_batch). They were 72 % of a pickled answer (15 of 21 KB for a 5 KB
    page), unpickled under the flow process's GIL and held in its memory."""
    if isinstance(result, Quarantined):
        return result
    return without_intermediates(result, keep_raw=False)


def _with_raw(result: Document | Quarantined, sent: Document) -> Document | Quarantined:
    if isinstance(result, Quarantined) or result.raw:
        return result
    return dataclasses.replace(result, raw=sent.raw)


class WorkerStartError(RuntimeError):
    """No cleaning worker could start: an infrastructure error that fails the run."""


class Worker:
    """One worker process and its socket; unusable after a timeout or crash.

    Started with `subprocess`, not `multiprocessing`: Dask's worker processes
    are daemonic, and multiprocessing forbids those to have children.
    """

    def __init__(self, stages: tuple[Stage, ...]) -> None:
        self.stages = stages
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", f"from cleaners.worker import serve; serve({theirs.fileno()})"],
                pass_fds=(theirs.fileno(),),
                # This worker already bounds the whole chain in time, so extraction
                # needs no helper process of its own inside it.
                env={**os.environ, "SIFT_EXTRACT_TIMEOUT_S": "0"},
            )
        self.conn = Connection(ours.detach())
        # Closing our end (also on garbage collection and at exit) makes the worker exit.
        weakref.finalize(self, self.conn.close)
        # The handshake makes a later death attributable to a document: a
        # worker that cannot start (stages that do not unpickle, a broken
        # environment) fails the run here instead of quarantining everything.
        try:
            self.conn.send(sys.path)
            self.conn.send(stages)
            ready = self.conn.poll(WORKER_START_SECONDS) and self.conn.recv() == _READY
        except (EOFError, BrokenPipeError, ConnectionResetError):
            ready = False
        if not ready:
            code = self.stop(kill=True)
            raise WorkerStartError(f"the cleaning worker did not start within {WORKER_START_SECONDS} s (exit {code})")

    def send(self, doc: Document) -> bool:
        try:
            self.conn.send(doc)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    def answer(self, timeout: float) -> Document | Quarantined | str:
        """The next answer, or "timeout" / "crashed" (then the worker must be stopped)."""
        try:
            if not self.conn.poll(timeout):
                return "timeout"
            return self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            return "crashed"

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, *, kill: bool = False) -> int | None:
        if not kill:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
                self.conn.close()  # end of input: the worker's reader sees EOF and the worker exits
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                kill = True
        if kill:
            self.process.kill()
            self.process.wait()
        self.conn.close()
        return self.process.returncode


# Workers are pooled per process and kept between batches: a new one costs
# seconds (see above), so it is replaced only after a timeout or crash, or
# when a batch asks for other stages. At most one per core: concurrent batch
# tasks (Prefect runs them in threads) beyond that wait for a free worker,
# which costs nothing, as the cores are busy anyway.
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


def _failure(doc: Document, result: str, code: int | None, timeout: float) -> Quarantined:
    if result == "timeout":
        detail = f"cleaning took longer than {timeout:g} s (limits.doc_timeout_seconds); worker stopped"
        return quarantine_of(doc, "timeout", detail)
    return quarantine_of(doc, "worker_crashed", f"the cleaning worker died on this document (exit {code})")


def clean_in_worker(
    docs: Iterable[Document], stages: tuple[Stage, ...], timeout: float
) -> list[Document | Quarantined]:
    """Every document cleaned in a worker process, in order, each under `timeout` seconds."""
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
                out.append(_with_raw(result, doc))
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
