"""Opening the warehouse: migrations, views, read-only access, the write lock.

DuckDB allows one writing process per file. Writers open the file only for
the short load at the end of a run (everything is prepared before), and wait
with bounded retries when another process holds it, saying so on stderr.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import duckdb

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_LOCK_HOLDER = re.compile(r"held in (.+?) \(PID (\d+)\)")
# Defaults: 30 attempts 1 s apart. A sift load holds the lock for seconds, so
# this waits out another run's load; SIFT_LOCK_RETRIES / SIFT_LOCK_WAIT_S
# override it for callers that cannot pass parameters.
LOCK_RETRIES = 30
LOCK_WAIT_S = 1.0

WaitCallback = Callable[[Path, int, int, float, str], None]


class WarehouseError(RuntimeError):
    """The warehouse cannot be used; the message says what to do."""


class WarehouseLocked(WarehouseError):
    """Another process still holds the file's write lock after the retries."""


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
    versions = [m[0] for m in out]
    if len(set(versions)) != len(versions):
        dupes = sorted({v for v in versions if versions.count(v) > 1})
        raise WarehouseError(f"two migration files share a number ({dupes}): renumber the newer one")
    return out


def migration_checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


def _is_lock_error(err: duckdb.Error) -> bool:
    return "lock" in str(err).lower()


def lock_holder(err: duckdb.Error | str) -> str:
    """'program (PID n)' from DuckDB's lock error, or a generic phrase."""
    match = _LOCK_HOLDER.search(str(err))
    return f"{Path(match.group(1)).name} (PID {match.group(2)})" if match else "another process"


def _env_number(name: str, default: float, kind: type) -> float:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = kind(value)
    except ValueError:
        number = -1
    if number < 0:
        raise WarehouseError(f"{name}={value!r} is not a non-negative {kind.__name__}: fix or unset it")
    return number


def _say_waiting(path: Path, attempt: int, retries: int, wait_s: float, holder: str) -> None:
    if attempt == 1:  # once per open: the give-up message says the rest
        print(
            f"sift: {path} is locked by {holder}; waiting for it (up to {retries} retries, {wait_s:g} s apart)",
            file=sys.stderr,
            flush=True,
        )


# DuckDB's own default is 80 % of RAM, and it holds a transaction's new rows
# in memory up to that: landing 100k documents peaked at 3.0 GB. With a limit
# it spills to `<db>.tmp` instead (measured: 580 MB at 500MB, same time). A
# 100k ingest's whole process tree peaked at 2.96 GB with 1GB, 2.42 GB with
# 512MB (332 s against 313 s, within this machine's spread between runs).
# Not lower: a 1M-document run's load failed at 512MB (DuckDB out of memory
# while upserting the learned-chrome counts into their primary key, 2026-12-02),
# and 256MB took a 20k ingest's flow peak from 1,156-1,211 MB only to
# 984-1,208 (noisy: it depends on how many batches are in memory at once).
MEMORY_LIMIT = "512MB"
# The flow's pair finding reads with less: its band join held up to its limit
# on top of the chunks in memory, which made the flow's peak. Measured alone on
# a 1M run's staging (350k documents staged, one chunk's 672k band rows): peak
# RSS 642 MB at 512MB, 412 MB at 256MB, the same 5.8 CPU-s and the same pairs
# (it spills 0.65 GB to `<db>.tmp` instead).
PAIRS_MEMORY_LIMIT = "256MB"
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


# Checkpoints compress with zstd instead of trying every method on every
# column: DuckDB's analysis of long text columns was most of a load's commit
# (measured, 20k documents: clean.documents checkpoint 4.5 s -> 1.5 s, and
# 48 -> 43 MB). Columns zstd cannot compress (numbers) keep the default choice.
STRING_COMPRESSION = "zstd"


def memory_limit(default: str = MEMORY_LIMIT) -> str:
    """SIFT_DUCKDB_MEMORY_LIMIT when set (for every connection), else `default`."""
    value = os.environ.get("SIFT_DUCKDB_MEMORY_LIMIT", default).strip()
    if not _MEMORY.match(value):
        raise WarehouseError(
            f"SIFT_DUCKDB_MEMORY_LIMIT={value!r} is not a size DuckDB understands: use e.g. 1GB or 512MB, or unset it"
        )
    return value


def connect(
    path: str | Path,
    read_only: bool = False,
    *,
    retries: int | None = None,
    wait_s: float | None = None,
    on_wait: WaitCallback | None = _say_waiting,
    memory: str = MEMORY_LIMIT,
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (bounded) while another process holds the lock.

    `retries` extra attempts `wait_s` apart (defaults: SIFT_LOCK_RETRIES,
    SIFT_LOCK_WAIT_S, else LOCK_RETRIES, LOCK_WAIT_S); `on_wait(path, attempt,
    retries, wait_s, holder)` is told before each wait. Gives up with a
    WarehouseError naming the process that holds the lock. `memory` is DuckDB's
    limit unless SIFT_DUCKDB_MEMORY_LIMIT is set.
    """
    path = Path(path)
    retries = int(_env_number("SIFT_LOCK_RETRIES", LOCK_RETRIES, int)) if retries is None else retries
    wait_s = _env_number("SIFT_LOCK_WAIT_S", LOCK_WAIT_S, float) if wait_s is None else wait_s
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `sift ingest PATH --db {path}` first")
    config = {"memory_limit": memory_limit(memory), "force_compression": STRING_COMPRESSION}
    started = time.monotonic()
    for attempt in range(retries + 1):
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as err:
            if not _is_lock_error(err):
                raise WarehouseError(f"cannot open {path}: {err}") from err
            holder = lock_holder(err)
            if attempt == retries:
                waited = time.monotonic() - started
                raise WarehouseLocked(
                    f"cannot open {path}: it is still locked by {holder} after {attempt + 1} attempts "
                    f"over {waited:.1f} s. DuckDB allows one writer per file: wait for that process to finish "
                    "(another `sift ingest`, or a DuckDB session on the file) and retry; nothing was written "
                    "by this attempt. Set SIFT_LOCK_RETRIES / SIFT_LOCK_WAIT_S to wait longer."
                ) from err
            if on_wait is not None:
                on_wait(path, attempt + 1, retries, wait_s, holder)
            time.sleep(wait_s)
    raise WarehouseError(f"cannot open {path}")  # unreachable: the loop returns or raises


def _has_migrations_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_migrations'"
        ).fetchone()[0]
    )


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration (0 for an empty file); works read-only."""
    if not _has_migrations_table(con):
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM main.schema_migrations").fetchone()[0])


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of migrations this code has and the file lacks; works read-only."""
    done = set()
    if _has_migrations_table(con):
        done = {r[0] for r in con.execute("SELECT version FROM main.schema_migrations").fetchall()}
    return [name for version, name, _sql in migrations() if version not in done]


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS main.schema_migrations ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    # files made before checksums were recorded gain the column in place
    con.execute("ALTER TABLE main.schema_migrations ADD COLUMN IF NOT EXISTS checksum VARCHAR")
    return {row[0] for row in con.execute("SELECT version FROM main.schema_migrations").fetchall()}


def _verify_applied(con: duckdb.DuckDBPyConnection, known: list[tuple[int, str, str]]) -> None:
    """Refuse a file whose applied migrations this code does not have or has edited."""
    by_version = {v: (name, sql) for v, name, sql in known}
    rows = con.execute("SELECT version, name, checksum FROM main.schema_migrations ORDER BY version").fetchall()
    for version, name, checksum in rows:
        if version not in by_version:
            raise WarehouseError(
                f"this warehouse has migration {name}, which this version of sift does not know: "
                "it was written by a newer sift. Use that version (or a newer one) to open it."
            )
        expected = migration_checksum(by_version[version][1])
        if checksum is None:  # applied before checksums were recorded: trust what is there now
            con.execute("UPDATE main.schema_migrations SET checksum = ? WHERE version = ?", [expected, version])
        elif checksum != expected:
            raise WarehouseError(
                f"migration {by_version[version][0]} was edited after this warehouse applied it. "
                "Applied migrations are immutable: restore the file and put the change in a new migration."
            )


def migrate(con: duckdb.DuckDBPyConnection, *, upto: int | None = None, views: bool = True) -> list[str]:
    """Apply pending migrations (up to `upto`), each in its own transaction with
    its schema_migrations row; then re-create the views in one transaction."""
    known = migrations()
    done = applied_versions(con)
    _verify_applied(con, known)
    applied = []
    for version, name, sql in known:
        if version in done or (upto is not None and version > upto):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO main.schema_migrations (version, name, applied_at, checksum) "
                "VALUES (?, ?, now()::TIMESTAMP, ?)",
                [version, name, migration_checksum(sql)],
            )
            con.execute("COMMIT")
        except duckdb.Error as err:
            con.execute("ROLLBACK")
            raise WarehouseError(f"migration {name} failed and was rolled back: {err}") from err
        applied.append(name)
    if views:
        refresh_views(con)
    return applied


def refresh_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view with its comments; all or nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        for _name, sql in _sql_files("views"):
            con.execute(sql)
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise


def open_warehouse(path: str | Path, **lock: object) -> duckdb.DuckDBPyConnection:
    """A writable, migrated connection. Close it promptly: it holds the lock.

    `lock` passes retries / wait_s / on_wait through to connect()."""
    con = connect(path, **lock)
    try:
        migrate(con)
    except BaseException:
        con.close()
        raise
    return con
