"""Arrow tables of the rows a chunk of documents adds, one per staged table."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa

from cleaners.record import Document, Quarantined
from dedup.bands import BAND_SCHEMA
from dedup.stage import Pair


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    started_at: datetime
    rules_version: str


def quarantine_id(q: Quarantined) -> str:
    key = f"{q.source_uri}\0{q.reason}\0{q.raw_sha256 or q.detail}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _ts(values: list[datetime | None]) -> pa.Array:
    return pa.array(values, pa.timestamp("us"))


def _timestamps(values: list[str | None]) -> pa.Array:
    out = []
    for v in values:
        try:
            out.append(datetime.fromisoformat(v).replace(tzinfo=None) if v else None)
        except ValueError:
            out.append(None)  # unparseable dates stay NULL; the raw input keeps the original
    return _ts(out)


def documents(docs: Sequence[Document], run: RunInfo) -> pa.Table:
    n = len(docs)
    return pa.table(
        {
            "doc_id": pa.array([d.doc_id for d in docs], pa.string()),
            "source_uri": pa.array([d.source_uri for d in docs], pa.string()),
            "source": pa.array([d.source for d in docs], pa.string()),
            "body_kind": pa.array([d.body_kind for d in docs], pa.string()),
            "title": pa.array([d.title for d in docs], pa.string()),
            "url": pa.array([d.url for d in docs], pa.string()),
            "author": pa.array([d.author for d in docs], pa.string()),
            "published_at": _timestamps([d.published_at for d in docs]),
            "site_name": pa.array([d.site_name for d in docs], pa.string()),
            "encoding": pa.array([d.encoding for d in docs], pa.string()),
            "repairs": pa.array([list(d.repairs) for d in docs], pa.list_(pa.string())),
            "clean_text": pa.array([d.clean_text for d in docs], pa.string()),
            "n_words": pa.array([d.n_words for d in docs], pa.int32()),
            "n_removed_lines": pa.array([len(d.removed) for d in docs], pa.int32()),
            "lang": pa.array([d.lang for d in docs], pa.string()),
            "lang_score": pa.array([d.lang_score for d in docs], pa.float64()),
            "norm_hash": pa.array([d.norm_hash for d in docs], pa.string()),
            "rules_version": pa.array([run.rules_version] * n, pa.string()),
            "run_id": pa.array([run.run_id] * n, pa.string()),
            "ingested_at": _ts([run.started_at] * n),
        }
    )


def raw_inputs(docs: Sequence[Document], run: RunInfo, digests: Sequence[str] | None = None) -> pa.Table:
    """`digests`: the sha256 of each document's raw bytes, when the caller has them."""
    n = len(docs)
    return pa.table(
        {
            "raw_id": pa.array([d.doc_id for d in docs], pa.string()),
            "source_uri": pa.array([d.source_uri for d in docs], pa.string()),
            "path": pa.array([d.input_path for d in docs], pa.string()),
            "line_no": pa.array([d.input_line for d in docs], pa.int32()),
            "size": pa.array([len(d.raw) for d in docs], pa.int64()),
            "sha256": pa.array([d.raw_sha256 for d in docs] if digests is None else digests, pa.string()),
            "content": pa.array([d.raw for d in docs], pa.binary()),
            "first_run_id": pa.array([run.run_id] * n, pa.string()),
            "first_seen_at": _ts([run.started_at] * n),
        }
    )


def _per_item(values: list[str], counts: list[int]) -> pa.Array:
    """Each document's value once per item of it (`counts[i]` times), taken in
    Arrow: a tuple a row built in Python, then a list a column of them, was
    2.4x the time (2,000 pages of the 100k corpus: counted lines 25.6 -> 10.7 us a page,
    removed lines 9.2 -> 3.6)."""
    return pa.array(values, pa.string()).take(pa.array(np.repeat(np.arange(len(values)), counts)))


def removed_lines(docs: Sequence[Document]) -> pa.Table:
    counts = [len(d.removed) for d in docs]
    flat = [r for d in docs for r in d.removed]
    return pa.table(
        {
            "doc_id": _per_item([d.doc_id for d in docs], counts),
            "line_no": pa.array([r.line_no for r in flat], pa.int32()),
            "line_text": pa.array([r.line_text for r in flat], pa.string()),
            "rule": pa.array([r.rule for r in flat], pa.string()),
        }
    )


def counted_lines(docs: Sequence[Document]) -> pa.Table:
    """Each document's counted short lines (learned_chrome), summed into
    clean.source_line_stats by the load for the documents that are new."""
    counts = [len(d.counted_lines) for d in docs]
    flat = [c for d in docs for c in d.counted_lines]
    return pa.table(
        {
            "doc_id": _per_item([d.doc_id for d in docs], counts),
            "source": _per_item([d.source for d in docs], counts),
            "line_hash": pa.array([h for h, _ in flat], pa.string()),
            "sample_text": pa.array([line for _, line in flat], pa.string()),
        }
    )


def paragraphs(docs: Sequence[Document]) -> pa.Table:
    rows = [(d.doc_id, p.para_no, p.n_words, p.norm_hash) for d in docs for p in d.paragraphs]
    return pa.table(
        {
            "doc_id": pa.array([r[0] for r in rows], pa.string()),
            "para_no": pa.array([r[1] for r in rows], pa.int32()),
            "n_words": pa.array([r[2] for r in rows], pa.int32()),
            "norm_hash": pa.array([r[3] for r in rows], pa.string()),
        }
    )


def bands(table: pa.Table) -> pa.Table:
    """The dedup stage builds band rows as Arrow already (dedup.bands.band_table)."""
    return table.select(BAND_SCHEMA.names).cast(BAND_SCHEMA)


def pairs(rows: Sequence[Pair], run: RunInfo) -> pa.Table:
    return pa.table(
        {
            "doc_id_a": pa.array([x.doc_id_a for x in rows], pa.string()),
            "doc_id_b": pa.array([x.doc_id_b for x in rows], pa.string()),
            "kind": pa.array([x.kind for x in rows], pa.string()),
            "jaccard": pa.array([x.jaccard for x in rows], pa.float64()),
            "jaccard_estimate": pa.array([x.jaccard_estimate for x in rows], pa.float64()),
            "containment_a": pa.array([x.containment_a for x in rows], pa.float64()),
            "containment_b": pa.array([x.containment_b for x in rows], pa.float64()),
            "run_id": pa.array([run.run_id] * len(rows), pa.string()),
        }
    )


def paragraph_map(rows: Sequence[tuple[str, int, str, int, float]], run: RunInfo) -> pa.Table:
    return pa.table(
        {
            "doc_id_a": pa.array([r[0] for r in rows], pa.string()),
            "para_no_a": pa.array([r[1] for r in rows], pa.int32()),
            "doc_id_b": pa.array([r[2] for r in rows], pa.string()),
            "para_no_b": pa.array([r[3] for r in rows], pa.int32()),
            "jaccard": pa.array([r[4] for r in rows], pa.float64()),
            "run_id": pa.array([run.run_id] * len(rows), pa.string()),
        }
    )


def quarantine(rows: Sequence[Quarantined], run: RunInfo) -> pa.Table:
    return pa.table(
        {
            "quarantine_id": pa.array([quarantine_id(x) for x in rows], pa.string()),
            "source_uri": pa.array([x.source_uri for x in rows], pa.string()),
            "reason": pa.array([x.reason for x in rows], pa.string()),
            "detail": pa.array([x.detail for x in rows], pa.string()),
            "raw_sha256": pa.array([x.raw_sha256 for x in rows], pa.string()),
            "size": pa.array([x.size for x in rows], pa.int64()),
            "run_id": pa.array([run.run_id] * len(rows), pa.string()),
            "quarantined_at": _ts([run.started_at] * len(rows)),
        }
    )
