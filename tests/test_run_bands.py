"""The run-level self-join (dedup.run_bands) gives what new_new_matches gives for all rows at once."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.bands import min_cover
from dedup.config import DedupConfig
from dedup.new_pairs import new_new_matches
from dedup.run_bands import PARTITIONS, RunBands, run_matches
from tests.test_new_pairs import _random_rows, _table

CFG = DedupConfig()
COVER = min_cover(CFG)


def _spread(rows, rng: random.Random) -> list[tuple]:
    """The same buckets under 64-bit hashes of either sign, so they land in many partitions."""
    hashes: dict[int, int] = {}
    return [(*r[:3], hashes.setdefault(r[3], rng.randrange(-(2**63), 2**63)), *r[4:]) for r in rows]


def _in_chunks(rows, rng: random.Random, folder) -> RunBands:
    """Rows appended a few documents at a time, as chunks are staged."""
    by_doc: dict[str, list] = {}
    for r in rows:
        by_doc.setdefault(r[0], []).append(r)
    docs = list(by_doc)
    run = RunBands(folder)
    while docs:
        n = rng.randint(1, 5)
        run.append(_table([r for d in docs[:n] for r in by_doc[d]]))
        docs = docs[n:]
    return run


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n_docs=st.integers(1, 30), n_hashes=st.integers(1, 6))
def test_chunked_partitioned_rows_give_the_whole_tables_pairs(tmp_path_factory, seed, n_docs, n_hashes):
    rng = random.Random(seed)
    rows = _spread(_random_rows(rng, n_docs, n_hashes), rng)
    run = _in_chunks(rows, rng, tmp_path_factory.mktemp("run"))
    for need in (1, 2):
        cfg = DedupConfig(overlap_min_paragraphs=need)
        assert run_matches(run, cfg, COVER) == new_new_matches(_table(rows), cfg, COVER)


def test_a_pair_split_across_chunks_and_partitions_is_found(tmp_path):
    # b's three paragraphs match a's in three buckets whose hashes fall in
    # three partitions; a and b are staged in different chunks
    hashes = [PARTITIONS * 5 + 1, PARTITIONS * 7 + 2, -(PARTITIONS * 3) + 3]
    a = [("a", p, 0, h, 40, 130) for p, h in enumerate(hashes)]
    b = [("b", p + 2, 0, h, 40, 200) for p, h in enumerate(hashes)]
    run = RunBands(tmp_path)
    run.append(_table(b))
    run.append(_table(a))
    assert len(list(run.partitions())) == 3
    assert run_matches(run, CFG, COVER) == {("a", "b")}
    # three shared paragraphs are not the four asked for
    assert run_matches(run, DedupConfig(overlap_min_paragraphs=4), COVER) == set()


def test_an_empty_run_has_no_pairs(tmp_path):
    run = RunBands(tmp_path)
    run.append(_table([]))
    assert run_matches(run, CFG, COVER) == set()
