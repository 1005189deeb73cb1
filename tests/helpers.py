"""Small builders shared by tests (no fixtures from ../shared)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from itertools import starmap
from pathlib import Path

import pyarrow.parquet as pq

from cleaners.record import KIND_TEXT, Document, make_doc_id
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_batch
from dedup.stage import Pair
from flows import steps
from warehouse.load import RunInfo


def clean_doc(uri: str, clean_text: str, **meta) -> Document:
    raw = clean_text.encode()
    doc = Document(
        doc_id=make_doc_id(uri, raw), source_uri=uri, source="t", body_kind=KIND_TEXT, raw=raw, input_path=uri
    )
    return dataclasses.replace(doc, text=clean_text, clean_text=clean_text, lang="en", lang_score=0.99, **meta)


def fingerprinted(docs: list[Document], cfg: DedupConfig | None = None) -> list[Document]:
    return fingerprint_batch(docs, cfg or DedupConfig())


def run_info(run_id: str, when: datetime | None = None) -> RunInfo:
    return RunInfo(run_id=run_id, started_at=when or datetime(2024, 5, 1, 12, 0), rules_version="r-test")


def essay(seed: int, n_paragraphs: int = 6, words: int = 40) -> list[str]:
    """Deterministic distinct paragraphs: different seeds share no 5-gram."""
    return [
        " ".join(f"w{seed}x{p}y{i}" if i % 3 else f"common{i % 7}" for i in range(words)) for p in range(n_paragraphs)
    ]


def land_plain(db, docs: list[Document], chunk_size: int = 1000, cfg: DedupConfig | None = None, runner=starmap):
    """Run the flow's steps without Prefect on already fingerprinted documents.

    `runner` verifies the run's own candidates (flows.run_pairs; default: in this process).
    Returns (pairs, clusters) found by the run.
    """
    cfg = cfg or DedupConfig()
    counters = steps.RunCounters()
    run, staging = steps.start_run(db, {}, cfg)
    try:
        for i in range(0, len(docs), chunk_size):
            chunk = steps.filter_new(docs[i : i + chunk_size], db, staging, counters)
            chunk = steps.stage_raw(staging, run, chunk)
            found = steps.find_chunk_pairs(chunk, db, staging, cfg)
            steps.stage(staging, run, chunk, [], found, counters)
        steps.find_run_pairs(db, staging, run, cfg, runner=runner)
        pairs = _staged_pairs(staging)
        clusters = steps.cluster_run(db, staging, run)
        steps.finish_run(db, run, staging, clusters, counters)
    finally:
        staging.remove()
    return pairs, clusters


def _staged_pairs(staging) -> list[Pair]:
    """Every pair the run staged: the chunks' and the run's own."""
    glob = staging.glob("pairs")
    if glob is None:
        return []
    table = pq.read_table(sorted(Path(glob).parent.glob("*.parquet")))
    columns = [f.name for f in dataclasses.fields(Pair)]
    return [Pair(*row) for row in zip(*(table.column(c).to_pylist() for c in columns), strict=True)]


def general_normalize(text: str) -> list[str]:
    """normalize_words without its shortcuts: NFKC, casefold, split on non-word characters."""
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return [w for w in re.split(r"[^\w]+", folded) if w]
