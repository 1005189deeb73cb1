"""Per-source line statistics for the learned_chrome rule: read and upsert.

The ingest flow uses two plain functions around cleaning:
(a) before cleaning a chunk, on a read-only connection,
    `load_chrome_stats(con, sources)` gives, per source, a `SourceStats`
    holding only the lines that are chrome now (what a document carries to
    a cleaning worker);
(b) in the run's load transaction, `land_staged_counts` adds the counted
    lines (staged per document, warehouse.rows.counted_lines) of the
    documents that are new in that load only, so a rerun counts nothing
    twice and a failed load counts nothing.
`load_source_stats` (every line seen in at least LOAD_MIN_LINE_DOCS
documents: the table is mostly lines seen once, and those cannot reach the
rule's threshold of cleaners.learned_chrome.MIN_LINE_DOCS in one batch) and
`upsert_source_stats` (counts made in Python) are the same round trip for
callers that count themselves. Keys and rows go in as Arrow tables or
staged Parquet: one statement per table, not a statement per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from cleaners.learned_chrome import MIN_LINE_DOCS, MIN_LINE_SHARE, MIN_SOURCE_DOCS, SourceLineCounts, SourceStats

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


def load_chrome_stats(con: duckdb.DuckDBPyConnection, sources: Sequence[str]) -> dict[str, SourceStats]:
    """Per source with chrome, its document count and its chrome lines only
    (SourceStats.chrome_only of the stored counts; sources without are absent)."""
    wanted = sorted(set(sources))
    if not wanted:
        return {}
    con.register("q_sources", pa.table({"source": pa.array(wanted, pa.string())}))
    try:
        # a superset in SQL (the share's floor), the rule's own test in Python below.
        # The constant floor on its own lets DuckDB filter the line counts as it
        # scans them, before the join: nearly all are 1 (1M documents: 7.9M of
        # 8.2M rows), and the scan took 0.26-0.45 s a chunk, 0.08 with it
        rows = con.execute(
            "SELECT c.source, c.n_docs, s.line_hash, s.n_docs FROM clean.source_doc_counts c "
            "JOIN q_sources USING (source) JOIN clean.source_line_stats s USING (source) "
            "WHERE c.n_docs >= $min_source AND s.n_docs >= $min_line "
            "AND s.n_docs >= greatest($min_line, floor($share * c.n_docs))",
            {"min_source": MIN_SOURCE_DOCS, "min_line": MIN_LINE_DOCS, "share": MIN_LINE_SHARE},
        ).fetchall()
    finally:
        con.unregister("q_sources")
    totals: dict[str, int] = {}
    lines: dict[str, dict[str, int]] = {}
    for source, n_source, h, n in rows:
        totals[source] = n_source
        lines.setdefault(source, {})[h] = n
    stats = {source: SourceStats(totals[source], lines[source]).chrome_only() for source in totals}
    return {source: s for source, s in stats.items() if s.line_docs}


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
        return _upsert(con, "SELECT * FROM stage_line_stats", "SELECT * FROM stage_doc_counts", run_id, now)
    finally:
        con.unregister("stage_line_stats")
        con.unregister("stage_doc_counts")


def land_staged_counts(
    con: duckdb.DuckDBPyConnection,
    counted: str | None,
    documents: str,
    indexed: str | None,
    run_id: str,
    now: datetime,
) -> tuple[int, int]:
    """Add the staged counts of the documents in temp table `new_docs` (the
    documents this load inserts); returns (line rows, source rows) touched.

    `counted`, `documents` and `indexed` are scans of the staged counted_lines,
    documents and indexed_docs (read_parquet(...)); a document with no short line
    still counts towards its source's n_docs, an exact copy of another
    document does not count at all. Inside the load's transaction.
    """
    # Exact copies (documents dedup did not index: it indexes one per
    # normalised text) count once: a story a source republished five times is
    # not five pages whose short lines recur, and its title must not become chrome.
    # The run stages the ids it indexed: telling them by their staged band rows
    # read every band row of the run (1M documents: 134.7M rows, in a
    # statement that took 140 s of the load).
    if indexed is None:  # no new document was indexed: all are exact copies
        return 0, 0
    # a failure aborts the load's transaction, which takes the temp table with it
    con.execute(
        "CREATE OR REPLACE TEMP TABLE counted_docs AS SELECT doc_id FROM new_docs "
        f"WHERE doc_id IN (SELECT doc_id FROM {indexed})"
    )
    new = "doc_id IN (SELECT doc_id FROM counted_docs)"
    # max(): the same sample whatever the chunking or the scan order, and rather "Home" than "HOME"
    lines = (
        f"SELECT source, line_hash, count(*) AS n_docs, max(sample_text) AS sample_text FROM {counted} "
        f"WHERE {new} GROUP BY source, line_hash"
        if counted
        else None
    )
    docs = f"SELECT source, count(*) AS n_docs FROM {documents} WHERE {new} GROUP BY source"
    touched = _upsert(con, lines, docs, run_id, now)
    con.execute("DROP TABLE temp.counted_docs")
    return touched


def _upsert(
    con: duckdb.DuckDBPyConnection, lines: str | None, docs: str, run_id: str, now: datetime
) -> tuple[int, int]:
    """Add (source, line_hash, n_docs, sample_text) rows and (source, n_docs) rows to the stored counts."""
    n_lines = 0
    if lines is not None:
        n_lines = _add_line_counts(con, lines, run_id, now)
    n_docs = con.execute(
        f"""
        INSERT INTO clean.source_doc_counts AS t (source, n_docs, last_run_id, updated_at)
        SELECT source, n_docs, $run, $now FROM ({docs})
        ON CONFLICT (source) DO UPDATE SET
            n_docs = t.n_docs + excluded.n_docs, last_run_id = excluded.last_run_id,
            updated_at = excluded.updated_at
        """,
        {"run": run_id, "now": now},
    ).fetchall()[0][0]
    return int(n_lines), int(n_docs)


def _add_line_counts(con: duckdb.DuckDBPyConnection, lines: str, run_id: str, now: datetime) -> int:
    """Add the run's (source, line_hash, n_docs, sample_text) rows to clean.source_line_stats;
    returns the rows touched. One MERGE: lines already counted are updated, the
    rest inserted, from a single join with the stored counts. The table has no
    key index to upsert into (migration 0010), and an update joined with the
    run's counts followed by an insert of the lines not there yet scanned all
    of it twice (1M documents, 8.2M rows, 1k new: 0.49-0.65 s against 0.27)."""
    # a failure aborts the load's transaction, which takes the temp table with it
    con.execute(f"CREATE OR REPLACE TEMP TABLE new_line_counts AS {lines}")
    touched = con.execute(
        """
        MERGE INTO clean.source_line_stats AS t
        USING new_line_counts AS n ON t.source = n.source AND t.line_hash = n.line_hash
        WHEN MATCHED THEN UPDATE SET n_docs = t.n_docs + n.n_docs, last_run_id = $run, updated_at = $now
        WHEN NOT MATCHED THEN INSERT VALUES (n.source, n.line_hash, n.n_docs, n.sample_text, $run, $run, $now)
        """,
        {"run": run_id, "now": now},
    ).fetchall()[0][0]
    con.execute("DROP TABLE temp.new_line_counts")
    return int(touched)
