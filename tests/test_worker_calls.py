"""cleaners.worker_calls: jobs in call workers, in order, the same results as here."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from cleaners import worker_calls, worker_pool
from cleaners.limits import Limits
from cleaners.pipeline import clean_batch
from cleaners.record import KIND_TEXT, Document, make_doc_id
from cleaners.worker import CALLS_ONLY
from cleaners.worker_calls import WorkerCallError, ordered_calls
from flows import run_pairs
from tests.helpers import clean_doc, essay, fingerprinted, land_plain


def tagged(x: int) -> tuple[int, int]:
    return x, os.getpid()


def test_jobs_run_in_call_workers_in_order_and_the_workers_stop_after(monkeypatch):
    started: list[worker_calls.Worker] = []

    class Recorded(worker_calls.Worker):
        def __init__(self, stages) -> None:
            super().__init__(stages)
            started.append(self)

    monkeypatch.setattr(worker_calls, "Worker", Recorded)
    results = list(ordered_calls(tagged, [(i,) for i in range(8)]))
    assert [x for x, _ in results] == list(range(8))
    assert {pid for _, pid in results} == {w.process.pid for w in started}
    assert os.getpid() not in {pid for _, pid in results}
    assert 1 <= len(started) <= worker_pool.POOL_SIZE
    assert all(w.stages is CALLS_ONLY and not w.is_alive() for w in started)


def test_a_single_job_runs_in_this_process():
    assert list(ordered_calls(tagged, [(7,)])) == [(7, os.getpid())]
    assert list(ordered_calls(tagged, [])) == []


def test_call_workers_leave_the_cleaning_pool_alone():
    raw = b"The harbour reopened on Monday after three weeks of repairs to the northern pier."
    doc = Document(doc_id=make_doc_id("a.txt", raw), source_uri="a.txt", source="t", body_kind=KIND_TEXT, raw=raw)
    kept, _ = clean_batch([doc], Limits(doc_timeout_seconds=30.0))
    idle = [w for w in worker_pool._idle if w.is_alive()]
    assert len(kept) == 1 and idle
    results = list(ordered_calls(tagged, [(i,) for i in range(4)]))
    assert not {pid for _, pid in results} & {w.process.pid for w in idle}
    assert all(w.is_alive() for w in idle)


def test_a_job_that_fails_in_a_worker_raises_with_its_traceback():
    with pytest.raises(WorkerCallError, match="ValueError: math domain error"):
        list(ordered_calls(math.sqrt, [(4.0,), (-1.0,)]))


def test_a_worker_that_dies_on_a_job_fails_the_run():
    with pytest.raises(WorkerCallError, match=r"died running _exit \(exit 3\)"):
        list(ordered_calls(os._exit, [(3,), (3,)]))


def test_a_call_worker_sent_a_document_exits_instead_of_cleaning_it():
    raw = b"Some text."
    doc = Document(doc_id=make_doc_id("a.txt", raw), source_uri="a.txt", source="t", body_kind=KIND_TEXT, raw=raw)
    worker = worker_calls.Worker(CALLS_ONLY)
    try:
        # named in its command line, so `ps` and bench/rss.py tell it from a cleaning worker
        assert b"# call worker" in Path(f"/proc/{worker.process.pid}/cmdline").read_bytes()
        assert worker.send(doc)
        assert worker.answer(30.0) == "crashed"
    finally:
        worker.stop(kill=True)


def test_the_run_pairs_verified_in_workers_are_the_ones_verified_here(tmp_path, monkeypatch):
    monkeypatch.setattr(run_pairs, "VERIFY_BLOCK", 1)  # a block per candidate: both workers get some
    base = essay(21)
    near = base[:]
    near[2] = near[2].replace("w21x2y1 ", "edited ")
    docs = fingerprinted(
        [
            clean_doc("a.txt", "\n".join(base)),
            clean_doc("near.txt", "\n".join(near)),
            clean_doc("partial.txt", "\n".join(base[:3] + essay(22, 4))),
            clean_doc("partial2.txt", "\n".join(essay(23, 2) + base[2:5])),
            clean_doc("other.txt", "\n".join(essay(24))),
        ]
    )
    here, _ = land_plain(tmp_path / "here.duckdb", docs, chunk_size=1)
    there, _ = land_plain(tmp_path / "there.duckdb", docs, chunk_size=1, runner=ordered_calls)
    assert {p.kind for p in here} == {"near", "overlap"}
    assert there == here
