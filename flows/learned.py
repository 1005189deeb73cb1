"""Learned chrome in a run: what the warehouse knows about each document's source.

Before a chunk is cleaned, the stored line statistics of its sources are
read (read-only) and each document carries its source's chrome lines to the
cleaning worker (`Document.source_stats`; the line rules read and clear it).
That keeps the workers' stage tuple fixed, so a pooled worker is reused
across runs, and sends a few hashes per document rather than every count.

Only landed statistics are used, never the counts of the run's own earlier
chunks: a document's cleaning then depends on the warehouse alone, not on
how the run was cut into chunks or on the order of its inputs. So a new
source's first run learns nothing until it lands; the next run (or `sift
reclean --all` for the documents already landed) applies what it learned.
The counts themselves land with the documents (warehouse.load).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cleaners.record import Document
from warehouse.connection import connect
from warehouse.source_stats import load_chrome_stats


def with_source_stats(docs: list[Document], db: str | Path) -> list[Document]:
    """`docs`, each with its source's learned chrome attached (if it has any)."""
    if not docs:
        return docs
    con = connect(db, read_only=True)
    try:
        stats = load_chrome_stats(con, [d.source for d in docs])
    finally:
        con.close()
    if not stats:
        return docs
    return [dataclasses.replace(d, source_stats=stats[d.source]) if d.source in stats else d for d in docs]
