"""The ingest flow: thin orchestration over the plain functions in steps.py.

Inputs stream in chunks. CPU-bound cleaning runs as one Prefect task per
batch of documents (a task run costs ~7 ms of orchestration, so never one
per document); pair finding runs once per chunk, clustering and the load once
per run, with the warehouse opened only when needed.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from dedup.config import DedupConfig
from flows import steps

DEFAULT_BATCH_SIZE = 200
DEFAULT_CHUNK_SIZE = 5000


# NO_CACHE: the default policy hashes every input, i.e. whole batches of text.
@task(name="prepare-batch", cache_policy=NO_CACHE)
def prepare_batch_task(docs, cfg: DedupConfig):
    return steps.prepare_batch(docs, cfg)


@task(name="find-pairs", cache_policy=NO_CACHE)
def find_pairs_task(docs, db: str, staging, cfg: DedupConfig):
    return steps.find_chunk_pairs(docs, db, staging, cfg)


@task(name="cluster", cache_policy=NO_CACHE)
def cluster_task(db: str, staging, run):
    return steps.cluster_run(db, staging, run)


# Retrying the load is safe: a failed transaction leaves nothing behind.
@task(name="land", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def land_task(db: str, run, staging, clusters, counters):
    return steps.finish_run(db, run, staging, clusters, counters)


@flow(name="sift-ingest", log_prints=False)
def ingest_flow(
    paths: list[str],
    db: str = "sift.duckdb",
    batch_size: int = DEFAULT_BATCH_SIZE,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> dict:
    cfg = DedupConfig()
    counters = steps.RunCounters()
    run, staging = steps.start_run(db, {"paths": [str(p) for p in paths], "batch_size": batch_size})
    try:
        clock = time.perf_counter()
        for docs, rejected in steps.input_chunks(paths, chunk_size, counters):
            docs = steps.filter_new(docs, db, staging, counters)
            counters.timed("read", time.perf_counter() - clock)

            clock = time.perf_counter()
            kept, quarantined = [], list(rejected)
            for future in prepare_batch_task.map(steps.batches(docs, batch_size), cfg=cfg):
                batch_kept, batch_rejected = future.result()
                kept.extend(batch_kept)
                quarantined.extend(batch_rejected)
            counters.timed("clean", time.perf_counter() - clock)

            clock = time.perf_counter()
            found = find_pairs_task(kept, db, staging, cfg)
            counters.timed("pairs", time.perf_counter() - clock)

            clock = time.perf_counter()
            steps.stage(staging, run, kept, quarantined, found, counters)
            counters.timed("stage", time.perf_counter() - clock)
            clock = time.perf_counter()

        clock = time.perf_counter()
        clusters = cluster_task(db, staging, run)
        counters.timed("cluster", time.perf_counter() - clock)

        clock = time.perf_counter()
        counts = land_task(db, run, staging, clusters, counters)
        counters.timed("load", time.perf_counter() - clock)
    except Exception as err:
        steps.fail_run(db, run, err, counters)
        raise
    finally:
        staging.remove()
    return {"run_id": run.run_id, "db": str(Path(db)), "new_rows": counts, "timings": counters.stage_seconds}
