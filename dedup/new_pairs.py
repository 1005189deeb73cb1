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

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dedup.config import DedupConfig

# A paragraph band shared by more new documents than this is boilerplate.
MAX_NEW_BUCKET = 200


@dataclass(frozen=True)
class BucketLinks:
    """What a set of whole buckets says about document pairs. A pair key is
    x * n_docs + y for document numbers x < y; a side key is pair key *
    para_span + paragraph, one per distinct paragraph of that side."""

    whole: np.ndarray  # distinct pair keys sharing a document band
    side_a: np.ndarray  # distinct side keys of x's paragraphs, and their words
    words_a: np.ndarray
    side_b: np.ndarray  # the same for y's paragraphs
    words_b: np.ndarray


def new_new_matches(bands: pa.Table, cfg: DedupConfig, cover: float) -> set[tuple[str, str]]:
    """Pairs (a < b) of new documents sharing a document band, or paragraph bands
    of at least `overlap_min_paragraphs` distinct paragraphs on both sides whose
    words cover `cover` of one side. `bands` has dedup.bands.QUERY_SCHEMA."""
    if bands.num_rows == 0:
        return set()
    names, doc = _ranked_ids(bands.column("doc_id"))
    para = bands.column("para_no").to_numpy()
    n_docs, para_span = len(names), int(para.max()) + 1
    doc_words = np.zeros(n_docs, dtype=np.int64)
    doc_words[doc] = bands.column("doc_words").to_numpy()
    band, band_hash = bands.column("band").to_numpy(), bands.column("band_hash").to_numpy()
    links = bucket_links(doc, para, band, band_hash, bands.column("words").to_numpy(), n_docs, para_span)
    keys = passing_pairs(links, doc_words, para_span, cfg, cover)
    return {(names[k // n_docs], names[k % n_docs]) for k in keys.tolist()}


def bucket_links(
    doc: np.ndarray,
    para: np.ndarray,
    band: np.ndarray,
    band_hash: np.ndarray,
    words: np.ndarray,
    n_docs: int,
    para_span: int,
) -> BucketLinks:
    """Links among rows holding whole buckets (kind, band, band_hash): every
    row of a bucket present. `doc` numbers documents 0..n_docs-1; `para` < 0
    marks a document band; `para_span` exceeds every paragraph number."""
    doc = doc.astype(np.int64, copy=False)
    is_doc = para < 0
    kind_band = band.astype(np.int32) * 2 + is_doc  # a bucket is (this, band_hash)
    # by bucket, then document: a bucket's rows are one run. Stable sorts key
    # by key, least significant first, as lexsort does, but only one of them
    # compares 64-bit keys (0.24 -> 0.08 s for 676k rows)
    order = np.argsort(doc, kind="stable")
    order = order[np.argsort(band_hash[order], kind="stable")]
    order = order[np.argsort(kind_band[order], kind="stable")]
    doc, para, is_doc, kind_band, band_hash = doc[order], para[order], is_doc[order], kind_band[order], band_hash[order]
    words = words[order]
    new_bucket = np.ones(len(order), dtype=bool)
    new_bucket[1:] = (kind_band[1:] != kind_band[:-1]) | (band_hash[1:] != band_hash[:-1])
    x, y = _row_pairs(new_bucket, doc, is_doc)
    keys = doc[x] * n_docs + doc[y]
    whole = is_doc[x]
    x, y, para_keys = x[~whole], y[~whole], keys[~whole] * para_span
    side_a, first_a = np.unique(para_keys + para[x], return_index=True)
    side_b, first_b = np.unique(para_keys + para[y], return_index=True)
    return BucketLinks(np.unique(keys[whole]), side_a, words[x][first_a], side_b, words[y][first_b])


def passing_pairs(
    links: BucketLinks, doc_words: np.ndarray, para_span: int, cfg: DedupConfig, cover: float
) -> np.ndarray:
    """Pair keys that share a document band, or whose shared paragraphs pass
    the paragraph count and cover. `links` holds every link of its pairs; a
    side key may repeat (its paragraphs met in several band partitions)."""
    n_docs = len(doc_words)
    side_a, words_a = _distinct(links.side_a, links.words_a)
    side_b, words_b = _distinct(links.side_b, links.words_b)
    # both sides hold the same pairs: every paragraph row pair adds one key to each
    pair_keys, on_a = np.unique(side_a // para_span, return_inverse=True)
    on_b = np.searchsorted(pair_keys, side_b // para_span)
    n_pairs = len(pair_keys)
    n_a, n_b = np.bincount(on_a, minlength=n_pairs), np.bincount(on_b, minlength=n_pairs)
    cover_a = np.bincount(on_a, weights=words_a, minlength=n_pairs) / doc_words[pair_keys // n_docs]
    cover_b = np.bincount(on_b, weights=words_b, minlength=n_pairs) / doc_words[pair_keys % n_docs]
    ok = (np.minimum(n_a, n_b) >= cfg.overlap_min_paragraphs) & (np.maximum(cover_a, cover_b) >= cover)
    return np.union1d(links.whole, pair_keys[ok])


def _distinct(keys: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keys, first = np.unique(keys, return_index=True)
    return keys, words[first]


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
