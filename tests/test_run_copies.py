"""The run's in-memory index of indexed documents' hashes (dedup.run_copies)."""

from __future__ import annotations

import random

from dedup.normalize import joined_hash
from dedup.run_copies import RunRepresentatives


def test_hashes_are_found_in_any_earlier_chunk_and_others_are_not():
    hashes = [joined_hash(f"text {i}") for i in range(30)]
    reps = RunRepresentatives()
    reps.add(hashes[:10], [f"a{i}" for i in range(10)])
    reps.add(hashes[10:20], [f"b{i}" for i in range(10)])
    asked = [hashes[3], hashes[15], hashes[25], hashes[3]]
    assert reps.lookup(asked) == {hashes[3]: "a3", hashes[15]: "b5"}
    assert reps.lookup(hashes[20:]) == {}
    assert RunRepresentatives().lookup(hashes) == {}


def test_equal_high_halves_are_told_apart_by_the_low_half():
    high = "0123456789abcdef"
    one, two, three = high + "0" * 16, high + "1" * 16, high + "2" * 16
    reps = RunRepresentatives()
    reps.add([two, one], ["d2", "d1"])
    assert reps.lookup([one, two, three]) == {one: "d1", two: "d2"}


def test_random_hashes_match_a_plain_dict():
    rng = random.Random(5)
    plain: dict[str, str] = {}
    reps = RunRepresentatives()
    for chunk in range(5):
        hashes = [f"{rng.getrandbits(8):02x}{'0' * 14}{rng.getrandbits(64):016x}" for _ in range(50)]
        fresh = list(dict.fromkeys(h for h in hashes if h not in plain))
        ids = [f"c{chunk}-{i}" for i in range(len(fresh))]
        reps.add(fresh, ids)
        plain.update(zip(fresh, ids, strict=True))
    asked = list(plain)[::3] + [f"{i:032x}" for i in range(20)]
    assert reps.lookup(asked) == {h: plain[h] for h in asked if h in plain}
