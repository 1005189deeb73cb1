"""Compiled set operations behind candidate verification (dedup.overlap, dedup.minhash).

Verifying a candidate pair means intersecting sorted hash arrays: the whole
documents' shingle sets (exact Jaccard) and every paragraph of one against
every paragraph of the other (the overlap map). numpy did each with a sort
or a search over the whole arrays plus fancy indexing (`np.unique`,
`np.intersect1d`, `np.add.at`), ~0.4 ms per prepared document and ~0.2 ms
per candidate at ~800 shingles, in the flow's own process, where every
chunk's pairs are found. A merge of two sorted arrays keeps it to one pass.

Same cache and compile rules as dedup.kernels (`cache=True`, compiled by
`make install`, imported lazily); each returns exactly what the numpy
formulation it replaced returned (tests/test_set_kernels.py compares them).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def sorted_unique(values):
    """`np.unique(values)` for uint64 values: sorted, each once."""
    out = np.sort(values)
    n = 0
    for i in range(out.shape[0]):
        if n == 0 or out[i] != out[n - 1]:
            out[n] = out[i]
            n += 1
    return out[:n].copy()


@njit(cache=True, nogil=True)
def count_common(a, b):
    """How many values two sorted, duplicate-free arrays share."""
    i = j = common = 0
    while i < a.shape[0] and j < b.shape[0]:
        if a[i] < b[j]:
            i += 1
        elif a[i] > b[j]:
            j += 1
        else:
            common += 1
            i += 1
            j += 1
    return common


@njit(cache=True, nogil=True)
def distinct_by_hash(hashes, owners, n_groups):
    """The distinct (hash, group) entries of windows whose `owners` come sorted,
    ordered by hash (then group), and how many each group has.

    A stable sort by hash keeps each hash's groups in ascending order, so a
    repeat of the same hash in the same group is always next to its first.
    """
    order = np.argsort(hashes, kind="mergesort")
    out_hashes = np.empty(order.shape[0], dtype=np.uint64)
    out_owners = np.empty(order.shape[0], dtype=np.int64)
    sizes = np.zeros(n_groups, dtype=np.int64)
    n = 0
    for r in range(order.shape[0]):
        h, g = hashes[order[r]], owners[order[r]]
        if n > 0 and out_hashes[n - 1] == h and out_owners[n - 1] == g:
            continue
        out_hashes[n] = h
        out_owners[n] = g
        sizes[g] += 1
        n += 1
    return out_hashes[:n].copy(), out_owners[:n].copy(), sizes


@njit(cache=True, nogil=True)
def group_intersections(a_hashes, a_owners, n_a, b_hashes, b_owners, n_b):
    """(groups of A) x (groups of B) matrix of shared hashes, from two
    `distinct_by_hash` outputs: one merge, every equal hash counted once for
    each (group of A, group of B) it sits in."""
    counts = np.zeros((n_a, n_b), dtype=np.int64)
    i = j = 0
    while i < a_hashes.shape[0] and j < b_hashes.shape[0]:
        if a_hashes[i] < b_hashes[j]:
            i += 1
        elif a_hashes[i] > b_hashes[j]:
            j += 1
        else:
            value = a_hashes[i]
            i_end, j_end = i, j
            while i_end < a_hashes.shape[0] and a_hashes[i_end] == value:
                i_end += 1
            while j_end < b_hashes.shape[0] and b_hashes[j_end] == value:
                j_end += 1
            for x in range(i, i_end):
                for y in range(j, j_end):
                    counts[a_owners[x], b_owners[y]] += 1
            i, j = i_end, j_end
    return counts


def warm_up() -> None:
    """Call every loop once on tiny inputs, so each is compiled (and cached) or loaded."""
    values = np.asarray([3, 1, 3, 2], dtype=np.uint64)
    owners = np.asarray([0, 0, 1, 1], dtype=np.int64)
    unique = sorted_unique(values)
    count_common(unique, unique)
    hashes, groups, _ = distinct_by_hash(values, owners, 2)
    group_intersections(hashes, groups, 2, hashes, groups, 2)


if __name__ == "__main__":
    warm_up()
