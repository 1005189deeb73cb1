import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st

from dedup.config import ConfigError, DedupConfig
from dedup.minhash import (
    band_hashes,
    estimate_jaccard,
    exact_jaccard,
    hash_joined,
    permutations,
    shingle_hashes,
    signature,
    to_hash32,
)
from dedup.normalize import normalize_joined, normalize_words, normalized_hash
from tests.helpers import general_normalize

TEXT = "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat"


def _shingles(text: str, k: int = 5) -> np.ndarray:
    return shingle_hashes(hash_joined(normalize_joined(text)), k)


def test_signature_equals_datasketch_update_batch():
    sh = _shingles(TEXT)
    ours = signature(sh, 128, 7)
    ref = MinHash(num_perm=128, seed=7, hashfunc=lambda x: x)
    ref.update_batch([int(x) for x in to_hash32(sh)])
    assert np.array_equal(ours, ref.hashvalues)


def test_shingles_count_and_short_texts():
    words = normalize_words(TEXT)
    assert len(_shingles(TEXT)) == len(words) - 4
    assert len(_shingles("two words")) == 1  # shorter than k: one shingle of all words
    assert len(_shingles("")) == 0


def test_normalisation_folds_case_punctuation_and_compatibility_forms():
    assert normalize_words("Kota  “Raqqa”, ibu—kota!") == ["kota", "raqqa", "ibu", "kota"]
    assert normalized_hash("Hello, World") == normalized_hash("hello world")
    assert normalized_hash("ﬁne") == normalized_hash("fine")  # NFKC ligature
    assert normalized_hash("hello world") != normalized_hash("hello there world")


def test_estimate_tracks_exact_jaccard():
    words = [f"w{i}" for i in range(400)]
    a = " ".join(words)
    b = " ".join(words[:300] + [f"x{i}" for i in range(100)])
    sa, sb = _shingles(a), _shingles(b)
    exact = exact_jaccard(sa, sb)
    est = estimate_jaccard(signature(sa, 256, 1), signature(sb, 256, 1))
    assert 0.55 < exact < 0.65
    assert abs(est - exact) < 0.1


def test_band_hashes_equal_only_for_equal_bands():
    sig = signature(_shingles(TEXT), 120, 1)
    other = sig.copy()
    other[0] ^= 1  # change one value in band 0
    a, b = band_hashes(sig, 20, 6), band_hashes(other, 20, 6)
    assert a.dtype == np.int64 and len(a) == 20
    assert a[0] != b[0]
    assert np.array_equal(a[1:], b[1:])


@pytest.mark.parametrize(
    "kwargs",
    [{"bands": 0}, {"rows": -1}, {"near_threshold": 1.5}, {"para_threshold": 0}, {"bands": 100, "rows": 20}],
)
def test_config_rejects_nonsense(kwargs):
    with pytest.raises(ConfigError, match="dedup\\."):
        DedupConfig(**kwargs)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_ascii_shortcut_splits_words_exactly_like_the_general_rule(text):
    assert text.isascii()
    assert normalize_words(text) == general_normalize(text)


def test_every_ascii_character_separates_or_joins_words_as_the_general_rule_says():
    for code in range(128):
        text = f"Ab{chr(code)}Cd_9"
        assert normalize_words(text) == general_normalize(text), repr(chr(code))


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=" "), min_size=1, max_size=80), max_size=30))
def test_joined_word_hashes_are_each_words_own_hash(words):
    together = hash_joined(" ".join(words))
    assert [int(h) for h in together] == [int(hash_joined(w)[0]) for w in words]


def test_word_hashes_tell_words_apart():
    vocabulary = [f"{a}{b}{c}" for a in "abcdefghij" for b in "klmnopqrst" for c in "uvwxyzäöüß"] + ["é" * 300]
    hashes = hash_joined(" ".join(vocabulary))
    assert len(set(hashes.tolist())) == len(vocabulary)
    assert hash_joined("ab")[0] != hash_joined("ba")[0]  # order matters
    assert len(hash_joined("")) == 0


@pytest.mark.parametrize("num_perm,seed", [(120, 1), (24, 1), (128, 7), (1, 0), (256, 2**31)])
def test_permutations_are_datasketchs_own(num_perm, seed):
    a, b = permutations(num_perm, seed)
    ref_a, ref_b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    assert np.array_equal(a.ravel(), ref_a) and np.array_equal(b.ravel(), ref_b)
