"""The normalised hash of every document a run indexed, for its later chunks' exact copies.

A chunk's exact copies of earlier chunks were found by a DuckDB join of its
hashes with every staged document and band part: work that grew with the
square of the run (a py-spy profile of a 1M run at ~560k staged documents:
30 % of the flow's busy main thread). The run's representatives (one per
hash: later copies are not indexed) are kept here instead, as the 128-bit
hashes (dedup.sorted_keys) and their ids as Arrow strings: ~50 MB at 1M
documents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from dedup.sorted_keys import SortedKeys


def _halves(norm_hashes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The hex digests (dedup.normalize.joined_hash: 32 hex digits) as (high, low) uint64."""
    raw = np.frombuffer(bytes.fromhex("".join(norm_hashes)), dtype=">u8").reshape(-1, 2)
    return raw[:, 0].astype(np.uint64), raw[:, 1].astype(np.uint64)


class RunRepresentatives:
    def __init__(self) -> None:
        self._keys = SortedKeys()  # a batch is a chunk
        self._ids: list[pa.Array] = []

    def add(self, norm_hashes: Sequence[str], doc_ids: Sequence[str]) -> None:
        """One chunk's indexed documents (each the first of its hash in the run)."""
        if not norm_hashes:
            return
        self._ids.append(pa.array(doc_ids, pa.string()))
        self._keys.add(*_halves(norm_hashes))

    def lookup(self, norm_hashes: Sequence[str]) -> dict[str, str]:
        """norm hash -> the run's representative, for those of `norm_hashes` it has."""
        if not norm_hashes or not self._ids:
            return {}
        found: dict[str, str] = {}
        for q, chunk, row in self._keys.find(*_halves(norm_hashes)):
            doc_id = self._ids[chunk][row].as_py()
            previous = found.get(norm_hashes[q])
            found[norm_hashes[q]] = doc_id if previous is None else min(previous, doc_id)
        return found
