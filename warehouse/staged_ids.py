"""Where each staged document is (its staged part and row), found without a scan.

Finding staged documents by id was a DuckDB scan of every staged part's ids,
so its cost grew with the run: ~0.25 CPU-s a lookup once 1M documents are
staged (200 parts of 5,000), asked once a chunk (which of its documents are
already staged) and once a verified block of the run's own pairs (where the
candidates' texts are). The ids are kept here instead, as 128-bit hashes in
one sorted array (two uint64 halves) beside each one's part and row: 22 bytes
a document. Two ids share a hash with odds of ~1e-27 in a run of 1M, as for
the run's text hashes (dedup.run_copies).
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b

import numpy as np


def _halves(doc_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    digests = b"".join(blake2b(x.encode(), digest_size=16).digest() for x in doc_ids)
    raw = np.frombuffer(digests, dtype="<u8").reshape(-1, 2)
    return raw[:, 0].copy(), raw[:, 1].copy()


class StagedIds:
    def __init__(self) -> None:
        self._parts: list[str] = []
        # sorted by (high, low); a part's ids are merged in as it is added (a
        # copy of the arrays: ~3 ms at 1M, against a search per part per lookup)
        self._high = np.zeros(0, np.uint64)
        self._low = np.zeros(0, np.uint64)
        self._part = np.zeros(0, np.int32)
        self._row = np.zeros(0, np.int32)

    def add(self, part: str, doc_ids: Sequence[str]) -> None:
        """One staged documents part's ids, in its row order."""
        if not doc_ids:
            return
        high, low = _halves(doc_ids)
        order = np.lexsort((low, high))
        high, low = high[order], low[order]
        at = np.searchsorted(self._high, high)  # equal highs: order among them is settled by lookups
        self._high = np.insert(self._high, at, high)
        self._low = np.insert(self._low, at, low)
        self._part = np.insert(self._part, at, np.int32(len(self._parts)))
        self._row = np.insert(self._row, at, order.astype(np.int32))
        self._parts.append(part)

    def locate(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """doc id -> (its part, its row there), for those of `doc_ids` that are staged."""
        if not doc_ids or not len(self._high):
            return {}
        high, low = _halves(doc_ids)
        start = np.searchsorted(self._high, high, side="left")
        stop = np.searchsorted(self._high, high, side="right")
        found: dict[str, tuple[str, int]] = {}
        for q in np.flatnonzero(stop > start).tolist():
            # more than one row only when two ids share a high half (~3e-8 in a 1M run)
            for i in range(int(start[q]), int(stop[q])):
                if self._low[i] == low[q]:
                    found[doc_ids[q]] = (self._parts[self._part[i]], int(self._row[i]))
        return found
