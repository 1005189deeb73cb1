"""The data dictionary: every table, view and column with its comment.

Read from DuckDB's catalog (duckdb_tables/duckdb_views/duckdb_columns), so it
is always the schema of the file at hand, not a copy that can drift. The
comments come from `COMMENT ON` statements in the migrations (tables) and in
the view files (views).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import duckdb

from warehouse.connection import schema_version

# Consumer views first, then the layers in the order data flows through them.
SCHEMA_ORDER = ("main", "raw", "clean", "dedup", "ops")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    comment: str | None


@dataclass(frozen=True)
class Relation:
    schema: str
    name: str
    kind: str  # table | view
    comment: str | None
    columns: tuple[Column, ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


def _order(schema: str, kind: str, name: str) -> tuple:
    rank = SCHEMA_ORDER.index(schema) if schema in SCHEMA_ORDER else len(SCHEMA_ORDER)
    return (rank, schema, kind != "view", name)


def relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """Every persistent table and view of the open file, with its columns."""
    objects = con.execute(
        """
        SELECT schema_name, table_name, 'table', comment FROM duckdb_tables()
        WHERE database_name = current_database() AND NOT internal AND NOT temporary
        UNION ALL
        SELECT schema_name, view_name, 'view', comment FROM duckdb_views()
        WHERE database_name = current_database() AND NOT internal AND NOT temporary
        """
    ).fetchall()
    cols: dict[tuple[str, str], list[Column]] = {}
    for schema, table, name, dtype, nullable, comment in con.execute(
        """
        SELECT schema_name, table_name, column_name, data_type, is_nullable, comment FROM duckdb_columns()
        WHERE database_name = current_database() AND NOT internal
        ORDER BY schema_name, table_name, column_index
        """
    ).fetchall():
        cols.setdefault((schema, table), []).append(Column(name, dtype, bool(nullable), comment or None))
    out = [Relation(s, n, k, c or None, tuple(cols.get((s, n), ()))) for s, n, k, c in objects]
    return sorted(out, key=lambda r: _order(r.schema, r.kind, r.name))


def missing_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """'schema.table' or 'schema.table.column' for everything without a comment."""
    missing = []
    for rel in relations(con):
        if not (rel.comment or "").strip():
            missing.append(f"{rel.kind} {rel.qualified}")
        missing += [f"column {rel.qualified}.{c.name}" for c in rel.columns if not (c.comment or "").strip()]
    return missing


def dictionary(con: duckdb.DuckDBPyConnection) -> dict:
    """The data dictionary as plain data (what `sift schema --format json` prints)."""
    return {
        "schema_version": schema_version(con),
        "relations": [{**asdict(r), "columns": [asdict(c) for c in r.columns]} for r in relations(con)],
    }


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(con: duckdb.DuckDBPyConnection) -> str:
    rels = relations(con)
    lines = [f"# sift warehouse data dictionary (schema version {schema_version(con)})", ""]
    lines.append("Views in `main` are the consumer contract; the other schemas are the layers beneath them.")
    for rel in rels:
        lines += ["", f"## {rel.kind} `{rel.qualified}`", "", _cell(rel.comment) or "(no comment)", ""]
        lines += ["| column | type | null | description |", "|---|---|---|---|"]
        for c in rel.columns:
            lines.append(f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {_cell(c.comment)} |")
    return "\n".join(lines) + "\n"


def to_json(con: duckdb.DuckDBPyConnection) -> str:
    return json.dumps(dictionary(con), indent=2, ensure_ascii=False) + "\n"
