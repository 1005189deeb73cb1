"""Compiled loops behind dedup.minhash: word hashes, shingle windows, MinHash minima.

numpy had to materialise every intermediate: a document's signature was a
(120 permutations x ~790 shingles) matrix, its words a prefix sum over every
byte with two power tables. These loops keep one value in a register instead
and compile once per machine (numba, `cache=True`: the machine code is kept in
__pycache__ beside this file, so a process loads it instead of compiling;
`make install` compiles it). `nogil`: cleaning workers run them in threads.

Each function returns exactly what the numpy code it replaced returned (the
tests compare them with datasketch and with numpy formulations); 64-bit
arithmetic wraps mod 2**64 and the permutations mod 2**32, as there.

Imported lazily by dedup.minhash, so processes that never hash (the CLI's
`sql`, `schema`) do not pay numba's import (~0.5 s).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_PRIME = np.uint64(0x100000001B3)
_M64A = np.uint64(0xFF51AFD7ED558CCD)
_M64B = np.uint64(0xC4CEB9FE1A85EC53)
_M32A = np.uint64(0x85EBCA6B)
_M32B = np.uint64(0xC2B2AE35)
_LOW32 = np.uint64(0xFFFFFFFF)
_SPACE = np.uint8(32)


@njit(cache=True, nogil=True, inline="always")
def _fmix64(h):
    h ^= h >> np.uint64(33)
    h *= _M64A
    h ^= h >> np.uint64(33)
    h *= _M64B
    return h ^ (h >> np.uint64(33))


@njit(cache=True, nogil=True, inline="always")
def _perm_input(shingle):
    """The 32-bit value a shingle feeds the permutations: its high half, mixed as datasketch does."""
    h = shingle >> np.uint64(32)
    h ^= h >> np.uint64(16)
    h = (h * _M32A) & _LOW32
    h ^= h >> np.uint64(13)
    h = (h * _M32B) & _LOW32
    return h ^ (h >> np.uint64(16))


@njit(cache=True, nogil=True)
def word_hashes(buf):
    """64-bit hash of each word of UTF-8 bytes `buf`: non-empty words separated by single spaces.

    sum(byte_i * P**i) over a word's bytes, mod 2**64, its length mixed in.
    """
    n_words = 1
    for i in range(buf.shape[0]):
        if buf[i] == _SPACE:
            n_words += 1
    out = np.empty(n_words, dtype=np.uint64)
    h = np.uint64(0)
    power = np.uint64(1)
    length = 0
    w = 0
    for i in range(buf.shape[0]):
        byte = buf[i]
        if byte == _SPACE:
            out[w] = _fmix64(h ^ (np.uint64(length) * _GOLDEN))
            w += 1
            h, power, length = np.uint64(0), np.uint64(1), 0
        else:
            h += np.uint64(byte) * power
            power *= _PRIME
            length += 1
    out[w] = _fmix64(h ^ (np.uint64(length) * _GOLDEN))
    return out


@njit(cache=True, nogil=True)
def window_hashes(words, k):
    """64-bit hash of every k-word window, repeats included (len - k + 1 of them)."""
    m = words.shape[0] - k + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64)
    out = np.empty(m, dtype=np.uint64)
    for i in range(m):
        h = np.uint64(0)
        for j in range(k):
            h = h * _GOLDEN + words[i + j]
        out[i] = _fmix64(h)
    return out


@njit(cache=True, nogil=True)
def paragraph_windows(words, lengths, k, min_words):
    """(hashes, paragraph) of the k-word windows inside each paragraph of at least `min_words` words.

    A window's hash is the one window_hashes gives it over the whole document.
    """
    total = 0
    for p in range(lengths.shape[0]):
        if lengths[p] >= min_words and lengths[p] >= k:
            total += lengths[p] - k + 1
    hashes = np.empty(total, dtype=np.uint64)
    owners = np.empty(total, dtype=np.int64)
    w = 0
    first = 0
    for p in range(lengths.shape[0]):
        n = lengths[p]
        if n >= min_words:
            for i in range(first, first + n - k + 1):
                h = np.uint64(0)
                for j in range(k):
                    h = h * _GOLDEN + words[i + j]
                hashes[w] = _fmix64(h)
                owners[w] = p
                w += 1
        first += n
    return hashes, owners


@njit(cache=True, nogil=True)
def _min_into(row, shingles, start, stop, a, b):
    for i in range(start, stop):
        x = _perm_input(shingles[i])
        for p in range(a.shape[0]):
            v = (a[p] * x + b[p]) & _LOW32  # datasketch's affine32: (a*x + b) mod 2**32
            if v < row[p]:
                row[p] = v


@njit(cache=True, nogil=True)
def signature(shingles, a, b):
    """MinHash of 64-bit shingle hashes under permutations (a, b) (uint64 columns of uint32 values)."""
    row = np.full(a.shape[0], _LOW32, dtype=np.uint64)
    _min_into(row, shingles, 0, shingles.shape[0], a, b)
    return row.astype(np.uint32)


@njit(cache=True, nogil=True)
def grouped_signatures(shingles, starts, a, b):
    """One MinHash per group: row g covers shingles[starts[g]:starts[g + 1]] (the last: to the end)."""
    n = starts.shape[0]
    out = np.full((n, a.shape[0]), _LOW32, dtype=np.uint64)
    for g in range(n):
        stop = starts[g + 1] if g + 1 < n else shingles.shape[0]
        _min_into(out[g], shingles, starts[g], stop, a, b)
    return out.astype(np.uint32)


def warm_up() -> None:
    """Call every loop once on tiny inputs, so each is compiled (and cached) or loaded."""
    words = word_hashes(np.frombuffer(b"warm up the loops now", dtype=np.uint8))
    windows = window_hashes(words, 2)
    paragraph_windows(words, np.asarray([2, 3], dtype=np.int64), 2, 1)
    a = np.arange(1, 9, 2, dtype=np.uint64)
    signature(windows, a, a)
    grouped_signatures(windows, np.asarray([0, 2], dtype=np.int64), a, a)


if __name__ == "__main__":
    warm_up()
