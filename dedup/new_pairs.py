"""Candidate pairs among one chunk's new documents, from their band rows, in numpy.

This was a self-join in a fresh in-memory DuckDB per chunk, on the flow's
main thread (the run's critical path). On one 5,000-document chunk of the
100k bench corpus (676k band rows, 1,138 pairs; 6 runs each, alternating):
0.80-1.01 CPU-s there, 0.47-0.83 here, the same wall time on an idle machine
(DuckDB used two threads, which a real run's cleaning workers need). Sorting
the rows by bucket once and enumerating each bucket's row pairs gives the same
pairs (tests/test_new_pairs.py checks it against a plain reference).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dedup.config import DedupConfig

# A paragraph band shared by more new documents than this is boilerplate.
MAX_NEW_BUCKET = 200


def new_new_matches(bands: pa.Table, cfg: DedupConfig, cover: float) -> set[tuple[str, str]]:
    """Pairs (a < b) of new documents sharing a document band, or paragraph bands
    of at least `overlap_min_paragraphs` distinct paragraphs on both sides whose
    words cover `cover` of one side. `bands` has dedup.bands.QUERY_SCHEMA."""
    if bands.num_rows == 0:
        return set()
    names, doc = _ranked_ids(bands.column("doc_id"))
    para = bands.column("para_no").to_numpy()
    is_doc = para < 0
    kind_band = bands.column("band").to_numpy().astype(np.int32) * 2 + is_doc  # a bucket is (this, band_hash)
    band_hash = bands.column("band_hash").to_numpy()
    # by bucket, then document: a bucket's rows are one run. Stable sorts key
    # by key, least significant first, as lexsort does, but only one of them
    # compares 64-bit keys (0.24 -> 0.08 s for 676k rows)
    order = np.argsort(doc, kind="stable")
    order = order[np.argsort(band_hash[order], kind="stable")]
    order = order[np.argsort(kind_band[order], kind="stable")]
    doc, para, is_doc, kind_band, band_hash = doc[order], para[order], is_doc[order], kind_band[order], band_hash[order]
    words = bands.column("words").to_numpy()[order]
    doc_words = bands.column("doc_words").to_numpy()[order]
    new_bucket = np.ones(len(order), dtype=bool)
    new_bucket[1:] = (kind_band[1:] != kind_band[:-1]) | (band_hash[1:] != band_hash[:-1])
    x, y = _row_pairs(new_bucket, doc, is_doc)

    whole = is_doc[x]
    found = {(names[a], names[b]) for a, b in zip(doc[x[whole]].tolist(), doc[y[whole]].tolist(), strict=True)}
    para_rows = ~is_doc[x]
    x, y = x[para_rows], y[para_rows]
    if len(x):
        n_docs = len(names)
        pair_keys, pair_of = np.unique(doc[x].astype(np.int64) * n_docs + doc[y], return_inverse=True)
        n_a, cover_a = _side(pair_of, len(pair_keys), para[x], words[x], doc_words[x])
        n_b, cover_b = _side(pair_of, len(pair_keys), para[y], words[y], doc_words[y])
        ok = (np.minimum(n_a, n_b) >= cfg.overlap_min_paragraphs) & (np.maximum(cover_a, cover_b) >= cover)
        found |= {(names[k // n_docs], names[k % n_docs]) for k in pair_keys[ok].tolist()}
    return found


def _ranked_ids(ids: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
    """Distinct ids in string order, and each row's rank among them: the
    rank order is the ids' order, so `a < b` holds for ranks as for ids."""
    encoded = pc.dictionary_encode(ids.combine_chunks())
    names = encoded.dictionary
    by_name = pc.sort_indices(names).to_numpy()
    rank = np.empty(len(names), dtype=np.int64)
    rank[by_name] = np.arange(len(names))
    return names.take(pa.array(by_name)).to_pylist(), rank[encoded.indices.to_numpy()]


def _row_pairs(new_bucket: np.ndarray, doc: np.ndarray, is_doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (x, y) of rows x < y in one bucket of 2+ documents, with doc[x] < doc[y];
    paragraph buckets of more than MAX_NEW_BUCKET documents are left out."""
    starts = np.flatnonzero(new_bucket)
    sizes = np.diff(np.append(starts, len(doc)))
    new_doc = new_bucket | np.append(False, doc[1:] != doc[:-1])
    distinct = np.add.reduceat(new_doc.astype(np.int64), starts)
    keep = (distinct >= 2) & (is_doc[starts] | (distinct <= MAX_NEW_BUCKET))
    starts, sizes = starts[keep], sizes[keep]
    # row r at offset k of a bucket of size s pairs with the s - 1 - k rows after it
    rows = np.repeat(starts, sizes) + _offsets(sizes)
    after = np.repeat(sizes, sizes) - 1 - _offsets(sizes)
    x = np.repeat(rows, after)
    y = x + 1 + _offsets(after)
    distinct_docs = doc[x] != doc[y]  # rows are ordered by document within a bucket
    return x[distinct_docs], y[distinct_docs]


def _offsets(sizes: np.ndarray) -> np.ndarray:
    """0..s-1 for each s in sizes, concatenated."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _side(pair_of: np.ndarray, n_pairs: int, para: np.ndarray, words: np.ndarray, doc_words: np.ndarray):
    """Per document pair (`pair_of` numbers them): its distinct paragraphs on
    one side, and the share of that side's words they hold."""
    per_para = np.unique(pair_of * (int(para.max()) + 1) + para, return_index=True)[1]
    pair = pair_of[per_para]
    n = np.bincount(pair, minlength=n_pairs)
    held = np.bincount(pair, weights=words[per_para], minlength=n_pairs)
    side_words = np.ones(n_pairs)
    side_words[pair] = doc_words[per_para]
    return n, held / side_words
