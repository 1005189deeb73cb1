"""Shingle hashing and MinHash signatures, datasketch-compatible.

Words are hashed from their UTF-8 bytes, all of a document's in one pass; a
k-word shingle's hash is a polynomial of its word hashes, so no shingle string
is ever built. Signatures use datasketch's own permutations (scheme affine32,
drawn the way it draws them) and equal `datasketch.MinHash.update_batch` on
the same 32-bit shingle hashes (tests check both). The loops are compiled
(dedup.kernels): a 4.5 KB document's 120-permutation signature takes ~20 us,
against ~100 us as a numpy matrix minimum and ~3 ms with `MinHash.update`
per shingle.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # odd: the polynomial stays a bijection per step


def _fmix64(h: np.ndarray) -> np.ndarray:
    # MurmurHash3 finaliser: spreads the polynomial's low-entropy bits.
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


# How a word becomes a 64-bit hash; recorded with a warehouse's bands (see
# dedup/scheme.py), because bands made with another word hash never match.
WORD_HASH_SCHEME = "poly64-utf8-v2"


def compiled():
    # numba's import costs ~0.5 s: only processes that hash pay it (see dedup.kernels)
    from dedup import kernels

    return kernels


def compiled_sets():
    # the verification's merges (dedup.set_kernels), imported as lazily as the hashing loops
    from dedup import set_kernels

    return set_kernels


def hash_joined(joined: str) -> np.ndarray:
    """64-bit hash of every word of `joined`: non-empty words separated by single spaces.

    A word's hash is the polynomial sum(byte_i * P**i) of its UTF-8 bytes mod
    2**64 (P = 0x100000001B3), with its length mixed in, in one compiled pass
    over the text: ~5 us for a 4.5 KB document (numpy's prefix sums: ~45 us).
    """
    # surrogatepass: a lone surrogate is hashed, not fatal
    buf = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if len(buf) == 0:
        return np.empty(0, dtype=np.uint64)
    return compiled().word_hashes(buf)


def window_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """64-bit hash of every k-word window (len - k + 1 of them, not deduplicated)."""
    return compiled().window_hashes(word_hashes, k)


def shingle_windows(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """Hashes of the k-word shingles, repeats included (one shingle if shorter).

    Enough for a signature (a minimum is the same over a multiset), without
    the sort that makes them distinct.
    """
    n = len(word_hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    return window_hashes(word_hashes, min(k, n))


def shingle_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """Distinct 64-bit hashes of the k-word shingles, sorted (for exact Jaccard)."""
    return compiled_sets().sorted_unique(shingle_windows(word_hashes, k))


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for (num_perm, seed), as (num_perm, 1) columns.

    Drawn exactly as `datasketch.MinHash(num_perm, seed, scheme="affine32")`
    draws them (tests compare the two for many sizes and seeds), without
    importing datasketch: its package imports scipy and redis (for LSH
    storage), 2.8 s in every process that fingerprints.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)  # odd: a bijection
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a.reshape(-1, 1), b.reshape(-1, 1)


def to_hash32(shingles: np.ndarray) -> np.ndarray:
    """The 32-bit values fed to the permutations (the high half of each hash)."""
    return (shingles >> np.uint64(32)).astype(np.uint32)


@lru_cache(maxsize=8)
def _flat_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # the compiled loops take (a, b) as contiguous uint64 vectors
    a, b = permutations(num_perm, seed)
    return a.ravel().astype(np.uint64), b.ravel().astype(np.uint64)


def signature(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signature (uint32, num_perm) of 64-bit shingle hashes (repeats change nothing)."""
    return compiled().signature(shingles, *_flat_permutations(num_perm, seed))


def grouped_signatures(shingles: np.ndarray, starts: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """Signatures of several shingle groups at once: row i covers shingles[starts[i]:starts[i+1]].

    One compiled call per document instead of one per paragraph; every group
    must be non-empty.
    """
    return compiled().grouped_signatures(shingles, starts, *_flat_permutations(num_perm, seed))


def band_hash_matrix(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) signed 64-bit band hashes (DuckDB BIGINT) of n signatures, comparable across runs."""
    matrix = sigs[:, : bands * rows].astype(np.uint64).reshape(len(sigs), bands, rows)
    h = np.zeros((len(sigs), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(rows):
            h = h * _GOLDEN + matrix[:, :, j]
        return _fmix64(h).view(np.int64)


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One signed 64-bit hash per band of one signature."""
    return band_hash_matrix(sig.reshape(1, -1), bands, rows)[0]


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard of two sets given as sorted unique hash arrays."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    inter = compiled_sets().count_common(a, b)
    return inter / (len(a) + len(b) - inter)
