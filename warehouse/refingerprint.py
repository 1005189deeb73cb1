"""`sift refingerprint`: recompute every stored band with the current band parameters.

Needed once when the parameters that band hashes depend on change (see
dedup/scheme.py): otherwise new documents would never match landed ones.
Only `dedup.bands` changes: clean texts, normalised hashes, pairs (verified
by exact Jaccard, which does not depend on bands) and clusters stay.

Like an ingest, the slow part works without the write lock: the indexed
documents (those with bands: one per normalised text) are read in batches
on a read-only connection, fingerprinted and staged as Parquet; then one
transaction replaces the bands and records the new parameters.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cleaners.record import Document
from dedup.bands import band_table
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_batch
from dedup.scheme import record_params, recorded_params
from warehouse import rows
from warehouse.connection import connect, open_warehouse
from warehouse.staging import Staging, remove_stale, staging_root
from warehouse.summary import query_text

BATCH_SIZE = 2000


@dataclass(frozen=True)
class RefingerprintResult:
    run_id: str
    documents: int  # indexed documents fingerprinted again
    band_rows: int  # rows now in dedup.bands
    old_params: dict | None
    new_params: dict
    seconds: float


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _stage_bands(db: str | Path, staging: Staging, cfg: DedupConfig) -> int:
    con = connect(db, read_only=True)
    try:
        reader = con.sql(query_text("refingerprint_indexed")).to_arrow_reader(BATCH_SIZE)
        n = 0
        for batch in reader:
            cols = batch.to_pydict()
            docs = [
                Document(doc_id=i, source_uri=u, source=s, body_kind=k, raw=b"", clean_text=t)
                for i, u, s, k, t in zip(
                    cols["doc_id"],
                    cols["source_uri"],
                    cols["source"],
                    cols["body_kind"],
                    cols["clean_text"],
                    strict=True,
                )
            ]
            staging.write("bands", rows.bands(band_table(fingerprint_batch(docs, cfg), cfg)))
            n += len(docs)
        return n
    finally:
        con.close()


def refingerprint(db: str | Path, cfg: DedupConfig | None = None) -> RefingerprintResult:
    cfg = cfg or DedupConfig()
    started, clock = _now(), time.perf_counter()
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    root = staging_root(db)
    remove_stale(root)
    staging = Staging(root, run_id)
    try:
        n_docs = _stage_bands(db, staging, cfg)
        con = open_warehouse(db)
        try:
            old = recorded_params(con)
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM dedup.bands")
            glob = staging.glob("bands")
            if glob is not None:
                con.execute("INSERT INTO dedup.bands SELECT * FROM read_parquet(?)", [glob])
            n_rows = int(con.execute("SELECT count(*) FROM dedup.bands").fetchall()[0][0])
            record_params(con, cfg, run_id)
            params = {"command": "refingerprint", "dedup": cfg.band_params(), "from": old}
            summary = {"documents": n_docs, "band_rows": n_rows, "seconds": round(time.perf_counter() - clock, 3)}
            con.execute(
                "INSERT INTO ops.runs (run_id, started_at, finished_at, status, n_documents, params, summary) "
                "VALUES (?, ?, ?, 'succeeded', 0, ?, ?)",
                [run_id, started, _now(), json.dumps(params), json.dumps(summary)],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()
    finally:
        staging.remove()
    return RefingerprintResult(run_id, n_docs, n_rows, old, cfg.band_params(), round(time.perf_counter() - clock, 2))
