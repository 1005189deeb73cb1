"""Integrity of a landed warehouse, and checksums to compare two states of it.

`check_integrity` lists problems in plain words (empty list = consistent):
orphan rows between the layers, duplicate keys in tables whose keys are kept
by the load's anti-joins rather than by constraints, counts that disagree,
clusters that contradict their members, and runs left in 'running'. Crash
tests run it after an injected failure; anyone can run it on a real file.

`table_checksums` fingerprints every row of every table, so a rerun that
should change nothing can be shown to change nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence

import duckdb

from warehouse.schema import relations

# Columns that name a document, wherever they appear (new tables included).
_DOC_REFS = ("doc_id", "doc_id_a", "doc_id_b", "canonical_doc_id")
# Columns that name a run.
_RUN_REFS = ("run_id", "first_run_id", "updated_run_id")
_LAYERS = ("raw", "clean", "dedup", "ops")

# Natural keys of tables that have no primary key (the load keeps them unique).
KEYS = {
    "raw.inputs": ("raw_id",),
    "clean.documents": ("doc_id",),
    "clean.removed_lines": ("doc_id", "line_no"),
    "clean.paragraphs": ("doc_id", "para_no"),
    "dedup.bands": ("doc_id", "para_no", "band"),
    "dedup.pairs": ("doc_id_a", "doc_id_b"),
    "dedup.paragraph_map": ("doc_id_a", "para_no_a", "doc_id_b"),
    "dedup.clusters": ("cluster_id",),
    "dedup.cluster_members": ("doc_id",),
    "ops.runs": ("run_id",),
    "ops.quarantine": ("quarantine_id",),
}

# (description, query returning offending keys); each row is one problem.
_CHECKS = (
    (
        "document without its raw input",
        "SELECT d.doc_id FROM clean.documents d ANTI JOIN raw.inputs r ON r.raw_id = d.doc_id",
    ),
    (
        "raw input without a document",
        "SELECT r.raw_id FROM raw.inputs r ANTI JOIN clean.documents d ON d.doc_id = r.raw_id",
    ),
    (
        "document whose n_removed_lines differs from its clean.removed_lines rows",
        """SELECT d.doc_id || ': ' || d.n_removed_lines || ' vs ' || coalesce(r.n, 0)
           FROM clean.documents d
           LEFT JOIN (SELECT doc_id, count(*) AS n FROM clean.removed_lines GROUP BY doc_id) r USING (doc_id)
           WHERE d.n_removed_lines <> coalesce(r.n, 0)""",
    ),
    (
        "pair not ordered doc_id_a < doc_id_b or of unknown kind",
        """SELECT doc_id_a || ' ' || doc_id_b FROM dedup.pairs
           WHERE doc_id_a >= doc_id_b OR kind NOT IN ('exact', 'near', 'overlap')""",
    ),
    (
        "paragraph match without its pair in dedup.pairs",
        """SELECT DISTINCT m.doc_id_a || ' ' || m.doc_id_b FROM dedup.paragraph_map m
           ANTI JOIN dedup.pairs p ON p.doc_id_a = m.doc_id_a AND p.doc_id_b = m.doc_id_b""",
    ),
    (
        "cluster member whose cluster is missing",
        "SELECT m.doc_id FROM dedup.cluster_members m ANTI JOIN dedup.clusters c USING (cluster_id)",
    ),
    (
        "cluster whose canonical document is not one of its members",
        """SELECT c.cluster_id FROM dedup.clusters c ANTI JOIN dedup.cluster_members m
           ON m.cluster_id = c.cluster_id AND m.doc_id = c.canonical_doc_id""",
    ),
    (
        "cluster whose size differs from its member count (or is below 2)",
        """SELECT c.cluster_id || ': size ' || c.size || ', members ' || coalesce(m.n, 0)
           FROM dedup.clusters c
           LEFT JOIN (SELECT cluster_id, count(*) AS n FROM dedup.cluster_members GROUP BY cluster_id) m
           USING (cluster_id)
           WHERE c.size <> coalesce(m.n, 0) OR c.size < 2""",
    ),
    (
        "document landed by a run that did not succeed",
        """SELECT d.run_id || ' (' || coalesce(r.status, 'no such run') || ')'
           FROM (SELECT DISTINCT run_id FROM clean.documents) d LEFT JOIN ops.runs r USING (run_id)
           WHERE r.status IS DISTINCT FROM 'succeeded'""",
    ),
    (
        "succeeded run whose n_documents differs from the documents it landed",
        """SELECT r.run_id || ': n_documents ' || r.n_documents || ', landed ' || coalesce(d.n, 0)
           FROM ops.runs r
           LEFT JOIN (SELECT run_id, count(*) AS n FROM clean.documents GROUP BY run_id) d USING (run_id)
           WHERE r.status = 'succeeded' AND r.n_documents IS DISTINCT FROM coalesce(d.n, 0)""",
    ),
    (
        "succeeded run breaking n_inputs = n_documents + n_quarantined + n_skipped",
        """SELECT run_id || ': ' || n_inputs || ' <> ' || n_documents || ' + ' || n_quarantined || ' + ' || n_skipped
           FROM ops.runs WHERE status = 'succeeded'
           AND n_inputs IS DISTINCT FROM n_documents + n_quarantined + n_skipped""",
    ),
    (
        "finished run without finished_at, or running run with one",
        """SELECT run_id || ' (' || status || ')' FROM ops.runs
           WHERE (status = 'running') = (finished_at IS NOT NULL)""",
    ),
)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    return {r.qualified: {c.name for c in r.columns} for r in relations(con) if r.kind == "table"}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, limit: int = 5) -> tuple[int, list[str]]:
    rows = con.execute(f"SELECT count(*) OVER (), x.* FROM ({sql}) x LIMIT {limit}").fetchall()
    return (rows[0][0] if rows else 0), [str(r[1]) for r in rows]


def _report(problems: list[str], what: str, count: int, examples: list[str]) -> None:
    if count:
        shown = ", ".join(examples) + (", ..." if count > len(examples) else "")
        problems.append(f"{count} {what}: {shown}")


def _orphans(con: duckdb.DuckDBPyConnection, tables: dict[str, set[str]], problems: list[str]) -> None:
    """Any document or run reference, in any layer table, must resolve."""
    for table, cols in sorted(tables.items()):
        if table.split(".")[0] not in _LAYERS:
            continue
        for col in sorted(cols):
            if col in _DOC_REFS and table != "clean.documents":
                sql = (
                    f"SELECT DISTINCT t.{col} FROM {table} t "
                    f"ANTI JOIN clean.documents d ON d.doc_id = t.{col} WHERE t.{col} IS NOT NULL"
                )
                _report(problems, f"{table}.{col} pointing to a missing document", *_rows(con, sql))
            if col in _RUN_REFS and table != "ops.runs":
                sql = (
                    f"SELECT DISTINCT t.{col} FROM {table} t "
                    f"ANTI JOIN ops.runs r ON r.run_id = t.{col} WHERE t.{col} IS NOT NULL"
                )
                _report(problems, f"{table}.{col} pointing to a missing run", *_rows(con, sql))


def _duplicates(con: duckdb.DuckDBPyConnection, tables: dict[str, set[str]], problems: list[str]) -> None:
    for table, key in KEYS.items():
        if table in tables and set(key) <= tables[table]:
            cols = ", ".join(key)
            sql = f"SELECT concat_ws(' ', {cols}) FROM {table} GROUP BY {cols} HAVING count(*) > 1"
            _report(problems, f"duplicate ({cols}) in {table}", *_rows(con, sql))


def _stale_runs(con: duckdb.DuckDBPyConnection, live_run_ids: Collection[str], problems: list[str]) -> None:
    sql = """
        SELECT run_id FROM ops.runs
        WHERE status = 'running' AND NOT list_contains(?, run_id)
          AND started_at < (SELECT max(finished_at) FROM ops.runs WHERE finished_at IS NOT NULL)
    """
    rows = [r[0] for r in con.execute(sql, [sorted(live_run_ids)]).fetchall()]
    _report(problems, "run(s) still 'running' although a later run has finished", len(rows), rows[:5])


def check_integrity(con: duckdb.DuckDBPyConnection, live_run_ids: Collection[str] = ()) -> list[str]:
    """Problems found in the warehouse, one line each; empty when consistent.

    `live_run_ids`: runs known to be in progress, not reported as stale.
    """
    tables = _columns(con)
    problems: list[str] = []
    _orphans(con, tables, problems)
    _duplicates(con, tables, problems)
    for what, sql in _CHECKS:
        _report(problems, what, *_rows(con, sql))
    _stale_runs(con, live_run_ids, problems)
    return problems


def table_checksum(
    con: duckdb.DuckDBPyConnection, table: str, where: str = "true", columns: Sequence[str] | None = None
) -> str:
    """sha256 over the row count and the sum of full-row hashes: independent of
    the physical row order, changed by any change to any value of any row.

    `columns` restricts the hash to some columns (e.g. those an older schema had)."""
    cols = list(columns or [c.name for r in relations(con) if r.qualified == table for c in r.columns])
    if not cols:
        raise LookupError(f"no table {table}")
    quoted = ", ".join('"' + c + '"' for c in cols)
    row_hash = f"hash({quoted})"
    n, total = con.execute(
        f"SELECT count(*), coalesce(sum({row_hash}::HUGEINT), 0)::VARCHAR FROM {table} WHERE {where}"
    ).fetchone()
    return hashlib.sha256(f"{table}|{n}|{total}".encode()).hexdigest()


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Checksum of every persistent table, keyed by schema.table."""
    return {
        r.qualified: table_checksum(con, r.qualified, columns=[c.name for c in r.columns])
        for r in relations(con)
        if r.kind == "table"
    }
