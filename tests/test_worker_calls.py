"""cleaners.worker_calls: other work for idle cleaning workers, in order, same results as here."""

from __future__ import annotations

import math
import os

import pytest

from cleaners import worker_pool
from cleaners.limits import Limits
from cleaners.pipeline import clean_batch
from cleaners.record import KIND_TEXT, Document, make_doc_id
from cleaners.worker_calls import WorkerCallError, ordered_calls
from flows import run_pairs
from tests.helpers import clean_doc, essay, fingerprinted, land_plain


def tagged(x: int) -> tuple[int, int]:
    return x, os.getpid()


def _pooled_worker() -> None:
    """Leave at least one worker idle in this process's pool, as a run's cleaning does."""
    raw = b"The harbour reopened on Monday after three weeks of repairs to the northern pier."
    doc = Document(doc_id=make_doc_id("a.txt", raw), source_uri="a.txt", source="t", body_kind=KIND_TEXT, raw=raw)
    kept, _ = clean_batch([doc], Limits(doc_timeout_seconds=30.0))
    assert len(kept) == 1
    assert any(w.is_alive() for w in worker_pool._idle)


def test_jobs_run_in_idle_workers_and_come_back_in_order():
    _pooled_worker()
    results = list(ordered_calls(tagged, [(i,) for i in range(8)]))
    assert [x for x, _ in results] == list(range(8))
    assert any(pid != os.getpid() for _, pid in results)


def test_without_an_idle_worker_jobs_run_in_this_process(monkeypatch):
    monkeypatch.setattr(worker_pool, "_idle", [])
    results = list(ordered_calls(tagged, [(i,) for i in range(5)]))
    assert results == [(i, os.getpid()) for i in range(5)]


def test_a_job_that_fails_in_a_worker_raises_with_its_traceback():
    _pooled_worker()
    with pytest.raises(WorkerCallError, match="ValueError: math domain error"):
        list(ordered_calls(math.sqrt, [(-1.0,)]))  # one job: it takes the idle worker


def test_a_worker_that_dies_on_a_job_fails_the_job_and_leaves_the_pool():
    _pooled_worker()
    before = {w.process.pid for w in worker_pool._idle}
    with pytest.raises(WorkerCallError, match=r"died running _exit \(exit 3\)"):
        list(ordered_calls(os._exit, [(3,)]))
    assert not any(w.process.pid in before and not w.is_alive() for w in worker_pool._idle)


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
    _pooled_worker()
    there, _ = land_plain(tmp_path / "there.duckdb", docs, chunk_size=1, runner=ordered_calls)
    assert {p.kind for p in here} == {"near", "overlap"}
    assert there == here
