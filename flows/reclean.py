"""`sift reclean`: clean landed documents again under the current cleaning rules.

Every document records the rules version that cleaned it
(cleaners/version.py: a hash of the rule modules). A reclean selects the
documents cleaned by other rules (every document with `all_docs`), rebuilds
each from its verbatim raw input (cleaners/rebuild.py), runs the ingest's
cleaning and fingerprinting on it, and lands the result in one transaction
(warehouse/reclean_write.py): new values in place, removed lines and
paragraphs replaced, dedup rows of changed texts found again, clusters
recomputed, what changed kept in ops.reclean_changes, one ops.runs row.
Learned chrome is applied with the source statistics as they are now
(flows/learned.py); the statistics themselves are not changed: they count
each document once, when it first landed.

Plain functions, no Prefect: the CLI (flows/cmd_reclean.py) and the tests
call `reclean` directly. Like an ingest, the warehouse is written only at
the end, and not while an ingest run is in progress on it: its pairs and
clusters are being computed against the texts a reclean would change.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from cleaners import version
from cleaners.limits import DEFAULT_LIMITS, Limits
from cleaners.pipeline import Stage, clean_batch
from cleaners.rebuild import RawRow, document_from_raw
from cleaners.record import Document, Quarantined
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_batch
from flows import learned, steps
from warehouse.connection import LOCK_RETRIES, LOCK_WAIT_S, WarehouseError, connect
from warehouse.reclean_dedup import as_dict
from warehouse.reclean_write import Change, land_reclean
from warehouse.staging import live_runs, staging_root
from warehouse.summary import query_text

BATCH_SIZE = 200


@dataclass(frozen=True)
class RecleanPlan:
    rules_version: str  # the rules the documents are re-cleaned with
    old_versions: dict[str, str]  # doc_id -> the rules version it has now, doc_id order

    @property
    def by_version(self) -> dict[str, int]:
        return dict(sorted(Counter(self.old_versions.values()).items()))


@dataclass
class RecleanResult:
    db: str
    plan: RecleanPlan
    dry_run: bool
    run_id: str | None = None  # None when nothing ran (dry run, or nothing to do)
    counts: dict[str, int] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    dedup: dict = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _has_changes_table(con: duckdb.DuckDBPyConnection) -> bool:
    sql = "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'ops' AND table_name = 'reclean_changes'"
    return bool(con.execute(sql).fetchone()[0])


def plan_reclean(db: str | Path, *, all_docs: bool = False, limit: int | None = None, rules_version: str | None = None):
    """The documents a reclean would examine (read-only)."""
    rules_version = rules_version or version.RULES_VERSION
    con = connect(db, read_only=True)
    try:
        skip: list[str] = []
        if not all_docs and _has_changes_table(con):  # an older warehouse has had no reclean yet
            done = con.execute(query_text("reclean_quarantined"), {"rules_version": rules_version}).fetchall()
            skip = [r[0] for r in done]
        params = {"all": all_docs, "rules_version": rules_version, "skip": skip, "limit": limit}
        rows = con.execute(query_text("reclean_candidates"), params).fetchall()
    finally:
        con.close()
    return RecleanPlan(rules_version, dict(rows))


def rebuild(db: str | Path, doc_ids: Sequence[str]) -> tuple[list[Document], list[tuple[str, Quarantined]]]:
    """The documents as their readers made them, from raw.inputs; those that cannot be rebuilt, and why."""
    con = connect(db, read_only=True)
    try:
        raw = con.execute(query_text("reclean_raw"), {"doc_ids": list(doc_ids)}).fetchall()
    finally:
        con.close()
    docs, rejected = [], []
    for row in raw:
        result = document_from_raw(RawRow(*row))
        if isinstance(result, Quarantined):
            rejected.append((row[0], result))
        else:
            docs.append(result)
    return docs, rejected


def clean_again(
    docs: Sequence[Document],
    cfg: DedupConfig,
    limits: Limits = DEFAULT_LIMITS,
    stages: Sequence[Stage] | None = None,
    batch_size: int = BATCH_SIZE,
) -> tuple[list[Document], list[tuple[str, Quarantined]]]:
    """The ingest's cleaning and fingerprinting, batches in parallel; quarantined ones keyed by doc_id."""
    key = {(d.source_uri, d.raw_sha256): d.doc_id for d in docs}

    def one(batch: list[Document]) -> tuple[list[Document], list[Quarantined]]:
        kept, quarantined = clean_batch(batch, limits, stages)
        return fingerprint_batch(kept, cfg), quarantined

    batches = [list(docs[i : i + batch_size]) for i in range(0, len(docs), batch_size)]
    kept: list[Document] = []
    rejected: list[tuple[str, Quarantined]] = []
    with ThreadPoolExecutor(max_workers=max(1, len(os.sched_getaffinity(0)))) as pool:
        for batch_kept, batch_rejected in pool.map(one, batches):
            kept.extend(batch_kept)
            rejected.extend((key[(q.source_uri, q.raw_sha256)], q) for q in batch_rejected)
    return kept, rejected


def _lock_setting(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return default if value is None else max(0.0, float(value))
    except ValueError:
        raise WarehouseError(f"{name}={value!r} is not a non-negative number: fix or unset it") from None


def open_for_reclean(db: str | Path, run_id: str) -> duckdb.DuckDBPyConnection:
    """A writable connection, once no ingest run is in progress on the warehouse.

    An ingest computes pairs and clusters against the texts a reclean would
    change, and lands them at its end: a live staging folder (warehouse.staging)
    means one is running. Waits like connect() does (SIFT_LOCK_RETRIES, SIFT_LOCK_WAIT_S).
    """
    retries = int(_lock_setting("SIFT_LOCK_RETRIES", LOCK_RETRIES))
    wait_s = _lock_setting("SIFT_LOCK_WAIT_S", LOCK_WAIT_S)
    root = staging_root(db)
    for attempt in range(retries + 1):
        con = connect(db)
        busy = sorted(live_runs(root) - {run_id})
        if not busy:
            return con
        con.close()
        if attempt == retries:
            break
        if attempt == 0:
            print(f"sift: run {busy[0]} is in progress on {db}; reclean waits for it", file=sys.stderr, flush=True)
        time.sleep(wait_s)
    raise WarehouseError(
        f"run {busy[0]} is still in progress on {db} after {retries + 1} attempts: a reclean does not write while "
        "an ingest is running (its pairs are computed against the texts a reclean changes). Retry when it has "
        "finished; nothing was written. Set SIFT_LOCK_RETRIES / SIFT_LOCK_WAIT_S to wait longer."
    )


def reclean(
    db: str | Path,
    *,
    all_docs: bool = False,
    limit: int | None = None,
    dry_run: bool = False,
    rules_version: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stages: Sequence[Stage] | None = None,
    cfg: DedupConfig | None = None,
) -> RecleanResult:
    """Re-clean the documents cleaned by other rules than `rules_version` (default: the current rules).

    `all_docs`: every document; `limit`: at most this many (in doc_id order);
    `dry_run`: select only, write nothing. `limits` and `stages` go to
    cleaners.pipeline.clean_batch as in an ingest. Nothing to do: no run is recorded.
    """
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")
    cfg = cfg or DedupConfig()
    plan = plan_reclean(db, all_docs=all_docs, limit=limit, rules_version=rules_version)
    result = RecleanResult(str(db), plan, dry_run)
    if dry_run or not plan.old_versions:
        return result
    params = {"command": "reclean", "all": all_docs, "limit": limit, "rules_version": plan.rules_version}
    run, staging = steps.start_run(db, params, cfg)
    run = replace(run, rules_version=plan.rules_version)
    result.run_id = run.run_id
    counters = steps.RunCounters()
    try:
        clock = time.perf_counter()
        docs, rejected = rebuild(db, list(plan.old_versions))
        docs = learned.with_source_stats(docs, db)  # learned chrome as an ingest would apply it now
        counters.timed("read", time.perf_counter() - clock)
        clock = time.perf_counter()
        kept, quarantined = clean_again(docs, cfg, limits, stages)
        counters.timed("clean", time.perf_counter() - clock)
        clock = time.perf_counter()
        con = open_for_reclean(db, run.run_id)
        try:
            summary = {"from_rules_versions": plan.by_version, "stage_seconds": counters.stage_seconds}
            landed = land_reclean(con, run, plan.old_versions, kept, [*rejected, *quarantined], cfg, summary)
        finally:
            con.close()
        counters.timed("load", time.perf_counter() - clock)
    except Exception as err:
        steps.fail_run(db, run, err, counters)
        raise
    finally:
        staging.remove()
    result.counts, result.changes = landed.counts, landed.changes
    result.dedup, result.seconds = as_dict(landed.dedup), counters.stage_seconds
    return result
