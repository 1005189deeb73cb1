"""LSH band rows of new documents, and the candidate pairs among them.

Band rows are columnar (one Arrow table per chunk: doc_id, para_no, band,
band_hash) from the start: a chunk of 1,000 documents has ~135,000 of them,
and building one Python object per row, then converting them to Arrow for
the DuckDB join and the Parquet staging, cost more than computing them.

Pairs among the new documents come from dedup.new_pairs (sorted arrays: a
boilerplate paragraph bucket of 200 documents is 20,000 pairs, too many for
Python loops); pairs with landed documents from a DuckDB join
(warehouse.lookup).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from cleaners.record import Document
from dedup.config import DedupConfig
from dedup.minhash import band_hash_matrix

BAND_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("para_no", pa.int32()), ("band", pa.int16()), ("band_hash", pa.int64())]
)
# The candidate query also needs each row's paragraph length and its
# document's length (not stored in dedup.bands: the landed side joins them).
QUERY_SCHEMA = BAND_SCHEMA.append(pa.field("words", pa.int32())).append(pa.field("doc_words", pa.int32()))
# Paragraph-band candidates must share bands in paragraphs covering at least
# this share of `overlap_min_containment` on one side. A site's boilerplate
# blurb (3 paragraphs, ~8 % of a page) passes the two-paragraph test but can
# never be an overlap; verifying every pair of pages of such a site was 96 %
# of the candidates (measured: 10,855 candidates, 416 pairs, 2,000 pages).
# The slack covers paragraphs LSH missed and short ones matched only exactly.
COVER_SLACK = 0.75


def min_cover(cfg: DedupConfig) -> float:
    return cfg.overlap_min_containment * COVER_SLACK


def band_table(docs: Sequence[Document], cfg: DedupConfig) -> pa.Table:
    """Every band row of `docs` with QUERY_SCHEMA's columns: each document's own
    bands (para_no -1), then each of its long paragraphs', in document order.

    All documents' band hashes come from two matrix operations (one for the
    documents, one for all their long paragraphs), not a few per document.
    """
    if not docs:
        return QUERY_SCHEMA.empty_table()
    n = len(docs)
    doc_hashes = band_hash_matrix(np.stack([d.signature for d in docs]), cfg.bands, cfg.rows)  # (n, bands)
    owner, para_nos, words, sigs = [], [], [], []
    for i, d in enumerate(docs):
        long = [p.para_no for p in d.paragraphs if p.n_words >= cfg.para_min_words]
        if long:
            owner.extend([i] * len(long))
            para_nos.extend(long)
            words.extend(d.paragraphs[j].n_words for j in long)
            sigs.append(d.para_signatures[long])
    n_para = len(owner)
    para_hashes = (
        band_hash_matrix(np.concatenate(sigs), cfg.para_bands, cfg.para_rows)
        if sigs
        else np.empty((0, cfg.para_bands), dtype=np.int64)
    )
    doc_words = np.asarray([d.n_words for d in docs], dtype=np.int32)
    # rows: n x bands document rows, then n_para x para_bands paragraph rows; a
    # stable sort by document puts each document's rows together, its own first
    row_doc = np.concatenate(
        [np.repeat(np.arange(n), cfg.bands), np.repeat(np.asarray(owner, dtype=np.int64), cfg.para_bands)]
    )
    order = np.argsort(row_doc, kind="stable")
    para_col = np.concatenate(
        [np.full(n * cfg.bands, -1, dtype=np.int32), np.repeat(np.asarray(para_nos, dtype=np.int32), cfg.para_bands)]
    )
    band_col = np.concatenate(
        [np.tile(np.arange(cfg.bands, dtype=np.int16), n), np.tile(np.arange(cfg.para_bands, dtype=np.int16), n_para)]
    )
    word_col = np.concatenate(
        [np.repeat(doc_words, cfg.bands), np.repeat(np.asarray(words, dtype=np.int32), cfg.para_bands)]
    )
    hash_col = np.concatenate([doc_hashes.reshape(-1), para_hashes.reshape(-1)])
    # taken in Arrow: one string per row (~140 a document) built in Python was half of this function
    ids = pa.array([d.doc_id for d in docs], pa.string()).take(pa.array(row_doc[order]))
    return pa.table(
        [
            ids,
            pa.array(para_col[order]),
            pa.array(band_col[order]),
            pa.array(hash_col[order]),
            pa.array(word_col[order]),
            pa.array(doc_words[row_doc[order]]),
        ],
        schema=QUERY_SCHEMA,
    )
