"""Per-source line statistics for the learned_chrome rule: read and upsert.

The flow uses two plain functions around cleaning:
(a) before cleaning a batch, on a read-only connection,
    `load_source_stats(con, sources)` gives a `SourceStats` per source (only
    lines already seen in at least LOAD_MIN_LINE_DOCS documents are loaded:
    the table is mostly lines seen once, and those cannot reach the rule's
    threshold of cleaners.learned_chrome.MIN_LINE_DOCS in one batch);
(b) in the run's load transaction, `upsert_source_stats(con, counts, run_id,
    now)` adds the counts of the documents that run landed (count only newly
    landed documents, or reruns would count them twice).
Both send their keys and rows as Arrow tables: one registered relation and
one statement per table, not a statement per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from cleaners.learned_chrome import MIN_LINE_DOCS, SourceLineCounts, SourceStats

# Lines seen in fewer documents than this are not loaded (see module doc);
# it must stay well below the rule's own threshold.
LOAD_MIN_LINE_DOCS = min(2, MIN_LINE_DOCS)


def load_source_stats(con: duckdb.DuckDBPyConnection, sources: Sequence[str]) -> dict[str, SourceStats]:
    """Stats for each of `sources` that has any (others are simply absent)."""
    wanted = sorted(set(sources))
    if not wanted:
        return {}
    con.register("q_sources", pa.table({"source": pa.array(wanted, pa.string())}))
    try:
        docs = dict(
            con.execute(
                "SELECT c.source, c.n_docs FROM clean.source_doc_counts c JOIN q_sources USING (source)"
            ).fetchall()
        )
        lines = con.execute(
            "SELECT s.source, s.line_hash, s.n_docs FROM clean.source_line_stats s JOIN q_sources USING (source) "
            "WHERE s.n_docs >= ?",
            [LOAD_MIN_LINE_DOCS],
        ).fetchall()
    finally:
        con.unregister("q_sources")
    by_source: dict[str, dict[str, int]] = {}
    for source, h, n in lines:
        by_source.setdefault(source, {})[h] = n
    return {source: SourceStats(n_docs=n, line_docs=by_source.get(source, {})) for source, n in docs.items()}


def _counts_tables(counts: SourceLineCounts) -> tuple[pa.Table, pa.Table]:
    sources, hashes, n_docs, samples = [], [], [], []
    for source, per_line in counts.line_docs.items():
        for h, n in per_line.items():
            sources.append(source)
            hashes.append(h)
            n_docs.append(n)
            samples.append(counts.samples[(source, h)])
    lines = pa.table(
        {
            "source": pa.array(sources, pa.string()),
            "line_hash": pa.array(hashes, pa.string()),
            "n_docs": pa.array(n_docs, pa.int32()),
            "sample_text": pa.array(samples, pa.string()),
        }
    )
    docs = pa.table(
        {
            "source": pa.array(list(counts.n_docs), pa.string()),
            "n_docs": pa.array(list(counts.n_docs.values()), pa.int32()),
        }
    )
    return lines, docs


def upsert_source_stats(
    con: duckdb.DuckDBPyConnection, counts: SourceLineCounts, run_id: str, now: datetime
) -> tuple[int, int]:
    """Add `counts` to the stored statistics; returns (line rows, source rows) touched.

    Runs inside the caller's transaction (it opens none), so the counts land
    exactly when the documents they describe do.
    """
    lines, docs = _counts_tables(counts)
    if docs.num_rows == 0:
        return 0, 0
    con.register("stage_line_stats", lines)
    con.register("stage_doc_counts", docs)
    try:
        con.execute(
            """
            INSERT INTO clean.source_line_stats AS t
                (source, line_hash, n_docs, sample_text, first_run_id, last_run_id, updated_at)
            SELECT source, line_hash, n_docs, sample_text, $run, $run, $now FROM stage_line_stats
            ON CONFLICT (source, line_hash) DO UPDATE SET
                n_docs = t.n_docs + excluded.n_docs, last_run_id = excluded.last_run_id,
                updated_at = excluded.updated_at
            """,
            {"run": run_id, "now": now},
        )
        con.execute(
            """
            INSERT INTO clean.source_doc_counts AS t (source, n_docs, last_run_id, updated_at)
            SELECT source, n_docs, $run, $now FROM stage_doc_counts
            ON CONFLICT (source) DO UPDATE SET
                n_docs = t.n_docs + excluded.n_docs, last_run_id = excluded.last_run_id,
                updated_at = excluded.updated_at
            """,
            {"run": run_id, "now": now},
        )
    finally:
        con.unregister("stage_line_stats")
        con.unregister("stage_doc_counts")
    return lines.num_rows, docs.num_rows
