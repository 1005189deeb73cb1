"""LSH band rows of new documents, and the candidate pairs among them.

Band rows are columnar (one Arrow table per chunk: doc_id, para_no, band,
band_hash) from the start: a chunk of 1,000 documents has ~135,000 of them,
and building one Python object per row, then converting them to Arrow for
the DuckDB join and the Parquet staging, cost more than computing them.

Pairs among the new documents come from a self-join in an in-memory DuckDB
(the same engine that joins them with the landed bands): a boilerplate
paragraph bucket of 200 documents is 20,000 pairs, too many for Python loops.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
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
# A paragraph band shared by more new documents than this is boilerplate.
MAX_NEW_BUCKET = 200
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


_NEW_NEW_SQL = """
WITH rows AS (SELECT *, para_no < 0 AS is_doc FROM new_bands),
buckets AS (  -- a paragraph bucket of many documents is boilerplate, not a copied passage
    SELECT is_doc, band, band_hash FROM rows GROUP BY ALL
    HAVING count(DISTINCT doc_id) >= 2 AND (is_doc OR count(DISTINCT doc_id) <= $max_bucket)
),
links AS (  -- one row per (paragraph of a, paragraph of b) sharing any band; -1: whole documents
    SELECT x.doc_id AS a, y.doc_id AS b, x.is_doc, x.para_no AS para_a, y.para_no AS para_b,
           any_value(x.words) AS words_a, any_value(y.words) AS words_b,
           any_value(x.doc_words) AS doc_words_a, any_value(y.doc_words) AS doc_words_b
    FROM rows x JOIN buckets k USING (is_doc, band, band_hash)
    JOIN rows y ON y.is_doc = x.is_doc AND y.band = x.band AND y.band_hash = x.band_hash
    WHERE x.doc_id < y.doc_id
    GROUP BY ALL
),
side_a AS (
    SELECT a, b, count(*) AS n, sum(words_a) / any_value(doc_words_a) AS cover
    FROM (SELECT DISTINCT a, b, para_a, words_a, doc_words_a FROM links WHERE NOT is_doc) GROUP BY a, b
),
side_b AS (
    SELECT a, b, count(*) AS n, sum(words_b) / any_value(doc_words_b) AS cover
    FROM (SELECT DISTINCT a, b, para_b, words_b, doc_words_b FROM links WHERE NOT is_doc) GROUP BY a, b
)
SELECT DISTINCT a, b FROM links WHERE is_doc
UNION
SELECT a, b FROM side_a JOIN side_b USING (a, b)
WHERE least(side_a.n, side_b.n) >= $need AND greatest(side_a.cover, side_b.cover) >= $min_cover
"""


def new_new_matches(bands: pa.Table, cfg: DedupConfig) -> set[tuple[str, str]]:
    """Pairs (a < b) of new documents sharing a document band, or paragraph bands
    of at least `overlap_min_paragraphs` distinct paragraphs on both sides that
    cover `min_cover` of one side (see LandedIndex.band_matches)."""
    if bands.num_rows == 0:
        return set()
    con = duckdb.connect()
    try:
        con.register("new_bands", bands)
        params = {"max_bucket": MAX_NEW_BUCKET, "need": cfg.overlap_min_paragraphs, "min_cover": min_cover(cfg)}
        found = con.execute(_NEW_NEW_SQL, params).fetchall()
    finally:
        con.close()
    return {(a, b) for a, b in found}
