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


def _doc_bands(doc: Document, cfg: DedupConfig) -> tuple[np.ndarray, ...]:
    """(para_no, band, band_hash, words) of one document: its own bands, then each long paragraph's."""
    doc_hashes = band_hash_matrix(doc.signature.reshape(1, -1), cfg.bands, cfg.rows)[0]
    para_nos = [p.para_no for p in doc.paragraphs if p.n_words >= cfg.para_min_words]
    para_hashes = band_hash_matrix(doc.para_signatures[para_nos], cfg.para_bands, cfg.para_rows)
    para_col = np.concatenate(
        [np.full(cfg.bands, -1, dtype=np.int32), np.repeat(np.asarray(para_nos, dtype=np.int32), cfg.para_bands)]
    )
    band_col = np.concatenate(
        [np.arange(cfg.bands, dtype=np.int16), np.tile(np.arange(cfg.para_bands, dtype=np.int16), len(para_nos))]
    )
    words = [p.n_words for p in doc.paragraphs if p.n_words >= cfg.para_min_words]
    word_col = np.concatenate(
        [np.full(cfg.bands, doc.n_words, dtype=np.int32), np.repeat(np.asarray(words, dtype=np.int32), cfg.para_bands)]
    )
    return para_col, band_col, np.concatenate([doc_hashes, para_hashes.reshape(-1)]), word_col


def band_table(docs: Sequence[Document], cfg: DedupConfig) -> pa.Table:
    """Every band row of `docs`, in document order, with QUERY_SCHEMA's columns."""
    parts = [_doc_bands(d, cfg) for d in docs]
    if not parts:
        return QUERY_SCHEMA.empty_table()
    counts = [len(p[0]) for p in parts]
    ids = np.repeat(np.asarray([d.doc_id for d in docs], dtype=object), counts)
    doc_words = np.repeat(np.asarray([d.n_words for d in docs], dtype=np.int32), counts)
    columns = [np.concatenate([p[i] for p in parts]) for i in range(4)]
    return pa.table([pa.array(ids, pa.string()), *map(pa.array, columns), pa.array(doc_words)], schema=QUERY_SCHEMA)


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
