"""Landing a run: every write of the run in one transaction, exactly once.

Rows are staged as Arrow tables and inserted with anti-joins on their
deterministic keys, so a rerun of the same input inserts nothing and a run
that dies before COMMIT leaves nothing behind. Bulk loading from Arrow is
~13x faster than executemany (measured: ~12k vs ~900 rows/s).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from cleaners.record import Document, Quarantined
from dedup.stage import DedupResult


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    started_at: datetime
    rules_version: str


def quarantine_id(q: Quarantined) -> str:
    key = f"{q.source_uri}\0{q.reason}\0{q.raw_sha256 or q.detail}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, keys: Sequence[str]) -> int:
    """Insert rows whose key is not there yet; returns how many were new."""
    if rows.num_rows == 0:
        return 0
    con.register("stage_rows", rows)
    cond = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    cols = ", ".join(rows.column_names)
    inserted = con.execute(
        f"INSERT INTO {table} ({cols}) SELECT DISTINCT ON ({', '.join(keys)}) {cols} FROM stage_rows s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {cond})"
    ).fetchall()[0][0]  # DuckDB answers an INSERT with its row count
    con.unregister("stage_rows")
    return int(inserted)


def _documents_table(docs: Sequence[Document], run: RunInfo) -> pa.Table:
    return pa.table(
        {
            "doc_id": [d.doc_id for d in docs],
            "source_uri": [d.source_uri for d in docs],
            "source": [d.source for d in docs],
            "body_kind": [d.body_kind for d in docs],
            "title": [d.title for d in docs],
            "url": [d.url for d in docs],
            "author": [d.author for d in docs],
            "published_at": _timestamps([d.published_at for d in docs]),
            "site_name": [d.site_name for d in docs],
            "encoding": [d.encoding for d in docs],
            "repairs": pa.array([list(d.repairs) for d in docs], pa.list_(pa.string())),
            "clean_text": [d.clean_text for d in docs],
            "n_words": pa.array([d.n_words for d in docs], pa.int32()),
            "n_removed_lines": pa.array([len(d.removed) for d in docs], pa.int32()),
            "lang": [d.lang for d in docs],
            "lang_score": pa.array([d.lang_score for d in docs], pa.float64()),
            "norm_hash": [d.norm_hash for d in docs],
            "rules_version": [run.rules_version] * len(docs),
            "run_id": [run.run_id] * len(docs),
            "ingested_at": pa.array([run.started_at] * len(docs), pa.timestamp("us")),
        }
    )


def _raw_table(docs: Sequence[Document], run: RunInfo) -> pa.Table:
    return pa.table(
        {
            "raw_id": [d.doc_id for d in docs],
            "source_uri": [d.source_uri for d in docs],
            "path": [d.input_path for d in docs],
            "line_no": pa.array([d.input_line for d in docs], pa.int32()),
            "size": pa.array([len(d.raw) for d in docs], pa.int64()),
            "sha256": [d.raw_sha256 for d in docs],
            "content": pa.array([d.raw for d in docs], pa.binary()),
            "first_run_id": [run.run_id] * len(docs),
            "first_seen_at": pa.array([run.started_at] * len(docs), pa.timestamp("us")),
        }
    )


def _rows(columns: dict[str, list], run: RunInfo | None = None) -> pa.Table:
    if run is not None:
        n = len(next(iter(columns.values()))) if columns else 0
        columns = {**columns, "run_id": [run.run_id] * n}
    return pa.table(columns)


def land(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    docs: Sequence[Document],
    quarantined: Sequence[Quarantined],
    dedup: DedupResult,
    run_totals: dict[str, int | str],
) -> dict[str, int]:
    """Write the run's rows and close its `ops.runs` row in one transaction.

    `run_totals` holds the n_* columns of `ops.runs`; returns new rows per table.
    """
    removed = [(d.doc_id, r.line_no, r.line_text, r.rule) for d in docs for r in d.removed]
    paras = [(d.doc_id, p.para_no, p.n_words, p.norm_hash) for d in docs for p in d.paragraphs]
    members = [(doc_id, c.cluster_id) for c in dedup.clusters for doc_id in c.members]
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        counts["raw.inputs"] = _insert(con, "raw.inputs", _raw_table(docs, run), ["raw_id"])
        counts["clean.documents"] = _insert(con, "clean.documents", _documents_table(docs, run), ["doc_id"])
        counts["clean.removed_lines"] = _insert(
            con,
            "clean.removed_lines",
            _rows({k: [r[i] for r in removed] for i, k in enumerate(("doc_id", "line_no", "line_text", "rule"))}),
            ["doc_id", "line_no"],
        )
        counts["clean.paragraphs"] = _insert(
            con,
            "clean.paragraphs",
            _rows({k: [r[i] for r in paras] for i, k in enumerate(("doc_id", "para_no", "n_words", "norm_hash"))}),
            ["doc_id", "para_no"],
        )
        counts["dedup.bands"] = _insert_bands(con, dedup)
        counts["dedup.pairs"] = _insert(con, "dedup.pairs", _pairs_table(dedup, run), ["doc_id_a", "doc_id_b"])
        counts["dedup.paragraph_map"] = _insert(
            con,
            "dedup.paragraph_map",
            _rows(
                {
                    k: [r[i] for r in dedup.paragraph_map]
                    for i, k in enumerate(("doc_id_a", "para_no_a", "doc_id_b", "para_no_b", "jaccard"))
                },
                run,
            ),
            ["doc_id_a", "para_no_a", "doc_id_b"],
        )
        _upsert_clusters(con, dedup, members, run)
        counts["ops.quarantine"] = _insert(
            con, "ops.quarantine", _quarantine_table(quarantined, run), ["quarantine_id"]
        )
        totals = {**run_totals, "n_documents": counts["clean.documents"]}
        sets = ", ".join(f"{k} = ?" for k in totals)
        con.execute(
            f"UPDATE ops.runs SET finished_at = now()::TIMESTAMP, status = 'succeeded', {sets} WHERE run_id = ?",
            [*totals.values(), run.run_id],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def _timestamps(values: list[str | None]) -> pa.Array:
    out = []
    for v in values:
        try:
            out.append(datetime.fromisoformat(v).replace(tzinfo=None) if v else None)
        except ValueError:
            out.append(None)  # unparseable dates stay NULL; the raw text is in raw.inputs
    return pa.array(out, pa.timestamp("us"))


def _insert_bands(con: duckdb.DuckDBPyConnection, dedup: DedupResult) -> int:
    # bands of a document are written once, with the document: no anti-join needed
    # beyond skipping documents whose bands exist (reruns)
    table = pa.table(
        {
            "doc_id": [b.doc_id for b in dedup.bands],
            "para_no": pa.array([b.para_no for b in dedup.bands], pa.int32()),
            "band": pa.array([b.band for b in dedup.bands], pa.int16()),
            "band_hash": pa.array([b.band_hash for b in dedup.bands], pa.int64()),
        }
    )
    if table.num_rows == 0:
        return 0
    con.register("stage_bands", table)
    con.execute(
        "INSERT INTO dedup.bands SELECT * FROM stage_bands s "
        "WHERE s.doc_id NOT IN (SELECT DISTINCT doc_id FROM dedup.bands)"
    )
    con.unregister("stage_bands")
    return table.num_rows


def _pairs_table(dedup: DedupResult, run: RunInfo) -> pa.Table:
    p = dedup.pairs
    return pa.table(
        {
            "doc_id_a": [x.doc_id_a for x in p],
            "doc_id_b": [x.doc_id_b for x in p],
            "kind": [x.kind for x in p],
            "jaccard": pa.array([x.jaccard for x in p], pa.float64()),
            "jaccard_estimate": pa.array([x.jaccard_estimate for x in p], pa.float64()),
            "containment_a": pa.array([x.containment_a for x in p], pa.float64()),
            "containment_b": pa.array([x.containment_b for x in p], pa.float64()),
            "run_id": [run.run_id] * len(p),
        }
    )


def _quarantine_table(quarantined: Sequence[Quarantined], run: RunInfo) -> pa.Table:
    q = quarantined
    return pa.table(
        {
            "quarantine_id": [quarantine_id(x) for x in q],
            "source_uri": [x.source_uri for x in q],
            "reason": [x.reason for x in q],
            "detail": [x.detail for x in q],
            "raw_sha256": pa.array([x.raw_sha256 for x in q], pa.string()),
            "size": pa.array([x.size for x in q], pa.int64()),
            "run_id": [run.run_id] * len(q),
            "quarantined_at": pa.array([run.started_at] * len(q), pa.timestamp("us")),
        }
    )


def _upsert_clusters(con, dedup: DedupResult, members: list[tuple[str, str]], run: RunInfo) -> None:
    """Clusters are current state: touched clusters are replaced, retired ones go."""
    c = dedup.clusters
    ids = [x.cluster_id for x in c] + list(dedup.retired_cluster_ids)
    con.register("stage_cluster_ids", pa.table({"cluster_id": pa.array(ids, pa.string())}))
    con.execute("DELETE FROM dedup.clusters WHERE cluster_id IN (SELECT cluster_id FROM stage_cluster_ids)")
    con.unregister("stage_cluster_ids")
    if c:
        con.register(
            "stage_clusters",
            pa.table(
                {
                    "cluster_id": [x.cluster_id for x in c],
                    "canonical_doc_id": [x.canonical_doc_id for x in c],
                    "size": pa.array([len(x.members) for x in c], pa.int32()),
                    "first_seen_at": pa.array([x.first_seen_at for x in c], pa.timestamp("us")),
                    "last_seen_at": pa.array([x.last_seen_at for x in c], pa.timestamp("us")),
                    "updated_run_id": [run.run_id] * len(c),
                }
            ),
        )
        con.execute("INSERT INTO dedup.clusters SELECT * FROM stage_clusters")
        con.unregister("stage_clusters")
    if members:
        con.register(
            "stage_members",
            pa.table(
                {
                    "doc_id": [m[0] for m in members],
                    "cluster_id": [m[1] for m in members],
                    "run_id": [run.run_id] * len(members),
                }
            ),
        )
        con.execute("DELETE FROM dedup.cluster_members WHERE doc_id IN (SELECT doc_id FROM stage_members)")
        con.execute("INSERT INTO dedup.cluster_members SELECT * FROM stage_members")
        con.unregister("stage_members")
