"""The compiled loops (dedup.kernels) against plain definitions of what they compute.

Word and window hashes are part of the recorded band scheme (poly64-utf8-v2):
landed bands only match new ones if these stay bit-for-bit the same, so they
are pinned here to a pure-Python definition and to values the numpy
implementation they replaced produced.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dedup.minhash import hash_joined, permutations, signature, to_hash32, window_hashes
from dedup.normalize import normalize_joined, normalize_paragraphs, normalize_words
from dedup.words import DocWords, paragraph_windows
from tests.helpers import general_normalize

M64 = (1 << 64) - 1
GOLDEN, PRIME = 0x9E3779B97F4A7C15, 0x100000001B3


def _fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & M64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & M64
    return h ^ (h >> 33)


def _word_hash(word: str) -> int:
    data = word.encode("utf-8", "surrogatepass")
    h = sum(byte * pow(PRIME, i, 1 << 64) for i, byte in enumerate(data)) & M64
    return _fmix64(h ^ ((len(data) * GOLDEN) & M64))


def _window_hash(hashes: list[int]) -> int:
    h = 0
    for x in hashes:
        h = (h * GOLDEN + x) & M64
    return _fmix64(h)


_WORDS = st.lists(st.text(alphabet=st.characters(blacklist_characters=" "), min_size=1, max_size=30), max_size=40)


@given(_WORDS)
def test_word_hashes_are_the_recorded_polynomial(words):
    assert [int(h) for h in hash_joined(" ".join(words))] == [_word_hash(w) for w in words]


def test_word_and_window_hashes_equal_what_the_numpy_implementation_gave():
    # values from dedup/minhash.py at 67295fc (prefix sums over the bytes)
    words = hash_joined("kota raqqa ibu")
    assert [hex(int(h)) for h in words] == ["0x5bbd36a1c26e741c", "0x3cdb27c2314617fb", "0xdc45f9393d7245c"]
    assert [hex(int(h)) for h in window_hashes(words, 2)] == ["0xd4cab2f297e499ad", "0xb12f4c80d3f8350e"]


@given(st.lists(st.integers(0, M64), max_size=30), st.integers(1, 6))
def test_window_hashes_are_the_polynomial_of_each_window(values, k):
    hashes = np.asarray(values, dtype=np.uint64)
    expected = [_window_hash(values[i : i + k]) for i in range(len(values) - k + 1)]
    assert [int(h) for h in window_hashes(hashes, k)] == expected


def _doc_words(paragraphs: list[list[int]]) -> DocWords:
    flat = [h for p in paragraphs for h in p]
    lengths = np.asarray([len(p) for p in paragraphs], dtype=np.int64)
    return DocWords(tuple("" for _ in paragraphs), lengths, "", np.asarray(flat, dtype=np.uint64))


@given(st.lists(st.lists(st.integers(0, M64), max_size=12), max_size=8), st.integers(1, 4), st.integers(0, 9))
def test_paragraph_windows_are_the_documents_windows_inside_long_paragraphs(paragraphs, k, min_words):
    got_hashes, got_owners = paragraph_windows(_doc_words(paragraphs), k, min_words)
    expected = [
        (_window_hash(p[i : i + k]), no)
        for no, p in enumerate(paragraphs)
        if len(p) >= min_words
        for i in range(len(p) - k + 1)
    ]
    assert list(zip(map(int, got_hashes), map(int, got_owners), strict=True)) == expected


def test_grouped_signatures_equal_one_signature_per_group():
    from dedup.minhash import grouped_signatures

    shingles = hash_joined(" ".join(f"w{i}" for i in range(300)))
    starts = np.asarray([0, 7, 8, 150, 299])
    rows = grouped_signatures(shingles, starts, 24, 3)
    bounds = [*starts.tolist(), len(shingles)]
    for g in range(len(starts)):
        assert np.array_equal(rows[g], signature(shingles[bounds[g] : bounds[g + 1]], 24, 3))


def test_signature_is_the_minimum_of_each_affine_permutation():
    shingles = hash_joined(" ".join(f"w{i}" for i in range(50)))
    a, b = (x.ravel().astype(np.uint64) for x in permutations(16, 5))
    x = to_hash32(shingles).astype(np.uint64)
    # datasketch's pre-mix of the 32-bit input, then (a*x + b) mod 2**32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(16)
    expected = ((a[:, None] * x[None, :] + b[:, None]) & np.uint64(0xFFFFFFFF)).min(axis=1)
    assert np.array_equal(signature(shingles, 16, 5), expected.astype(np.uint32))
    assert np.array_equal(signature(np.empty(0, dtype=np.uint64), 16, 5), np.full(16, 0xFFFFFFFF, np.uint32))


_SEPARATORS = "‘’“”–—•·°«»′″"
_TEXT = st.text(alphabet=st.sampled_from("aZ9_ .,-'\"\t\r" + _SEPARATORS + "éßİ\u00a0ﬁ①"), max_size=40)


@given(_TEXT)
def test_common_separators_fold_as_the_general_rule_says(text):
    assert normalize_words(text) == general_normalize(text)


@given(st.lists(_TEXT.filter(lambda t: t.strip()), max_size=8))
def test_a_documents_paragraphs_fold_as_each_alone(paragraphs):
    assert normalize_paragraphs(paragraphs) == [normalize_joined(p) for p in paragraphs]
