"""The ingest flow: thin orchestration over the plain functions in steps.py.

CPU-bound cleaning runs as one Prefect task per batch of documents (a task
run costs ~7 ms of orchestration, so never one per document); dedup and the
load each run once, with the warehouse opened only when needed.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from dedup.config import DedupConfig
from flows import steps

DEFAULT_BATCH_SIZE = 200


# NO_CACHE: the default policy hashes every input, i.e. whole batches of text.
@task(name="prepare-batch", cache_policy=NO_CACHE)
def prepare_batch_task(docs, cfg: DedupConfig):
    return steps.prepare_batch(docs, cfg)


@task(name="dedup", cache_policy=NO_CACHE)
def dedup_task(docs, db: str, cfg: DedupConfig, run):
    return steps.dedup_against_warehouse(docs, db, cfg, run)


# Retrying the load is safe: a failed transaction leaves nothing behind.
@task(name="land", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def land_task(db: str, run, inputs, docs, quarantined, dedup, stage_seconds):
    return steps.finish_run(db, run, inputs, docs, quarantined, dedup, stage_seconds)


@flow(name="sift-ingest", log_prints=False)
def ingest_flow(paths: list[str], db: str = "sift.duckdb", batch_size: int = DEFAULT_BATCH_SIZE) -> dict:
    cfg = DedupConfig()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    run = steps.start_run(db, {"paths": [str(p) for p in paths], "batch_size": batch_size})
    try:
        inputs = steps.read_inputs(paths, db)
        timings["read"] = time.perf_counter() - clock

        clock = time.perf_counter()
        futures = prepare_batch_task.map(steps.batches(inputs.docs, batch_size), cfg=cfg)
        docs, quarantined = [], list(inputs.quarantined)
        for future in futures:
            kept, rejected = future.result()
            docs.extend(kept)
            quarantined.extend(rejected)
        timings["clean"] = time.perf_counter() - clock

        clock = time.perf_counter()
        dedup = dedup_task(docs, db, cfg, run)
        timings["dedup"] = time.perf_counter() - clock

        clock = time.perf_counter()
        counts = land_task(db, run, inputs, docs, quarantined, dedup, timings)
        timings["load"] = time.perf_counter() - clock
    except Exception as err:
        steps.fail_run(db, run, err)
        raise
    return {"run_id": run.run_id, "db": str(Path(db)), "new_rows": counts, "timings": timings}
