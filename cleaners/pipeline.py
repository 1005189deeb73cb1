"""The cleaning chain for one document, and for a batch, under a time limit.

decode -> repair -> HTML shape check -> extract main content -> line-length
check -> line rules -> dates, title -> language. A stage that rejects a
record raises `InputRejected`; the chain turns it into a `Quarantined` value
so the batch (and the run) goes on.

The per-document time limit (`Limits.doc_timeout_seconds`): a hostile page
can make a stage hang (a catastrophic regex backtrack, a pathological tree in
lxml or trafilatura). A thread cannot be killed. `signal.alarm` works only in
the main thread (Prefect runs batch tasks in other threads), and its handler
runs only when the interpreter gets control back, so a call into C code that
does not poll for signals cannot be interrupted. Only a process can be
stopped mid-call. So
`clean_batch` hands documents one at a time to a worker process; when one
takes longer than the limit, the worker is killed, that document is
quarantined with reason `timeout`, and a fresh worker takes the rest. A
worker that dies (segfault, OOM kill) costs only the document it was on
(`worker_crashed`).

Trade-offs: a pickle round trip per document over a socket (~0.2-0.5 ms,
against ~40 ms of cleaning). A new worker is a fresh interpreter that imports
the cleaning modules and warms up trafilatura and langdetect (~2-3 s, more
under load), all before its handshake, so none of it counts against a
document's limit; so workers are pooled (one per core) and kept between
batches. Batches in parallel threads get parallel workers, not a shared GIL.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import subprocess
import sys
import threading
import traceback
import weakref
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection

from cleaners.dates import normalize_dates
from cleaners.decode import decode_document
from cleaners.errors import InputRejected
from cleaners.html_extract import extract_document
from cleaners.language import detect_document
from cleaners.limits import DEFAULT_LIMITS, Limits, check_html_shape, check_line_lengths
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_HTML, Document, Quarantined
from cleaners.repair import repair_document
from cleaners.safe_paths import storable_text
from cleaners.title import infer_title

Stage = Callable[[Document], Document]
_READY = "ready"
# Start-up (imports and warm-up) is not a document's fault: its own limit,
# generous because a loaded 2-core machine takes several seconds.
WORKER_START_SECONDS = 120


@functools.lru_cache(maxsize=16)  # the same limits give the same tuple, so a worker is reused
def default_stages(limits: Limits = DEFAULT_LIMITS) -> tuple[Stage, ...]:
    """The chain before language detection, with the limit checks bound to `limits`.

    Partials of module-level functions, so the tuple pickles to a worker.
    """
    return (
        decode_document,
        repair_document,
        functools.partial(check_html_shape, limits=limits),
        extract_document,
        functools.partial(check_line_lengths, limits=limits),
        apply_line_rules,
        normalize_dates,
        infer_title,
    )


STAGES = default_stages()


def _quarantine(doc: Document, reason: str, detail: str) -> Quarantined:
    return Quarantined(doc.source_uri, reason, storable_text(detail), doc.raw_sha256, len(doc.raw))


def _stage_name(stage: Stage) -> str:
    return getattr(stage, "__name__", None) or getattr(getattr(stage, "func", None), "__name__", repr(stage))


def _run_stage(stage: Stage, doc: Document) -> Document | Quarantined:
    try:
        return stage(doc)
    except InputRejected as err:
        return _quarantine(doc, err.reason, err.detail)
    except RecursionError:
        return _quarantine(doc, "stage_error", f"{_stage_name(stage)}: input nested too deeply (RecursionError)")
    except Exception as err:  # one record's bug must not fail the run
        # Quarantined, not swallowed: the reason and the failing frame are in
        # the warehouse, where `quarantine_by_reason` shows them.
        where = traceback.extract_tb(err.__traceback__)[-1]
        detail = f"{_stage_name(stage)}: {type(err).__name__}: {err} (at {where.filename}:{where.lineno})"
        return _quarantine(doc, "stage_error", detail[:2000])


def clean_document(doc: Document, stages: Sequence[Stage] | None = None) -> Document | Quarantined:
    """Run `stages` (default: the full chain), then language detection; never raises for the document's sake."""
    for stage in STAGES if stages is None else stages:
        doc_or_q = _run_stage(stage, doc)
        if isinstance(doc_or_q, Quarantined):
            return doc_or_q
        doc = doc_or_q
    if not doc.clean_text.strip():
        # Everything was chrome: keep the evidence in the quarantine detail.
        rules = sorted({r.rule for r in doc.removed})
        detail = f"no text left after cleaning ({len(doc.removed)} lines removed by {rules or 'none'})"
        return _quarantine(doc, "empty_after_cleaning", detail)
    return _run_stage(detect_document, doc)


def _clean_in_process(docs: Iterable[Document], stages: Sequence[Stage]) -> list[Document | Quarantined]:
    return [clean_document(doc, stages) for doc in docs]


# Cleaned by every new worker before it reports ready: the first extraction
# and language detection load trafilatura's and langdetect's data (~1-2 s),
# which must not count against the first real document's time limit.
_WARM_UP = Document(
    doc_id="warm-up",
    source_uri="sift:warm-up",
    source="sift",
    body_kind=KIND_HTML,
    raw=b"<html lang='en'><body><article><p>The harbour opened at dawn and the first boats came in "
    b"with the morning catch, as they have every day this season.</p></article></body></html>",
)


def serve(fd: int) -> None:
    """Worker process main: set up from the parent, warm up, then clean documents until told to stop."""
    conn = Connection(fd)
    sys.path[:] = conn.recv()  # the parent's path first, so its stages (even a test's) unpickle
    stages = conn.recv()
    clean_document(_WARM_UP, stages)
    conn.send(_READY)
    while True:
        try:
            doc = conn.recv()
        except EOFError:
            return  # the parent closed its end (it stopped, or dropped this worker)
        if doc is None:
            return
        conn.send(clean_document(doc, stages))


class WorkerStartError(RuntimeError):
    """No cleaning worker could start: an infrastructure error that fails the run."""


class _Worker:
    """One worker process and its socket; unusable after a timeout or crash.

    Started with `subprocess`, not `multiprocessing`: Dask's worker processes
    are daemonic, and multiprocessing forbids those to have children.
    """

    def __init__(self, stages: tuple[Stage, ...]) -> None:
        self.stages = stages
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", f"from cleaners.pipeline import serve; serve({theirs.fileno()})"],
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

    def clean(self, doc: Document, timeout: float) -> Document | Quarantined | str:
        """The cleaned document, or "timeout" / "crashed" (then the worker must be stopped)."""
        try:
            self.conn.send(doc)
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
                self.conn.send(None)
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
_idle: list[_Worker] = []
_n_busy = 0


def _take_idle(stages: tuple[Stage, ...]) -> _Worker | None:
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


def _give_back(worker: _Worker | None) -> None:
    global _n_busy
    with _pool_lock:
        _n_busy -= 1
        if worker is not None:
            _idle.append(worker)


def _clean_in_worker(
    docs: Iterable[Document], stages: tuple[Stage, ...], timeout: float
) -> list[Document | Quarantined]:
    out: list[Document | Quarantined] = []
    _slots.acquire()
    worker = _take_idle(stages)
    try:
        for doc in docs:
            worker = worker or _Worker(stages)
            result = worker.clean(doc, timeout)
            if isinstance(result, str):  # the worker is stuck or dead: replace it
                code = worker.stop(kill=True)
                worker = None
                if result == "timeout":
                    detail = f"cleaning took longer than {timeout:g} s (limits.doc_timeout_seconds); worker stopped"
                    result = _quarantine(doc, "timeout", detail)
                else:
                    result = _quarantine(
                        doc, "worker_crashed", f"the cleaning worker died on this document (exit {code})"
                    )
            out.append(result)
    except BaseException:
        if worker is not None:  # interrupted mid-document: its answer would reach the next batch
            worker.stop(kill=True)
            worker = None
        raise
    finally:
        _give_back(worker)
        _slots.release()
    return out


def clean_batch(
    docs: Iterable[Document], limits: Limits = DEFAULT_LIMITS, stages: Sequence[Stage] | None = None
) -> tuple[list[Document], list[Quarantined]]:
    """Clean every document; each comes back exactly once, kept or quarantined.

    With `limits.doc_timeout_seconds` set (the default) the batch runs in a
    worker process under that limit; with None, in this process. `stages`
    replaces the chain (tests inject a hanging stage here).
    """
    stages = tuple(default_stages(limits) if stages is None else stages)
    timeout = limits.doc_timeout_seconds
    results = _clean_in_process(docs, stages) if timeout is None else _clean_in_worker(docs, stages, timeout)
    kept = [r for r in results if isinstance(r, Document)]
    quarantined = [r for r in results if isinstance(r, Quarantined)]
    return kept, quarantined
