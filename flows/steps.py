"""Plain functions the ingest flow orchestrates; tests call them without Prefect.

Each opens the warehouse only for as long as it needs it: DuckDB allows one
writing process per file, and a read-only and a writable connection cannot
coexist in one process, so the phases take turns.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cleaners.pipeline import clean_batch
from cleaners.readers import discover, read_path
from cleaners.record import Document, Quarantined
from cleaners.version import RULES_VERSION
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_batch
from dedup.stage import DedupResult, find_duplicates
from warehouse.connection import connect, open_warehouse
from warehouse.load import RunInfo, land
from warehouse.lookup import WarehouseIndex

CODE_VERSION = "0.1.0"


@dataclass
class Inputs:
    docs: list[Document] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    n_inputs: int = 0
    skipped: int = 0  # already landed by an earlier run


def start_run(db: str | Path, params: dict) -> RunInfo:
    run = RunInfo(
        run_id=datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8],
        started_at=datetime.now(UTC).replace(tzinfo=None),
        rules_version=RULES_VERSION,
    )
    con = open_warehouse(db)
    try:
        con.execute(
            "INSERT INTO ops.runs (run_id, started_at, status, params, code_version, rules_version) "
            "VALUES (?, ?, 'running', ?, ?, ?)",
            [run.run_id, run.started_at, json.dumps(params), CODE_VERSION, RULES_VERSION],
        )
    finally:
        con.close()
    return run


def read_inputs(paths: Sequence[str | Path], db: str | Path) -> Inputs:
    out = Inputs()
    seen: set[str] = set()
    for path in discover(paths):
        for item in read_path(path):
            out.n_inputs += 1
            if isinstance(item, Quarantined):
                out.quarantined.append(item)
            elif item.doc_id not in seen:  # the same file named twice is one input
                seen.add(item.doc_id)
                out.docs.append(item)
    con = connect(db, read_only=True)
    try:
        landed = WarehouseIndex(con).landed_doc_ids([d.doc_id for d in out.docs])
    finally:
        con.close()
    out.skipped = len(landed)
    out.docs = [d for d in out.docs if d.doc_id not in landed]
    return out


def batches(docs: Sequence[Document], size: int) -> list[list[Document]]:
    return [list(docs[i : i + size]) for i in range(0, len(docs), size)]


def prepare_batch(docs: list[Document], cfg: DedupConfig) -> tuple[list[Document], list[Quarantined]]:
    """CPU-bound per-document work: clean, detect language, fingerprint."""
    kept, quarantined = clean_batch(docs)
    return fingerprint_batch(kept, cfg), quarantined


def dedup_against_warehouse(docs: list[Document], db: str | Path, cfg: DedupConfig, run: RunInfo) -> DedupResult:
    con = connect(db, read_only=True)
    try:
        return find_duplicates(docs, WarehouseIndex(con), cfg, run.started_at)
    finally:
        con.close()


def finish_run(
    db: str | Path,
    run: RunInfo,
    inputs: Inputs,
    docs: list[Document],
    quarantined: list[Quarantined],
    dedup: DedupResult,
    stage_seconds: dict[str, float],
) -> dict[str, int]:
    """Land everything and close the run row, in one transaction."""
    canonical = {c.canonical_doc_id for c in dedup.clusters}
    new_ids = {d.doc_id for d in docs}
    n_dup = sum(1 for c in dedup.clusters for m in c.members if m in new_ids and m not in canonical)
    totals = {
        "n_inputs": inputs.n_inputs,
        "n_duplicates": n_dup,
        "n_quarantined": len(quarantined),
        "n_skipped": inputs.skipped,
        "summary": json.dumps({"stage_seconds": stage_seconds}),
    }
    con = connect(db)
    try:
        return land(con, run, docs, quarantined, dedup, totals)
    finally:
        con.close()


def fail_run(db: str | Path, run: RunInfo, error: BaseException) -> None:
    con = connect(db)
    try:
        con.execute(
            "UPDATE ops.runs SET finished_at = ?, status = 'failed', error = ? WHERE run_id = ?",
            [datetime.now(UTC).replace(tzinfo=None), f"{type(error).__name__}: {error}", run.run_id],
        )
    finally:
        con.close()
