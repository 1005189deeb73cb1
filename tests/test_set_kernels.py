"""The verification's compiled set operations (dedup.set_kernels) against numpy.

Values are drawn from a small range so that repeats, shared values and
values in several groups are common, which is where a merge can go wrong.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dedup import set_kernels

values = st.lists(st.integers(0, 40), max_size=60).map(lambda xs: np.asarray(xs, dtype=np.uint64))
big_values = st.lists(st.integers(0, 2**64 - 1), max_size=30).map(lambda xs: np.asarray(xs, dtype=np.uint64))


def _windows(draw_lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, owners) as paragraph_windows gives them: owners ascending, group by group."""
    hashes = [h for group in draw_lists for h in group]
    owners = [g for g, group in enumerate(draw_lists) for _ in group]
    return np.asarray(hashes, dtype=np.uint64), np.asarray(owners, dtype=np.int64)


groups = st.lists(st.lists(st.integers(0, 30), max_size=12), min_size=1, max_size=6)


@given(st.one_of(values, big_values))
def test_sorted_unique_is_numpy_unique(xs):
    assert np.array_equal(set_kernels.sorted_unique(xs), np.unique(xs))


@given(values, values)
def test_count_common_is_the_size_of_the_intersection(a, b):
    a, b = np.unique(a), np.unique(b)
    assert set_kernels.count_common(a, b) == len(np.intersect1d(a, b, assume_unique=True))


@given(groups)
def test_distinct_by_hash_keeps_each_hash_once_per_group_in_hash_order(lists):
    hashes, owners = _windows(lists)
    out_hashes, out_owners, sizes = set_kernels.distinct_by_hash(hashes, owners, len(lists))
    expected = sorted({(h, g) for g, group in enumerate(lists) for h in group})
    assert list(zip(out_hashes.tolist(), out_owners.tolist(), strict=True)) == expected
    assert sizes.tolist() == [len(set(group)) for group in lists]


@given(groups, groups)
def test_group_intersections_count_shared_hashes_of_every_group_pair(lists_a, lists_b):
    a = set_kernels.distinct_by_hash(*_windows(lists_a), len(lists_a))
    b = set_kernels.distinct_by_hash(*_windows(lists_b), len(lists_b))
    counts = set_kernels.group_intersections(a[0], a[1], len(lists_a), b[0], b[1], len(lists_b))
    expected = [[len(set(x) & set(y)) for y in lists_b] for x in lists_a]
    assert counts.tolist() == expected


def test_group_intersections_of_nothing_is_a_zero_matrix():
    empty_h, empty_o = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    counts = set_kernels.group_intersections(empty_h, empty_o, 2, empty_h, empty_o, 3)
    assert counts.shape == (2, 3) and not counts.any()
