"""The per-document time limit: a document that hangs a stage is quarantined with
`timeout`, one that kills the worker with `worker_crashed`, and the batch goes on.

The hanging and crashing stages are injected through clean_batch's `stages`
seam; they are module-level functions so they pickle to the worker process.
A hang is bounded (60 s), so a broken time limit fails the test instead of
hanging the suite.
"""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from cleaners import worker_pool
from cleaners.limits import Limits
from cleaners.pipeline import clean_batch, default_stages
from cleaners.record import KIND_TEXT, Document, make_doc_id

STORY = (
    "The harbour authority reopened the northern pier on Monday after three weeks of repairs.\n"
    "Fishing crews said the closure had cost them most of the autumn season.\n"
)
FAST = Limits(doc_timeout_seconds=3.0)


def hang_on_marker(doc: Document) -> Document:
    if b"HANG" in doc.raw:
        time.sleep(60)
    return doc


def spin_on_marker(doc: Document) -> Document:
    """A hang in pure Python that never sleeps (a runaway loop)."""
    deadline = time.monotonic() + 60
    while b"SPIN" in doc.raw and time.monotonic() < deadline:
        pass
    return doc


def die_on_marker(doc: Document) -> Document:
    if b"DIE" in doc.raw:
        os.kill(os.getpid(), signal.SIGKILL)  # what a segfault or the OOM killer looks like
    return doc


def fail_on_marker(doc: Document) -> Document:
    if b"FAIL" in doc.raw:
        raise KeyError("a bug in a stage")
    return doc


def _doc(name: str, text: str) -> Document:
    raw = text.encode()
    return Document(doc_id=make_doc_id(name, raw), source_uri=name, source="t", body_kind=KIND_TEXT, raw=raw)


def _batch(*markers: str) -> list[Document]:
    return [_doc(f"{i}-{m or 'ok'}.txt", f"{m}\n{STORY}Story {i} of the batch.\n") for i, m in enumerate(markers)]


# One stage tuple for the whole module, so the tests share a worker: a new
# worker costs seconds (a fresh interpreter and its warm-up).
STAGES = (hang_on_marker, spin_on_marker, die_on_marker, fail_on_marker, *default_stages(FAST))


def test_a_hanging_document_is_quarantined_with_timeout_and_the_batch_goes_on():
    docs = _batch("", "HANG", "")
    kept, quarantined = clean_batch(docs, FAST, stages=STAGES)
    assert [d.source_uri for d in kept] == ["0-ok.txt", "2-ok.txt"]
    assert all(d.lang == "en" and "harbour" in d.clean_text for d in kept)
    [hang] = quarantined
    assert (hang.source_uri, hang.reason) == ("1-HANG.txt", "timeout")
    assert "limits.doc_timeout_seconds" in hang.detail and hang.size == len(docs[1].raw) and hang.raw_sha256


@pytest.mark.slow
def test_a_document_that_kills_the_worker_costs_only_itself():
    kept, quarantined = clean_batch(_batch("DIE", ""), FAST, stages=STAGES)
    assert [d.source_uri for d in kept] == ["1-ok.txt"]
    [crash] = quarantined
    assert (crash.source_uri, crash.reason) == ("0-DIE.txt", "worker_crashed") and "exit -9" in crash.detail


def test_a_stage_bug_is_quarantined_as_stage_error_in_and_out_of_process():
    no_limit = Limits(doc_timeout_seconds=None)
    for limits, stages in ((FAST, STAGES), (no_limit, (fail_on_marker, *default_stages(no_limit)))):
        kept, quarantined = clean_batch(_batch("FAIL", ""), limits, stages=stages)
        assert [d.source_uri for d in kept] == ["1-ok.txt"]
        [q] = quarantined
        assert q.reason == "stage_error"
        assert "fail_on_marker: KeyError" in q.detail and "test_hostile_timeout.py" in q.detail


def test_without_a_time_limit_cleaning_runs_in_this_process():
    no_limit = Limits(doc_timeout_seconds=None)
    pids: list[int] = []

    def record_pid(doc: Document) -> Document:  # a closure: it could not even be pickled to a worker
        pids.append(os.getpid())
        return doc

    kept, quarantined = clean_batch(_batch("", ""), no_limit, stages=(record_pid, *default_stages(no_limit)))
    assert pids == [os.getpid()] * 2
    assert len(kept) == 2 and not quarantined


@pytest.mark.slow
def test_a_runaway_python_loop_is_stopped_like_a_sleeping_one():
    kept, quarantined = clean_batch(_batch("SPIN", ""), FAST, stages=STAGES)
    assert [d.source_uri for d in kept] == ["1-ok.txt"]
    assert [(q.source_uri, q.reason) for q in quarantined] == [("0-SPIN.txt", "timeout")]


def _idle_pids() -> list[int]:
    return [w.process.pid for w in worker_pool._idle if w.stages == STAGES]


@pytest.mark.slow
def test_the_worker_is_reused_between_batches_and_replaced_after_a_timeout():
    clean_batch(_batch(""), FAST, stages=STAGES)
    [first] = _idle_pids()
    clean_batch(_batch(""), FAST, stages=STAGES)
    assert _idle_pids() == [first]  # no new process per batch
    clean_batch(_batch("HANG"), FAST, stages=STAGES)
    assert _idle_pids() == []  # the stuck worker was killed
    clean_batch(_batch(""), FAST, stages=STAGES)
    [second] = _idle_pids()
    assert second != first


@pytest.mark.slow
def test_concurrent_batches_share_at_most_one_worker_per_core():
    batches = [_batch("", "") for _ in range(2 * worker_pool.POOL_SIZE + 1)]
    with ThreadPoolExecutor(max_workers=len(batches)) as pool:
        results = list(pool.map(lambda docs: clean_batch(docs, FAST, stages=STAGES), batches))
    assert all(len(kept) == 2 and not quarantined for kept, quarantined in results)
    assert len(worker_pool._idle) <= worker_pool.POOL_SIZE and worker_pool._n_busy == 0


@pytest.mark.slow
def test_prestarted_workers_are_the_ones_the_first_batches_use():
    for w in list(worker_pool._idle):  # start from an empty pool
        worker_pool._idle.remove(w)
        w.stop()
    worker_pool.prestart(STAGES)
    deadline = time.monotonic() + 120
    while len(_idle_pids()) < worker_pool.POOL_SIZE and time.monotonic() < deadline:
        time.sleep(0.1)
    started = sorted(_idle_pids())
    assert len(started) == worker_pool.POOL_SIZE
    kept, quarantined = clean_batch(_batch("", ""), FAST, stages=STAGES)
    assert len(kept) == 2 and not quarantined
    assert sorted(_idle_pids()) == started  # no worker of its own: it took a prestarted one


@pytest.mark.slow
def test_stop_idle_stops_the_pooled_workers_and_the_next_batch_starts_one():
    clean_batch(_batch(""), FAST, stages=STAGES)
    idle = list(worker_pool._idle)
    assert idle and all(w.is_alive() for w in idle)
    assert worker_pool.stop_idle() == len(idle)
    assert worker_pool._idle == [] and not any(w.is_alive() for w in idle)
    kept, quarantined = clean_batch(_batch(""), FAST, stages=STAGES)
    assert len(kept) == 1 and not quarantined
    fresh = {w.process.pid for w in worker_pool._idle}
    assert fresh and fresh.isdisjoint(w.process.pid for w in idle)  # a new worker, not a stopped one
