"""The only place the benchmarks call sift's dedup: update this when its API moves.

Everything here goes through sift's plain functions (no Prefect): documents
are built as if cleaning had left their text untouched, fingerprinted with
`dedup.fingerprint.fingerprint_batch`, and landed run by run with the steps
the ingest flow orchestrates (`flows.steps`: filter, find pairs per chunk
against the warehouse and the run's staged chunks, stage, cluster, load).
Results are read back through the consumer views (`similar_pairs`,
`documents`), which are a stable contract.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaners.record import KIND_TEXT, Document, make_doc_id
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_batch
from flows import steps
from warehouse.connection import connect


def document(record: dict) -> Document:
    """A corpus record as a cleaned document (dedup-only runs skip cleaning)."""
    text = record["text"]
    raw = text.encode("utf-8")
    uri = record["id"]  # the generator's id: results map back to the ground truth
    doc = Document(
        doc_id=make_doc_id(uri, raw), source_uri=uri, source=record["source"], body_kind=KIND_TEXT, raw=raw,
        input_path=uri,
    )  # fmt: skip
    return dataclasses.replace(
        doc,
        text=text,
        clean_text=text,
        title=record.get("title"),
        url=record.get("url"),
        published_at=record.get("published_at"),
        lang=record.get("lang", "en"),
        lang_score=0.99,
    )


def fingerprint(docs: list[Document], cfg: DedupConfig) -> list[Document]:
    return fingerprint_batch(docs, cfg)


@dataclass
class RunStats:
    n_docs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall seconds per phase
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    n_pairs: int = 0

    def add(self, phase: str, wall: float, cpu: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + wall
        self.cpu_seconds[phase] = self.cpu_seconds.get(phase, 0.0) + cpu


class _Clock:
    def __init__(self, stats: RunStats, phase: str) -> None:
        self.stats, self.phase = stats, phase

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc) -> None:
        self.stats.add(self.phase, time.perf_counter() - self.wall, time.process_time() - self.cpu)


def land_run(
    db: str | Path, chunks: Iterable[Sequence[Document]], cfg: DedupConfig, fingerprinted: bool = True
) -> RunStats:
    """One sift run over `chunks` of documents: what the ingest flow does after cleaning.

    With fingerprinted=False the chunks are fingerprinted here (timed as `fingerprint`).
    """
    stats = RunStats()
    counters = steps.RunCounters()
    with _Clock(stats, "start"):
        run, staging = steps.start_run(db, {"bench": True})
    try:
        for chunk in chunks:
            chunk = list(chunk)
            if not fingerprinted:
                with _Clock(stats, "fingerprint"):
                    chunk = fingerprint_batch(chunk, cfg)
            with _Clock(stats, "filter_new"):
                chunk = steps.filter_new(chunk, db, staging, counters)
            with _Clock(stats, "find_pairs"):
                found = steps.find_chunk_pairs(chunk, db, staging, cfg)
            with _Clock(stats, "stage"):
                steps.stage(staging, run, chunk, [], found, counters)
            stats.n_docs += len(chunk)
            stats.n_pairs += len(found.pairs)
        with _Clock(stats, "run_pairs"):
            stats.n_pairs += steps.find_run_pairs(db, staging, run, cfg)
        with _Clock(stats, "cluster"):
            clusters = steps.cluster_run(db, staging, run)
        with _Clock(stats, "load"):
            steps.finish_run(db, run, staging, clusters, counters)
    finally:
        staging.remove()
    return stats


def found_pairs(db: str | Path) -> list[tuple]:
    """(uri_a, uri_b, kind, jaccard, jaccard_estimate, containment_a, containment_b) of every pair."""
    con = connect(db, read_only=True)
    try:
        return con.execute(
            """
            SELECT a.source_uri, b.source_uri, p.kind, p.jaccard, p.jaccard_estimate,
                   p.containment_a, p.containment_b
            FROM similar_pairs p
            JOIN documents a ON a.doc_id = p.doc_id_a
            JOIN documents b ON b.doc_id = p.doc_id_b
            """
        ).fetchall()
    finally:
        con.close()


def clusters(db: str | Path) -> dict[str, tuple[str, bool]]:
    """uri -> (cluster id, is canonical) for every document in a cluster of two or more."""
    con = connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT source_uri, cluster_id, is_canonical FROM documents "
            "WHERE cluster_id IN (SELECT cluster_id FROM documents GROUP BY cluster_id HAVING count(*) > 1)"
        ).fetchall()
    finally:
        con.close()
    return {r[0]: (r[1], r[2]) for r in rows}


def band_hashes_of(shingles, bands: int, rows: int):
    """sift's band hashes of a set of 64-bit shingle hashes (for the S-curve check)."""
    from dedup.minhash import band_hashes, signature

    return band_hashes(signature(shingles, bands * rows, CFG_SEED), bands, rows)


CFG_SEED = DedupConfig().seed
