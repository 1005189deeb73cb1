"""Candidate pairs among a chunk's new documents (dedup.new_pairs) against a plain reference."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.bands import QUERY_SCHEMA, min_cover
from dedup.config import DedupConfig
from dedup.new_pairs import MAX_NEW_BUCKET, new_new_matches

CFG = DedupConfig()
COVER = min_cover(CFG)


def _table(rows: list[tuple[str, int, int, int, int, int]]) -> pa.Table:
    return pa.table(list(map(list, zip(*rows, strict=True))) if rows else [[]] * 6, schema=QUERY_SCHEMA)


def _reference(rows, need: int, cover: float, max_bucket: int = MAX_NEW_BUCKET) -> set[tuple[str, str]]:
    """The rule, written as plainly as it reads: the same bucket (kind, band, hash) links two documents."""
    buckets = defaultdict(list)
    for doc_id, para_no, band, band_hash, words, doc_words in rows:
        buckets[(para_no < 0, band, band_hash)].append((doc_id, para_no, words, doc_words))
    found, paras = set(), defaultdict(lambda: (set(), set()))
    words_of, doc_words_of = {}, {}
    for (is_doc, _, _), members in buckets.items():
        docs = {m[0] for m in members}
        if len(docs) < 2 or (not is_doc and len(docs) > max_bucket):
            continue
        for (a, pa_, wa, da), (b, pb, wb, db) in itertools.permutations(members, 2):
            if a >= b:
                continue
            if is_doc:
                found.add((a, b))
            else:
                paras[(a, b)][0].add(pa_)
                paras[(a, b)][1].add(pb)
                words_of[(a, pa_)], words_of[(b, pb)] = wa, wb
                doc_words_of[a], doc_words_of[b] = da, db
    for (a, b), (on_a, on_b) in paras.items():
        cover_a = sum(words_of[(a, p)] for p in on_a) / doc_words_of[a]
        cover_b = sum(words_of[(b, p)] for p in on_b) / doc_words_of[b]
        if min(len(on_a), len(on_b)) >= need and max(cover_a, cover_b) >= cover:
            found.add((a, b))
    return found


def _random_rows(rng: random.Random, n_docs: int, n_hashes: int) -> list[tuple]:
    rows = []
    for i in rng.sample(range(1000), n_docs):  # ids not in row order: a < b must follow the ids
        doc_id, n_paras = f"d{i:03d}", rng.randint(0, 5)
        para_words = [rng.randint(10, 80) for _ in range(n_paras)]
        doc_words = sum(para_words) + rng.randint(0, 100) or 1
        for band in range(3):
            rows.append((doc_id, -1, band, rng.randrange(n_hashes), doc_words, doc_words))
        for p, w in enumerate(para_words):
            for band in range(4):
                rows.append((doc_id, p, band, rng.randrange(n_hashes), w, doc_words))
    return rows


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n_docs=st.integers(1, 30), n_hashes=st.integers(1, 6))
def test_random_chunks_give_the_reference_pairs(seed, n_docs, n_hashes):
    rows = _random_rows(random.Random(seed), n_docs, n_hashes)
    for need in (1, 2):
        expected = _reference(rows, need, COVER)
        got = new_new_matches(_table(rows), DedupConfig(overlap_min_paragraphs=need), COVER)
        assert got == expected


def test_a_shared_document_band_pairs_two_documents_in_id_order():
    rows = [("b", -1, 0, 7, 100, 100), ("a", -1, 0, 7, 100, 100), ("c", -1, 0, 8, 100, 100)]
    assert new_new_matches(_table(rows), CFG, COVER) == {("a", "b")}


def test_one_shared_paragraph_is_not_enough_and_two_that_cover_enough_are():
    one = [("a", 0, 0, 5, 60, 100), ("b", 0, 0, 5, 60, 100)]
    two = [*one, ("a", 1, 0, 6, 30, 100), ("b", 1, 0, 6, 30, 100)]
    need = DedupConfig(overlap_min_paragraphs=2)
    assert new_new_matches(_table(one), need, COVER) == set()
    assert new_new_matches(_table(two), need, COVER) == {("a", "b")}
    assert new_new_matches(_table(two), need, 0.95) == set()  # 90 of 100 words: short of that cover


def test_a_paragraph_bucket_of_too_many_documents_is_boilerplate():
    n = MAX_NEW_BUCKET + 1
    rows = [(f"d{i:04d}", p, 0, 100 + p, 50, 100) for i in range(n) for p in (0, 1)]
    assert new_new_matches(_table(rows), DedupConfig(overlap_min_paragraphs=2), 0.5) == set()
    small = [r for r in rows if r[0] < f"d{MAX_NEW_BUCKET:04d}"]
    got = new_new_matches(_table(small), DedupConfig(overlap_min_paragraphs=2), 0.5)
    assert len(got) == MAX_NEW_BUCKET * (MAX_NEW_BUCKET - 1) // 2


def test_no_rows_no_pairs():
    assert new_new_matches(_table([]), CFG, COVER) == set()
