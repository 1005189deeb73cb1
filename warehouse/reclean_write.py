"""Landing a reclean: re-cleaned documents replace their stored values, in one transaction.

For every examined document, in one transaction with the run's `ops.runs`
row: the new values in clean.documents (provenance and landing run stay),
its removed lines replaced; for a document whose clean text changed, its
paragraphs replaced and its dedup rows found again (warehouse.reclean_dedup).
What changed is compared with what was stored and kept in
`ops.reclean_changes`. A document the new rules quarantine keeps its old
values and rules version; the quarantine is recorded (ops.quarantine and a
`quarantined` change) and counted, never dropped silently.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from cleaners.record import Document, Quarantined
from dedup.config import DedupConfig
from warehouse import rows
from warehouse.reclean_dedup import DedupOutcome, as_dict, insert_rows, redo_dedup
from warehouse.rows import RunInfo
from warehouse.summary import query_text

# clean.documents columns a reclean rewrites (reclean_update_documents.sql), compared to report changes.
UPDATED_FIELDS = (
    "title",
    "url",
    "author",
    "published_at",
    "site_name",
    "encoding",
    "repairs",
    "clean_text",
    "n_words",
    "n_removed_lines",
    "lang",
    "lang_score",
    "norm_hash",
)


class RecleanConflict(RuntimeError):
    """The documents changed between the reclean's selection and its load (another reclean)."""


@dataclass(frozen=True)
class Change:
    """One row of ops.reclean_changes."""

    doc_id: str
    change: str  # text | metadata | quarantined
    fields: tuple[str, ...]
    old_rules_version: str
    old_len: int
    new_len: int | None
    reason: str | None = None


@dataclass(frozen=True)
class RecleanLanded:
    changes: tuple[Change, ...]
    counts: dict[str, int]  # examined, changed, unchanged, metadata_changed, quarantined
    dedup: DedupOutcome


def changed_fields(old: Mapping, new: Mapping, old_removed: Sequence[tuple], new_removed: Sequence[tuple]) -> tuple:
    """The UPDATED_FIELDS whose values differ, then removed_lines if the removed lines differ."""
    fields = [f for f in UPDATED_FIELDS if old[f] != new[f]]
    if sorted(old_removed) != sorted(new_removed):
        fields.append("removed_lines")
    return tuple(fields)


def _replace_children(con: duckdb.DuckDBPyConnection, table: str, doc_ids: Sequence[str], new: pa.Table) -> None:
    con.register("reclean_child_ids", pa.table({"doc_id": pa.array(list(doc_ids), pa.string())}))
    try:
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM reclean_child_ids)")
    finally:
        con.unregister("reclean_child_ids")
    insert_rows(con, table, new)


def _old_state(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> tuple[dict[str, dict], dict[str, list]]:
    result = con.execute(query_text("reclean_old_documents"), {"doc_ids": list(doc_ids)})
    cols = [c[0] for c in result.description]
    old = {r[0]: dict(zip(cols, r, strict=True)) for r in result.fetchall()}
    removed: dict[str, list] = defaultdict(list)
    for doc_id, *line in con.execute(query_text("reclean_old_removed_lines"), {"doc_ids": list(doc_ids)}).fetchall():
        removed[doc_id].append(tuple(line))
    return old, removed


def _check_plan(plan: Mapping[str, str], old: Mapping[str, dict]) -> None:
    moved = sorted(d for d, version in plan.items() if d not in old or old[d]["rules_version"] != version)
    if moved:
        raise RecleanConflict(
            f"{len(moved)} document(s) changed since this reclean selected them (e.g. {moved[0]}): "
            "another reclean ran meanwhile; run it again"
        )


def _compare(
    plan: Mapping[str, str], kept: Sequence[Document], new_rows: pa.Table, old: Mapping, old_removed: Mapping
) -> list[Change]:
    changes = []
    for doc, new in zip(kept, new_rows.to_pylist(), strict=True):
        new_removed = [(r.line_no, r.line_text, r.rule) for r in doc.removed]
        fields = changed_fields(old[doc.doc_id], new, old_removed.get(doc.doc_id, []), new_removed)
        if fields:
            kind = "text" if "clean_text" in fields else "metadata"
            old_len = len(old[doc.doc_id]["clean_text"])
            changes.append(Change(doc.doc_id, kind, fields, plan[doc.doc_id], old_len, len(doc.clean_text)))
    return changes


def _quarantine(con: duckdb.DuckDBPyConnection, run: RunInfo, rejected: Sequence[tuple[str, Quarantined]]) -> None:
    notes = [
        dataclasses.replace(
            q, detail=f"sift reclean under rules {run.rules_version}: document {doc_id} kept as it was; {q.detail}"
        )
        for doc_id, q in rejected
    ]
    if not notes:
        return
    con.register("reclean_quarantine", rows.quarantine(notes, run))
    try:
        con.execute(
            "INSERT INTO ops.quarantine SELECT DISTINCT ON (quarantine_id) * FROM reclean_quarantine s "
            "WHERE NOT EXISTS (SELECT 1 FROM ops.quarantine t WHERE t.quarantine_id = s.quarantine_id)"
        )
    finally:
        con.unregister("reclean_quarantine")


def _insert_changes(con: duckdb.DuckDBPyConnection, run: RunInfo, changes: Sequence[Change]) -> None:
    if not changes:
        return
    table = pa.table(
        {
            "run_id": pa.array([run.run_id] * len(changes), pa.string()),
            "doc_id": pa.array([c.doc_id for c in changes], pa.string()),
            "change": pa.array([c.change for c in changes], pa.string()),
            "fields": pa.array([list(c.fields) for c in changes], pa.list_(pa.string())),
            "old_rules_version": pa.array([c.old_rules_version for c in changes], pa.string()),
            "new_rules_version": pa.array([run.rules_version] * len(changes), pa.string()),
            "old_len": pa.array([c.old_len for c in changes], pa.int32()),
            "new_len": pa.array([c.new_len for c in changes], pa.int32()),
            "reason": pa.array([c.reason for c in changes], pa.string()),
        }
    )
    con.register("reclean_changes", table)
    try:
        con.execute("INSERT INTO ops.reclean_changes SELECT * FROM reclean_changes")
    finally:
        con.unregister("reclean_changes")


def land_reclean(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    plan: Mapping[str, str],
    kept: Sequence[Document],
    rejected: Sequence[tuple[str, Quarantined]],
    cfg: DedupConfig,
    summary: Mapping,
) -> RecleanLanded:
    """Write the re-cleaned documents and close the run's ops.runs row, in one transaction.

    `plan`: doc_id -> the rules version it had when selected (every examined
    document); `kept`: the re-cleaned, fingerprinted documents; `rejected`:
    (doc_id, why) for the ones the new rules quarantine; `summary`: what the
    caller adds to the run's summary JSON. `run.rules_version` is the new version.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        old, old_removed = _old_state(con, sorted(plan))
        _check_plan(plan, old)
        kept = sorted(kept, key=lambda d: d.doc_id)
        new_rows = rows.documents(kept, run)
        changes = _compare(plan, kept, new_rows, old, old_removed)
        text_changed = {c.doc_id for c in changes if c.change == "text"}
        dated = {c.doc_id for c in changes if "published_at" in c.fields}
        con.register("reclean_documents", new_rows)
        try:
            con.execute(query_text("reclean_update_documents"))
        finally:
            con.unregister("reclean_documents")
        _replace_children(con, "clean.removed_lines", [d.doc_id for d in kept], rows.removed_lines(kept))
        changed_docs = [d for d in kept if d.doc_id in text_changed]
        _replace_children(con, "clean.paragraphs", sorted(text_changed), rows.paragraphs(changed_docs))
        dedup = redo_dedup(con, run, changed_docs, dated, cfg)
        quarantined = [
            Change(doc_id, "quarantined", (), plan[doc_id], len(old[doc_id]["clean_text"]), None, q.reason)
            for doc_id, q in sorted(rejected, key=lambda x: x[0])
        ]
        _quarantine(con, run, rejected)
        _insert_changes(con, run, [*changes, *quarantined])
        counts = {
            "examined": len(plan),
            "changed": len(text_changed),
            "unchanged": len(kept) - len(text_changed),
            "metadata_changed": sum(1 for c in changes if c.change == "metadata"),
            "quarantined": len(rejected),
        }
        full = {"command": "reclean", "rules_version": run.rules_version, **counts, "dedup": as_dict(dedup), **summary}
        con.execute(
            "UPDATE ops.runs SET finished_at = now()::TIMESTAMP, status = 'succeeded', n_inputs = ?, "
            "n_documents = 0, n_duplicates = 0, n_quarantined = ?, n_skipped = ?, rules_version = ?, summary = ? "
            "WHERE run_id = ?",
            [
                len(plan),
                len(rejected),
                len(plan) - len(rejected),
                run.rules_version,
                json.dumps(full, default=str),
                run.run_id,
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return RecleanLanded(tuple([*changes, *quarantined]), counts, dedup)
