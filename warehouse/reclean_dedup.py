"""The dedup rows of documents whose clean text a reclean changed.

Called inside the reclean's transaction, after clean.documents holds the new
texts, so the warehouse index (warehouse.lookup) sees the warehouse as it
will be. For every document whose text changed:

- its bands, pairs and paragraph maps are deleted and found again against
  the rest of the warehouse (dedup.stage.find_pairs, the ingest's code);
- an exact copy that loses its representative (a copy is not indexed: only
  one document per normalised text has bands) is indexed again with it;
- the clusters all of them belong to, before and after, are recomputed from
  their links (dedup.recluster), written where they differ, and what
  happened to them is recorded in dedup.cluster_history.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from cleaners.record import Document
from dedup.cluster_history import HistoryEvent
from dedup.clusters import Member
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_batch
from dedup.recluster import OldCluster, recluster
from dedup.stage import ClusterResult, find_pairs
from warehouse import rows
from warehouse.load import _replace_clusters  # the load's own cluster writer: one way to write clusters
from warehouse.lookup import WarehouseIndex
from warehouse.rows import RunInfo
from warehouse.summary import query_text


@dataclass(frozen=True)
class DedupOutcome:
    reindexed: tuple[str, ...]  # documents whose bands, pairs and paragraph maps were found again
    orphan_copies: tuple[str, ...]  # of those, unchanged exact copies that lost their representative
    pairs: dict[str, int]  # pairs found for them, by kind
    clusters_written: int
    clusters_removed: int  # retired or dissolved
    history_events: int


def _fetch(con: duckdb.DuckDBPyConnection, name: str, doc_ids: Iterable[str]) -> list[tuple]:
    return con.execute(query_text(name), {"doc_ids": sorted(doc_ids)}).fetchall()


def _orphan_copies(con: duckdb.DuckDBPyConnection, changed: Sequence[str], cfg: DedupConfig) -> list[Document]:
    docs = [
        Document(doc_id=r[0], source_uri=r[1], source=r[2], body_kind=r[3], raw=b"", clean_text=r[4])
        for r in _fetch(con, "reclean_orphan_copies", changed)
    ]
    return fingerprint_batch(docs, cfg)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    if data.num_rows:
        con.register("reclean_rows", data)
        try:
            con.execute(f"INSERT INTO {table} SELECT * FROM reclean_rows")
        finally:
            con.unregister("reclean_rows")


def _delete_dedup_rows(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    con.register("reclean_ids", pa.table({"doc_id": pa.array(list(doc_ids), pa.string())}))
    try:
        ids = "(SELECT doc_id FROM reclean_ids)"
        con.execute(f"DELETE FROM dedup.bands WHERE doc_id IN {ids}")
        con.execute(f"DELETE FROM dedup.pairs WHERE doc_id_a IN {ids} OR doc_id_b IN {ids}")
        con.execute(f"DELETE FROM dedup.paragraph_map WHERE doc_id_a IN {ids} OR doc_id_b IN {ids}")
    finally:
        con.unregister("reclean_ids")


def redo_dedup(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    changed: Sequence[Document],
    recluster_also: Iterable[str],
    cfg: DedupConfig,
) -> DedupOutcome:
    """Dedup rows of the `changed` documents (fingerprinted, new text already stored), found again.

    `recluster_also`: documents whose text did not change but whose survivor
    rank may have (published_at changed): their clusters are recomputed too.
    """
    orphans = _orphan_copies(con, sorted(d.doc_id for d in changed), cfg) if changed else []
    docs = sorted([*changed, *orphans], key=lambda d: d.doc_id)
    kinds: Counter[str] = Counter()
    if docs:
        _delete_dedup_rows(con, [d.doc_id for d in docs])
        found = find_pairs(docs, WarehouseIndex(con), cfg)
        insert_rows(con, "dedup.bands", rows.bands(found.bands))
        insert_rows(con, "dedup.pairs", rows.pairs(found.pairs, run))
        insert_rows(con, "dedup.paragraph_map", rows.paragraph_map(found.paragraph_map, run))
        kinds.update(p.kind for p in found.pairs)
    seeds = {d.doc_id for d in docs} | set(recluster_also)
    written, removed, events = recluster_around(con, run, seeds) if seeds else (0, 0, 0)
    return DedupOutcome(
        reindexed=tuple(d.doc_id for d in docs),
        orphan_copies=tuple(d.doc_id for d in orphans),
        pairs={k: kinds[k] for k in ("exact", "near", "overlap") if kinds[k]},
        clusters_written=written,
        clusters_removed=removed,
        history_events=events,
    )


def recluster_around(con: duckdb.DuckDBPyConnection, run: RunInfo, seeds: Iterable[str]) -> tuple[int, int, int]:
    """Recompute the clusters of `seeds` and of everything linked to them; returns
    (clusters written, clusters removed, history events)."""
    ids = set(seeds)
    while True:  # close the set over links and cluster membership (normally one round)
        universe = _fetch(con, "reclean_cluster_universe", ids)
        known = {r[0] for r in universe}
        links = [(a, b) for a, b in _fetch(con, "reclean_links", known)]
        extra = {x for link in links for x in link} - known
        if not extra:
            break
        ids = known | extra
    members = [Member(r[0], r[1], r[2], r[3]) for r in universe]
    old = [OldCluster(r[0], r[1], tuple(r[4]), r[2], r[3]) for r in _fetch(con, "reclean_old_clusters", known)]
    result = recluster(members, links, old, run.started_at)
    written_ids = {c.cluster_id for c in result.write}
    retired = tuple(x for x in result.delete if x not in written_ids)
    _replace_clusters(con, ClusterResult(result.write, retired), run)
    _insert_history(con, run, result.events)
    return len(result.write), len(retired), len(result.events)


def _insert_history(con: duckdb.DuckDBPyConnection, run: RunInfo, events: Sequence[HistoryEvent]) -> None:
    if not events:
        return
    table = pa.table(
        {
            "cluster_id": pa.array([e.cluster_id for e in events], pa.string()),
            "run_id": pa.array([run.run_id] * len(events), pa.string()),
            "event": pa.array([e.event for e in events], pa.string()),
            "doc_id": pa.array([e.doc_id for e in events], pa.string()),
            "other_cluster_id": pa.array([e.other_cluster_id for e in events], pa.string()),
            "size": pa.array([e.size for e in events], pa.int32()),
            "happened_at": pa.array([run.started_at] * len(events), pa.timestamp("us")),
        }
    )
    con.register("reclean_history", table)
    try:
        con.execute(
            "INSERT INTO dedup.cluster_history "
            "(cluster_id, run_id, event, doc_id, other_cluster_id, size, happened_at) SELECT * FROM reclean_history"
        )
    finally:
        con.unregister("reclean_history")


def as_dict(outcome: DedupOutcome) -> dict:
    """The outcome as JSON-ready counts."""
    counts = {"reindexed": len(outcome.reindexed), "orphan_copies": len(outcome.orphan_copies)}
    return dataclasses.asdict(outcome) | counts
