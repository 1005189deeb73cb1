"""The run's own pairs: one self-join of everything it staged, after its last chunk.

Each chunk's pairs with landed documents are found as it is staged
(steps.find_chunk_pairs); joining it with every chunk staged before it too
made pair finding grow with the square of a run's size (1M documents: 3,008
of 3,719 s). The run's band rows are kept partitioned (dedup.run_bands) and
joined once here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import starmap
from pathlib import Path

from dedup.bands import QUERY_SCHEMA, min_cover
from dedup.config import DedupConfig
from dedup.run_bands import run_matches
from dedup.stage import PairsResult, verify
from warehouse.connection import PAIRS_MEMORY_LIMIT, connect
from warehouse.load import RunInfo, stage_pairs
from warehouse.lookup import WarehouseIndex
from warehouse.staging import Staging

# Candidates verified at a time: their texts and prepared documents (~20 KB
# each) are what this step holds, in each worker verifying a block and here.
# A document in two blocks is prepared twice, but candidates come sorted:
# on the first 20k bench documents blocks of 1,000 took 3.4 CPU-s, of 5,000
# 3.6-4.0 (in this process, two runs each). In the 30k bench run the workers
# peaked at 829-851 MB (both) with blocks of 1,000, 782 with 500 and 750 with
# 250, which took the step from ~5 to 8.7 s: 500 costs nothing measurable.
VERIFY_BLOCK = 500
# (function, jobs) -> results in order, like itertools.starmap (the default: here)
Runner = Callable[[Callable, Iterable[tuple]], Iterable]


def find_run_pairs(db: str | Path, staging: Staging, run: RunInfo, cfg: DedupConfig, runner: Runner = starmap) -> int:
    """Near and overlap pairs among everything the run staged, from one
    self-join of its band rows (dedup.run_bands); staged like a chunk's.
    Verified VERIFY_BLOCK candidates at a time, so that the texts and
    prepared documents in memory stay bounded however large the run; the
    flow's `runner` verifies blocks in call workers, one per core
    (cleaners.worker_calls.ordered_calls), the same pairs in the same order.
    Returns the number of pairs."""
    candidates = sorted(run_matches(staging.run_bands, cfg, min_cover(cfg)))
    blocks = (candidates[i : i + VERIFY_BLOCK] for i in range(0, len(candidates), VERIFY_BLOCK))
    n_pairs = 0
    con = connect(db, read_only=True, memory=PAIRS_MEMORY_LIMIT)
    try:
        index = WarehouseIndex(con, staging)
        # texts are read here, a block at a time, as the runner asks for the next
        jobs = ((b, index.clean_texts(sorted({x for pair in b for x in pair})), {}, cfg) for b in blocks)
        for pairs, paragraph_map in runner(verify, jobs):
            stage_pairs(staging, run, PairsResult(tuple(pairs), tuple(paragraph_map), QUERY_SCHEMA.empty_table()))
            n_pairs += len(pairs)
    finally:
        con.close()
    return n_pairs
