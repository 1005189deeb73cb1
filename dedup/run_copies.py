"""The normalised hash of every document a run indexed, for its later chunks' exact copies.

A chunk's exact copies of earlier chunks were found by a DuckDB join of its
hashes with every staged document and band part: work that grew with the
square of the run (a py-spy profile of a 1M run at ~560k staged documents:
30 % of the flow's busy main thread). The run's representatives (one per
hash: later copies are not indexed) are kept here instead, as the 128-bit
hashes in two uint64 arrays per chunk, each chunk's sorted, and their ids as
Arrow strings: ~50 MB at 1M documents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def _halves(norm_hashes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The hex digests (dedup.normalize.joined_hash: 32 hex digits) as (high, low) uint64."""
    raw = np.frombuffer(bytes.fromhex("".join(norm_hashes)), dtype=">u8").reshape(-1, 2)
    return raw[:, 0].astype(np.uint64), raw[:, 1].astype(np.uint64)


class RunRepresentatives:
    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, np.ndarray, pa.Array]] = []  # (high, low, ids) by high

    def add(self, norm_hashes: Sequence[str], doc_ids: Sequence[str]) -> None:
        """One chunk's indexed documents (each the first of its hash in the run)."""
        if not norm_hashes:
            return
        high, low = _halves(norm_hashes)
        order = np.argsort(high, kind="stable")
        self._chunks.append((high[order], low[order], pa.array(doc_ids, pa.string()).take(pa.array(order))))

    def lookup(self, norm_hashes: Sequence[str]) -> dict[str, str]:
        """norm hash -> the run's representative, for those of `norm_hashes` it has."""
        if not norm_hashes or not self._chunks:
            return {}
        high, low = _halves(norm_hashes)
        found: dict[str, str] = {}
        for c_high, c_low, c_ids in self._chunks:
            start = np.searchsorted(c_high, high, side="left")
            stop = np.searchsorted(c_high, high, side="right")
            for q in np.flatnonzero(stop > start).tolist():
                # equal high halves: the low half decides (more than one only on a 64-bit collision)
                for row in range(int(start[q]), int(stop[q])):
                    if c_low[row] == low[q]:
                        doc_id = c_ids[row].as_py()
                        previous = found.get(norm_hashes[q])
                        found[norm_hashes[q]] = doc_id if previous is None else min(previous, doc_id)
        return found
