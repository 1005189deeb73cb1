"""The ingest flow: thin orchestration over the plain functions in steps.py.

Inputs stream in chunks. CPU-bound cleaning runs as one Prefect task per
batch of documents (a task run costs ~7 ms of orchestration, so never one
per document) on the flow's task runner (threads by default; processes or
Dask with `ingest_flow.with_options(task_runner=...)`, see task_runners.py).
Pair finding (each chunk's with the landed documents as it comes, the run's
own after its last chunk: flows/run_pairs.py), clustering and the load run
as tasks on the flow's own machine, which stays the warehouse's single
writer. Large arguments are passed `quote`d: Prefect otherwise walks every
object inside them looking for futures, which cost more than finding the
pairs (measured: a third of a 2,000-document run's main-process time).

`incremental=True` (what scheduled deployments use) reads only files that
are new or changed since the last successful run, and a grown JSONL file
from where that run stopped (flows/sources.py).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from cleaners.worker_calls import ordered_calls
from cleaners.worker_pool import stop_idle
from dedup.config import DedupConfig
from flows import artifacts, learned, progress, steps, task_runners

# Each task run costs Prefect's server ~30-60 ms of CPU beside the client's
# own (10k bench documents on 2 busy cores: its server used 8.0-8.8 CPU-s at
# 200 a batch, 5.4-6.6 at 500); 10 batches a chunk still keep both workers fed.
DEFAULT_BATCH_SIZE = 500
DEFAULT_CHUNK_SIZE = 5000
# Chunks queued for cleaning beyond the one whose pairs are being found. One
# keeps the workers fed now that finding a chunk's pairs, staging it and
# reading the next take less time than cleaning it (~3.5 against ~11 s a
# 5,000-document chunk). Two were needed when pair finding took longer (at
# 40k documents one used 1.2 of the 2 cores); on the 30k bench corpus they
# now buy no time (85.5-92.3 s in 5 runs, 77.0-90.5 s in 3 with one) and
# hold one more chunk of cleaned documents (the flow's peak in the chunk
# loop 740-772 MB, 675-703 with one).
LOOKAHEAD = 1


# NO_CACHE: the default policy hashes every input, i.e. whole batches of text.
@task(name="prepare-batch", cache_policy=NO_CACHE)
def prepare_batch_task(docs, cfg: DedupConfig):
    return steps.prepare_batch(docs, cfg)


def _batches_arg(batches: list) -> object:
    """quote()d for the thread runner (see the module docstring); as is for the
    others, which serialise the batches anyway, and Dask's does not unwrap quote."""
    from prefect.context import FlowRunContext
    from prefect.task_runners import ThreadPoolTaskRunner

    context = FlowRunContext.get()
    runner = context.task_runner if context else None
    return quote(batches) if isinstance(runner, ThreadPoolTaskRunner) else batches


@task(name="find-pairs", cache_policy=NO_CACHE)
def find_pairs_task(docs, db: str, staging, cfg: DedupConfig):
    return steps.find_chunk_pairs(docs, db, staging, cfg)


@task(name="find-run-pairs", cache_policy=NO_CACHE)
def find_run_pairs_task(db: str, staging, run, cfg: DedupConfig):
    # the cleaning workers are idle now: they verify blocks beside this process
    return steps.find_run_pairs(db, staging, run, cfg, runner=ordered_calls)


@task(name="cluster", cache_policy=NO_CACHE)
def cluster_task(db: str, staging, run):
    return steps.cluster_run(db, staging, run)


# Retrying the load is safe: a failed transaction leaves nothing behind.
@task(name="land", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def land_task(db: str, run, staging, clusters, counters, sources):
    return steps.finish_run(db, run, staging, clusters, counters, sources)


@flow(name="sift-ingest", log_prints=False)
def ingest_flow(
    paths: list[str],
    db: str = "sift.duckdb",
    batch_size: int = DEFAULT_BATCH_SIZE,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    incremental: bool = False,
) -> dict:
    cfg = DedupConfig()
    counters = steps.RunCounters()
    params = {"paths": [str(p) for p in paths], "batch_size": batch_size, "incremental": incremental}
    run, staging = steps.start_run(db, params, cfg)
    try:
        clock = time.perf_counter()
        sources = steps.open_sources(db, paths, incremental)
        # Chunks are submitted LOOKAHEAD ahead of the one whose pairs this
        # process finds and stages, so the workers always have a queued chunk
        # (see LOOKAHEAD).
        pending: deque[_Chunk] = deque()
        for docs, rejected in steps.chunk_units(sources.units(), chunk_size, counters):
            n_read = len(docs) + len(rejected)
            in_flight = frozenset(doc_id for chunk in pending for doc_id in chunk.doc_ids)
            docs = steps.filter_new(docs, db, staging, counters, in_flight)
            docs = learned.with_source_stats(docs, db)  # learned_chrome: what landed runs counted
            docs = steps.stage_raw(staging, run, docs)
            _timed(counters, "read", clock, n_read)
            futures = prepare_batch_task.map(_batches_arg(steps.batches(docs, batch_size)), cfg=cfg)
            pending.append(_Chunk(frozenset(d.doc_id for d in docs), rejected, futures))
            del docs  # the batches hold them until cleaned; the answers carry what comes next
            if len(pending) > LOOKAHEAD:
                _finish_chunk(pending.popleft(), db, staging, run, cfg, counters)
            clock = time.perf_counter()
        while pending:
            _finish_chunk(pending.popleft(), db, staging, run, cfg, counters)
        for stage in ("read", "clean", "pairs", "stage"):
            progress.done(stage)

        # The run cleans nothing more. Its idle workers hold ~0.8 GB, which
        # neither its own pairs (verified in slim call workers), its clusters
        # nor its load need (30k bench documents: the tree's peak 1,980 ->
        # 1,666 MB when they were stopped before the load). The next run starts them again.
        stop_idle()
        # pairs among the run's own documents, from all its chunks at once
        clock = time.perf_counter()
        n_run_pairs = find_run_pairs_task(db, quote(staging), run, cfg)
        _timed(counters, "run_pairs", clock, n_run_pairs)
        progress.done("run_pairs")

        clock = time.perf_counter()
        clusters = cluster_task(db, staging, run)
        _timed(counters, "cluster", clock, 1)
        progress.done("cluster")

        clock = time.perf_counter()
        counts = land_task(db, run, staging, quote(clusters), counters, quote(sources))
        _timed(counters, "load", clock, 1)
        progress.done("load")
    except Exception as err:
        steps.fail_run(db, run, err, counters)
        raise
    finally:
        staging.remove()
    _publish_artifact(db, run.run_id)
    return {
        "run_id": run.run_id,
        "db": str(Path(db)),
        "new_rows": counts,
        "timings": counters.stage_seconds,
        "sources": sources.summary(),
    }


@dataclass
class _Chunk:
    doc_ids: frozenset[str]  # the chunk's new documents (the documents themselves only until cleaned)
    rejected: list  # quarantined by the readers
    futures: list  # one prepare-batch task per batch


def _finish_chunk(chunk: _Chunk, db: str, staging, run, cfg: DedupConfig, counters: steps.RunCounters) -> None:
    """Collect a chunk's cleaned batches, find its pairs, stage it.

    Stage seconds are what this process waited for: with the lookahead,
    "clean" is only the cleaning that pair finding could not hide.
    """
    clock = time.perf_counter()
    kept, quarantined = [], list(chunk.rejected)
    for future in chunk.futures:
        batch_kept, batch_rejected = future.result()
        task_runners.release_result(future)
        kept.extend(batch_kept)
        quarantined.extend(batch_rejected)
        clock = _timed(counters, "clean", clock, len(batch_kept) + len(batch_rejected))

    clock = time.perf_counter()
    found = find_pairs_task(quote(kept), db, staging, cfg)
    clock = _timed(counters, "pairs", clock, len(kept))
    steps.stage(staging, run, kept, quarantined, found, counters)
    _timed(counters, "stage", clock, len(kept))


def _timed(counters: steps.RunCounters, stage: str, since: float, n: int) -> float:
    """Add the time since `since` to the stage, report its progress; returns now."""
    now = time.perf_counter()
    counters.timed(stage, now - since)
    progress.advance(stage, n, now - since)
    return now


def _publish_artifact(db: str, run_id: str) -> None:
    """The run's report as a Prefect markdown artifact; the landed run stands even if this fails."""
    from prefect.artifacts import create_markdown_artifact

    try:
        markdown = artifacts.run_markdown(db, run_id)
        create_markdown_artifact(key="sift-run", markdown=markdown, description=f"sift run {run_id}")
    except Exception as err:  # reporting must not turn a landed run into a failed one
        get_run_logger().warning("could not publish the run artifact for %s: %s: %s", run_id, type(err).__name__, err)
