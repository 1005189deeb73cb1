"""Run summaries read back from the warehouse (queries in warehouse/queries)."""

from __future__ import annotations

from importlib import resources

import duckdb


def query_text(name: str) -> str:
    return (resources.files("warehouse") / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def run_summary(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
    params = {"run_id": run_id}
    rows = con.execute(query_text("run_row"), params).fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise LookupError(f"no run {run_id!r} in this warehouse")
    cols = ("run_id", "status", "n_inputs", "n_documents", "n_duplicates", "n_quarantined", "n_skipped")
    out = dict(zip(cols, row[:7], strict=True))
    out["wall_seconds"] = (row[8] - row[7]).total_seconds() if row[8] else None
    for key, name in (
        ("removed_by_rule", "removed_by_rule"),
        ("languages", "languages"),
        ("pairs", "pairs_by_kind"),
        ("quarantined_by_reason", "quarantine_by_reason"),
    ):
        out[key] = dict(con.execute(query_text(name), params).fetchall())
    return out
