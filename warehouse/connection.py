"""Opening the warehouse: migrations, views, read-only access, the write lock.

DuckDB allows one writing process per file. Writers open the file only for
the short load at the end of a run (everything is prepared before), and wait
with bounded retries when another process holds it.
"""

from __future__ import annotations

import re
import time
from importlib import resources
from pathlib import Path

import duckdb

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
LOCK_RETRIES = 30
LOCK_WAIT_S = 1.0


class WarehouseError(RuntimeError):
    """The warehouse cannot be used; the message says what to do."""


def _sql_files(folder: str) -> list[tuple[str, str]]:
    root = resources.files("warehouse") / folder
    return sorted((f.name, f.read_text(encoding="utf-8")) for f in root.iterdir() if f.name.endswith(".sql"))


def migrations() -> list[tuple[int, str, str]]:
    out = []
    for name, sql in _sql_files("migrations"):
        match = _MIGRATION_NAME.match(name)
        if not match:
            raise WarehouseError(f"migration file {name!r} must be named NNNN_description.sql")
        out.append((int(match.group(1)), name, sql))
    return out


def _is_lock_error(err: duckdb.Error) -> bool:
    return "lock" in str(err).lower()


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (bounded) while another process holds the lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `sift ingest PATH --db {path}` first")
    for attempt in range(LOCK_RETRIES + 1):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as err:
            if not _is_lock_error(err) or attempt == LOCK_RETRIES:
                raise WarehouseError(
                    f"cannot open {path}: {err}. Another process holds the warehouse; "
                    "wait for it to finish (sift runs queue behind each other) and retry."
                ) from err
            time.sleep(LOCK_WAIT_S)
    raise WarehouseError(f"cannot open {path}")  # unreachable: the loop returns or raises


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS main.schema_migrations ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    return {row[0] for row in con.execute("SELECT version FROM main.schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, each in its own transaction; refresh views."""
    done = applied_versions(con)
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO main.schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, name])
            con.execute("COMMIT")
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    for _name, sql in _sql_files("views"):
        con.execute(sql)
    return applied


def open_warehouse(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A writable, migrated connection. Close it promptly: it holds the lock."""
    con = connect(path)
    migrate(con)
    return con
