"""Exports of the `documents` view for downstream projects.

Layout (Hive-style, one file per language, run date and run):

    DIR/lang=id/run_date=2026-11-22/part-<run_id>.parquet   (or .jsonl)
    DIR/manifest.json

Every file holds full rows of the `documents` view, sorted by doc_id, so a
file is usable alone; the partition keys are repeated in the manifest. The
manifest is written last: a directory without one is an unfinished export.

Incremental loads: the manifest's `watermark_run_id` is the newest landed
run when the export was taken; pass it as `since` next time to get only the
documents landed after it. Runs are ordered by when they landed
(finished_at), not when they started, so a long run that started earlier but
landed later is not skipped. `cluster_id` and `is_canonical` are the state at
export time; a later run can change them for documents exported earlier.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import duckdb

from warehouse.connection import WarehouseError, pending_migrations, schema_version

FORMATS = {"parquet": ("parquet", "(FORMAT parquet, COMPRESSION zstd)"), "jsonl": ("jsonl", "(FORMAT json)")}
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
# Landed runs in landing order; `documents.run_id` always names a succeeded run.
_LANDED_RUNS = "SELECT run_id, finished_at FROM ops.runs WHERE status = 'succeeded' AND finished_at IS NOT NULL"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _watermark(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(f"SELECT run_id FROM ({_LANDED_RUNS}) ORDER BY finished_at DESC, run_id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _filters(
    con: duckdb.DuckDBPyConnection, since: str | None, langs: Sequence[str] | None, canonical_only: bool
) -> tuple[str, list]:
    """WHERE clause over documents `d` and its parameters."""
    where, params = ["true"], []
    if since is not None:
        found = con.execute(f"SELECT finished_at FROM ({_LANDED_RUNS}) WHERE run_id = ?", [since]).fetchone()
        if found is None:
            raise WarehouseError(
                f"--since {since}: no succeeded run with that id. Use the watermark_run_id of an earlier "
                'export\'s manifest.json, or a run_id from `sift sql "SELECT run_id FROM runs"`.'
            )
        where.append(
            f"d.run_id IN (SELECT run_id FROM ({_LANDED_RUNS}) WHERE (finished_at, run_id) > (?::TIMESTAMP, ?))"
        )
        params += [found[0], since]
    if langs:
        where.append("list_contains(?, d.lang)")
        params.append(list(langs))
    if canonical_only:
        where.append("d.is_canonical")
    return " AND ".join(where), params


def export_documents(
    con: duckdb.DuckDBPyConnection,
    out_dir: str | Path,
    fmt: str = "parquet",
    since: str | None = None,
    langs: Sequence[str] | None = None,
    canonical_only: bool = False,
) -> dict:
    """Write the export and its manifest; returns the manifest.

    Meant for a read-only connection: it only reads the warehouse.
    """
    if fmt not in FORMATS:
        raise WarehouseError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    pending = pending_migrations(con)
    if pending:
        raise WarehouseError(f"the warehouse lacks migrations {', '.join(pending)}: run `sift migrate --db FILE` first")
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise WarehouseError(f"{out} is not empty: export into a new directory (one directory per export)")
    ext, options = FORMATS[fmt]
    con.execute("BEGIN TRANSACTION")  # one snapshot for the listing and every file
    try:
        where, params = _filters(con, since, langs, canonical_only)
        columns = [
            {"name": r[0], "type": r[1]} for r in con.execute("DESCRIBE SELECT * FROM main.documents").fetchall()
        ]
        partitions = con.execute(
            f"SELECT d.lang, strftime(d.ingested_at, '%Y-%m-%d') AS run_date, d.run_id, count(*) "
            f"FROM main.documents d WHERE {where} GROUP BY ALL ORDER BY ALL",
            params,
        ).fetchall()
        files = []
        for lang, run_date, run_id, n_rows in partitions:
            rel = Path(f"lang={quote(lang, safe='')}") / f"run_date={run_date}" / f"part-{quote(run_id, safe='')}.{ext}"
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            con.execute(
                f"COPY (SELECT * FROM main.documents d WHERE {where} AND d.lang = ? AND d.run_id = ? "
                f"ORDER BY d.doc_id) TO '{_sql_str(path)}' {options}",
                [*params, lang, run_id],
            )
            files.append(
                {
                    "path": rel.as_posix(),
                    "lang": lang,
                    "run_date": run_date,
                    "run_id": run_id,
                    "rows": n_rows,
                    "bytes": path.stat().st_size,
                    "sha256": _sha256(path),
                }
            )
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "format": fmt,
            "view": "documents",
            "schema_version": schema_version(con),
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "filters": {"since": since, "langs": list(langs) if langs else None, "canonical_only": canonical_only},
            "watermark_run_id": _watermark(con),
            "run_ids": sorted({f["run_id"] for f in files}),
            "row_count": sum(f["rows"] for f in files),
            "partition_keys": ["lang", "run_date"],
            "columns": columns,
            "files": files,
        }
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def _sql_str(text: object) -> str:
    return str(text).replace("'", "''")


def read_export(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> duckdb.DuckDBPyRelation:
    """All rows of an export, with the types the manifest declares."""
    out = Path(out_dir)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    paths = [str(out / f["path"]) for f in manifest["files"]]
    if not paths:
        names = ", ".join(f'NULL::{c["type"]} AS "{c["name"]}"' for c in manifest["columns"])
        return con.sql(f"SELECT {names} LIMIT 0")
    files = ", ".join(f"'{_sql_str(p)}'" for p in paths)
    # the partition keys are columns of every file already: no Hive columns
    if manifest["format"] == "parquet":
        return con.sql(f"SELECT * FROM read_parquet([{files}], hive_partitioning = false)")
    types = ", ".join(f"'{_sql_str(c['name'])}': '{_sql_str(c['type'])}'" for c in manifest["columns"])
    return con.sql(
        f"SELECT * FROM read_json([{files}], format = 'newline_delimited', columns = {{{types}}}, "
        "hive_partitioning = false)"
    )


def verify_export(out_dir: str | Path) -> list[str]:
    """Problems with an export directory (checksums, row counts); empty = intact."""
    out = Path(out_dir)
    if not (out / MANIFEST).is_file():
        return [f"{out}: no {MANIFEST} (unfinished or not an export)"]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    problems = []
    con = duckdb.connect()
    try:
        for f in manifest["files"]:
            path = out / f["path"]
            if not path.is_file():
                problems.append(f"{f['path']}: missing")
                continue
            if _sha256(path) != f["sha256"]:
                problems.append(f"{f['path']}: sha256 differs from the manifest")
                continue
            reader = (
                "read_parquet(?)" if manifest["format"] == "parquet" else "read_json(?, format='newline_delimited')"
            )
            n = con.execute(f"SELECT count(*) FROM {reader}", [str(path)]).fetchone()[0]
            if n != f["rows"]:
                problems.append(f"{f['path']}: {n} rows, manifest says {f['rows']}")
        if sum(f["rows"] for f in manifest["files"]) != manifest["row_count"]:
            problems.append("row_count differs from the sum of the files' rows")
    finally:
        con.close()
    return problems
