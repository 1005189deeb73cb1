"""Source state (`ops.source_files`): what the last successful run saw of each input file.

Incremental runs compare files against it (flows/sources.py decides); this
module only reads and writes the rows. The state is written in its own small
transaction right after the run's load commits, so a failed run leaves the
old state, and a run that dies between the two commits only makes the next
run re-read files, which lands nothing twice (ids are content hashes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

PRESENT = "present"
MISSING = "missing"


@dataclass(frozen=True, slots=True)
class FileState:
    """One row of ops.source_files (the columns a run compares or writes)."""

    path: str
    root: str
    size: int
    mtime_ns: int
    sha256: str
    line_offset: int | None = None  # JSONL only: byte offset past the last complete line
    n_lines: int | None = None  # JSONL only: complete lines before line_offset
    prefix_sha256: str | None = None  # JSONL only: sha256 of the bytes before line_offset
    status: str = PRESENT
    last_change: str = "new"


@dataclass(frozen=True, slots=True)
class FileUpdate:
    """A row to write: the file's new state and whether this run read it."""

    state: FileState
    was_read: bool


def load_state(con: duckdb.DuckDBPyConnection, roots: Sequence[str]) -> dict[str, FileState]:
    """Rows a run over `roots` can meet: recorded under one of them, or below one by path."""
    if not roots:
        return {}
    prefixes = [r.rstrip("/") + "/" for r in roots]
    rows = con.execute(
        "SELECT path, root, size, mtime_ns, sha256, line_offset, n_lines, prefix_sha256, status, last_change "
        "FROM ops.source_files "
        "WHERE list_contains(?, root) OR list_contains(?, path) "
        "OR len(list_filter(?, lambda prefix: starts_with(path, prefix))) > 0",
        [list(roots), list(roots), prefixes],
    ).fetchall()
    return {r[0]: FileState(*r) for r in rows}


def record(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    now: datetime,
    updates: Sequence[FileUpdate],
    missing: Sequence[str],
) -> None:
    """Upsert changed files and mark missing ones, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        if updates:
            _upsert(con, run_id, now, updates)
        if missing:
            con.register("stage_missing", pa.table({"path": pa.array(list(missing), pa.string())}))
            con.execute(
                "UPDATE ops.source_files SET status = ?, missing_since = ?, missing_run_id = ?, updated_at = ? "
                "WHERE status = ? AND path IN (SELECT path FROM stage_missing)",
                [MISSING, now, run_id, now, PRESENT],
            )
            con.unregister("stage_missing")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _upsert(con: duckdb.DuckDBPyConnection, run_id: str, now: datetime, updates: Sequence[FileUpdate]) -> None:
    s = [u.state for u in updates]
    table = pa.table(
        {
            "path": pa.array([x.path for x in s], pa.string()),
            "root": pa.array([x.root for x in s], pa.string()),
            "size": pa.array([x.size for x in s], pa.int64()),
            "mtime_ns": pa.array([x.mtime_ns for x in s], pa.int64()),
            "sha256": pa.array([x.sha256 for x in s], pa.string()),
            "line_offset": pa.array([x.line_offset for x in s], pa.int64()),
            "n_lines": pa.array([x.n_lines for x in s], pa.int64()),
            "prefix_sha256": pa.array([x.prefix_sha256 for x in s], pa.string()),
            "last_change": pa.array([x.last_change for x in s], pa.string()),
            "was_read": pa.array([u.was_read for u in updates], pa.bool_()),
        }
    )
    con.register("stage_source_files", table)
    try:
        # A file read twice in one run (two overlapping roots) keeps one row.
        con.execute(
            """
            INSERT INTO ops.source_files
            SELECT DISTINCT ON (path) path, root, size, mtime_ns, sha256, line_offset, n_lines, prefix_sha256,
                   'present', last_change, $run_id, $run_id, NULL, NULL, $now
            FROM stage_source_files
            ON CONFLICT (path) DO UPDATE SET
                root = excluded.root, size = excluded.size, mtime_ns = excluded.mtime_ns,
                sha256 = excluded.sha256, line_offset = excluded.line_offset, n_lines = excluded.n_lines,
                prefix_sha256 = excluded.prefix_sha256, status = 'present', last_change = excluded.last_change,
                missing_since = NULL, missing_run_id = NULL, updated_at = excluded.updated_at
            """,
            {"run_id": run_id, "now": now},
        )
        # last_read_run_id moves only for files this run actually read.
        con.execute(
            "UPDATE ops.source_files SET last_read_run_id = $run_id "
            "WHERE path IN (SELECT path FROM stage_source_files WHERE was_read)",
            {"run_id": run_id},
        )
    finally:
        con.unregister("stage_source_files")
