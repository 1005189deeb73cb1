"""warehouse.staged_ids: staged documents located by id, in memory."""

import numpy as np

from warehouse import staged_ids
from warehouse.staged_ids import StagedIds


def test_locates_each_staged_id_at_its_part_and_row() -> None:
    index = StagedIds()
    index.add("p1.parquet", ["b", "a", "c"])
    index.add("p2.parquet", ["doc-é", "x y"])  # any string, not only our hex ids
    index.add("p3.parquet", [])
    found = index.locate(["a", "x y", "missing", "c", "doc-é"])
    p1, p2 = "p1.parquet", "p2.parquet"
    assert found == {"a": (p1, 1), "c": (p1, 2), "doc-é": (p2, 0), "x y": (p2, 1)}
    assert index.locate([]) == {}
    assert StagedIds().locate(["a"]) == {}


def test_ids_sharing_a_high_half_are_told_apart_by_the_low(monkeypatch) -> None:
    # every id the same high half: only the low half tells them apart
    def halves(ids):
        return np.zeros(len(ids), np.uint64), np.array([ord(x[0]) for x in ids], np.uint64)

    monkeypatch.setattr(staged_ids, "_halves", halves)
    index = StagedIds()
    index.add("p1.parquet", ["a", "b"])
    index.add("p2.parquet", ["c"])
    assert index.locate(["c", "z", "b"]) == {"c": ("p2.parquet", 0), "b": ("p1.parquet", 1)}
