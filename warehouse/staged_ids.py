"""Where each staged document is (its staged part and row), found without a scan.

Finding staged documents by id was a DuckDB scan of every staged part's ids,
so its cost grew with the run: ~0.25 CPU-s a lookup once 1M documents are
staged (200 parts of 5,000), asked once a chunk (which of its documents are
already staged) and once a verified block of the run's own pairs (where the
candidates' texts are). The ids are kept here instead, as 128-bit hashes
(dedup.sorted_keys: 24 bytes a document), each found as its part and row.
Two ids share a hash with odds of ~1e-27 in a run of 1M, as for the run's
text hashes (dedup.run_copies).
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b

import numpy as np

from dedup.sorted_keys import SortedKeys


def _halves(doc_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    digests = b"".join(blake2b(x.encode(), digest_size=16).digest() for x in doc_ids)
    raw = np.frombuffer(digests, dtype="<u8").reshape(-1, 2)
    return raw[:, 0].copy(), raw[:, 1].copy()


class StagedIds:
    def __init__(self) -> None:
        self._keys = SortedKeys()  # a batch is a part
        self._parts: list[str] = []

    def add(self, part: str, doc_ids: Sequence[str]) -> None:
        """One staged documents part's ids, in its row order."""
        if not doc_ids:
            return
        self._parts.append(part)
        self._keys.add(*_halves(doc_ids))

    def locate(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """doc id -> (its part, its row there), for those of `doc_ids` that are staged."""
        if not doc_ids or not self._parts:
            return {}
        found: dict[str, tuple[str, int]] = {}
        for q, part, row in self._keys.find(*_halves(doc_ids)):
            found[doc_ids[q]] = (self._parts[part], row)
        return found
