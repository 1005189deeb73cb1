"""Cleaning worker processes: the per-document time limit, enforced by killing.

A hostile page can make a stage hang (a catastrophic regex backtrack, a
pathological tree in lxml or trafilatura). A thread cannot be killed.
`signal.alarm` works only in the main thread (Prefect runs batch tasks in
other threads), and its handler runs only when the interpreter gets control
back, so a call into C code that does not poll for signals cannot be
interrupted. Only a process can be stopped mid-call. So `clean_in_worker`
(cleaners/worker_pool.py) hands a batch to a worker process; when a document
takes longer than the limit, the worker is killed, that document is
quarantined with reason `timeout`, and a fresh worker takes the rest. A worker that dies (segfault,
OOM kill) costs only the document it was on (`worker_crashed`).

Documents are pipelined: up to IN_FLIGHT are queued at the worker, so it
never idles through a round trip or while the flow process is busy
(measured: a pickle round trip per document, ~0.2-0.5 ms, was 10-20 % of
cleaning once the rules got fast). The worker answers in order, so the
oldest unanswered document is the one it is on: its limit runs from the
previous answer. A reader thread in the worker takes documents off the
socket while the main thread cleans, so a large document and a large answer
can never block each other.

A new worker is a fresh interpreter that imports the cleaning modules and
warms up trafilatura and langdetect (~2-3 s, more under load), all before
its handshake, so none of it counts against a document's limit; so workers
are pooled (one per core, cleaners/worker_pool.py) and kept between batches.
Batches in parallel threads get parallel workers, not a shared GIL.
"""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection

from cleaners.record import Document, Quarantined, without_intermediates
from cleaners.safe_paths import storable_text

Stage = Callable[[Document], Document]
# A worker's stages when it is only to run calls (cleaners/worker_calls.py):
# ~35 MB at start, ~215 while verifying a block, where a cleaning worker is
# ~290 MB warm and ~400 in a run.
CALLS_ONLY = None
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
    return Quarantined(doc.source_uri, reason, storable_text(detail), doc.raw_sha256, doc.raw_length)


def serve(fd: int) -> None:
    """Worker process main: set up from the parent, warm up, then clean documents until told to stop.
    Stages None make a call worker (CALLS_ONLY): it imports and warms up none of
    the cleaning, and answers only Calls."""
    conn = Connection(fd)
    sys.path[:] = conn.recv()  # the parent's path first, so its stages (even a test's) unpickle
    stages = conn.recv()
    from cleaners.worker_calls import Call, run_call  # after sys.path is set, like the stages

    if stages is not CALLS_ONLY:
        from cleaners.pipeline import WARM_UP, clean_document

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
        if isinstance(doc, Call):
            conn.send(run_call(doc))
        elif stages is CALLS_ONLY:  # a parent's bug, not the document's: the parent sees a crash
            break
        else:
            conn.send(_slim(clean_document(doc, stages)))
    # Tearing down the heap (word caches, langdetect's profiles) took ~0.5 s a
    # worker, and nothing in it needs finalising: the flow waits for the exit.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _slim(result: Document | Quarantined) -> Document | Quarantined:
    """The answer without what the parent has or never reads: the raw bytes (it
    sent them; the pool puts them back) and the intermediate texts (see
    clean_batch). They were 72 % of a pickled answer (15 of 21 KB for a 5 KB
    page), unpickled under the flow process's GIL and held in its memory."""
    if isinstance(result, Quarantined):
        return result
    return without_intermediates(result, keep_raw=False)


class WorkerStartError(RuntimeError):
    """No cleaning worker could start: an infrastructure error that fails the run."""


class Worker:
    """One worker process and its socket; unusable after a timeout or crash.

    Started with `subprocess`, not `multiprocessing`: Dask's worker processes
    are daemonic, and multiprocessing forbids those to have children.
    """

    def __init__(self, stages: tuple[Stage, ...] | None) -> None:
        self.stages = stages
        ours, theirs = socket.socketpair()
        kind = "  # call worker" if stages is CALLS_ONLY else ""
        with theirs:
            self.process = subprocess.Popen(
                # the comment names a call worker in `ps` (and bench/rss.py)
                [sys.executable, "-c", f"from cleaners.worker import serve; serve({theirs.fileno()}){kind}"],
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
