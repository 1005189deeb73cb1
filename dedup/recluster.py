"""Duplicate clusters recomputed after documents changed their text.

Ingest runs only ever add links, so `dedup.clusters.build_clusters` keeps
landed clusters together and lets new documents join them. A reclean can
also take links away: a document whose re-cleaned text is no longer a copy
leaves its cluster, and a cluster can split or dissolve. So the clusters a
reclean touches are recomputed from their links alone: the connected
components of the exact and near pairs among the given members.

Ids keep their meaning: a cluster id is always the doc_id of one of its
members (a singleton's cluster id is its own doc_id, see the documents
view). A component keeps an old cluster id only if it still holds the
document that id names; when it holds several (the re-cleaned document
linked two clusters) the oldest survives and the others are merged into it,
as in ingest runs. A component that keeps no id is a new cluster named after
its canonical document. Clusters whose members and canonical document are
unchanged are not rewritten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from dedup.cluster_history import HistoryEvent
from dedup.clusters import ClusterState, Member, UnionFind, survivor_key

# A landed cluster as it was before the reclean: the same record the cluster code writes.
OldCluster = ClusterState


@dataclass(frozen=True)
class Reclustered:
    write: tuple[ClusterState, ...]  # clusters to (re)write: new, or changed members or canonical
    delete: tuple[str, ...]  # cluster ids whose rows go: the rewritten and the retired
    events: tuple[HistoryEvent, ...]  # for dedup.cluster_history


def recluster(
    members: Sequence[Member], links: Iterable[tuple[str, str]], old: Sequence[OldCluster], now: datetime
) -> Reclustered:
    """Clusters of `members` from `links` alone, compared with the `old` clusters they replace.

    `members`: every document of the affected clusters and every endpoint of
    `links` (current published_at and text length); `old`: every landed
    cluster any of them belongs to; `now`: when the run started.
    """
    by_id = {m.doc_id: m for m in members}
    uf = UnionFind()
    for doc_id in by_id:
        uf.add(doc_id)
    for a, b in links:
        if a not in by_id or b not in by_id:
            raise ValueError(f"link {a} - {b} names a document that is not among the members")
        uf.union(a, b)
    for c in old:
        unknown = sorted(set(c.members) - set(by_id))
        if unknown:
            raise ValueError(f"cluster {c.cluster_id} has members that are not given: {unknown[:3]}")
    components = sorted(sorted(ids) for ids in uf.groups().values() if len(ids) > 1)
    component_of = {doc_id: i for i, ids in enumerate(components) for doc_id in ids}
    owned: dict[int, list[OldCluster]] = defaultdict(list)
    for c in old:  # an id stays with the component holding the document it names
        if c.cluster_id in component_of:
            owned[component_of[c.cluster_id]].append(c)

    old_by_id = {c.cluster_id: c for c in old}
    states: list[ClusterState] = []
    absorbed: dict[str, str] = {}  # old id merged into -> surviving id
    for i, ids in enumerate(components):
        canonical = min((by_id[x] for x in ids), key=survivor_key).doc_id
        mine = sorted(owned.get(i, []), key=lambda c: (c.first_seen_at, c.cluster_id))
        if not mine:
            states.append(ClusterState(canonical, canonical, tuple(ids), now, now))
            continue
        keep = mine[0]
        absorbed.update({c.cluster_id: keep.cluster_id for c in mine[1:]})
        same_members = len(mine) == 1 and set(keep.members) == set(ids)
        first = min(c.first_seen_at for c in mine)
        states.append(
            ClusterState(keep.cluster_id, canonical, tuple(ids), first, keep.last_seen_at if same_members else now)
        )

    write = [s for s in states if not _unchanged(s, old_by_id.get(s.cluster_id))]
    kept_ids = {s.cluster_id for s in states}
    rewritten = {s.cluster_id for s in write if s.cluster_id in old_by_id}
    delete = sorted(rewritten | (set(old_by_id) - kept_ids))
    return Reclustered(tuple(write), tuple(delete), tuple(_events(write, states, old, absorbed)))


def _unchanged(state: ClusterState, before: OldCluster | None) -> bool:
    return (
        before is not None
        and set(before.members) == set(state.members)
        and before.canonical_doc_id == state.canonical_doc_id
    )


def _events(
    write: Sequence[ClusterState], states: Sequence[ClusterState], old: Sequence[OldCluster], absorbed: dict[str, str]
) -> list[HistoryEvent]:
    old_by_id = {c.cluster_id: c for c in old}
    old_of = {doc_id: c.cluster_id for c in old for doc_id in c.members}
    new_of = {doc_id: s.cluster_id for s in states for doc_id in s.members}
    size = {s.cluster_id: len(s.members) for s in states}
    events: list[HistoryEvent] = []
    for s in sorted(write, key=lambda s: s.cluster_id):
        before = old_by_id.get(s.cluster_id)
        n = len(s.members)
        if before is None:
            events.append(HistoryEvent(s.cluster_id, "created", s.canonical_doc_id, None, n))
        for other in sorted(k for k, v in absorbed.items() if v == s.cluster_id):
            events.append(HistoryEvent(s.cluster_id, "merged", min(old_by_id[other].members), other, n))
        for doc_id in sorted(s.members):
            came_from = old_of.get(doc_id)
            moved_with_its_cluster = came_from is not None and absorbed.get(came_from) == s.cluster_id
            if came_from == s.cluster_id or moved_with_its_cluster:
                continue
            if before is None and doc_id == s.canonical_doc_id and came_from is None:
                continue  # told by "created"
            events.append(HistoryEvent(s.cluster_id, "joined", doc_id, came_from, n))
        if before is not None and before.canonical_doc_id != s.canonical_doc_id:
            events.append(HistoryEvent(s.cluster_id, "canonical_changed", s.canonical_doc_id, None, n))
    for c in sorted(old, key=lambda c: c.cluster_id):
        went_to = absorbed.get(c.cluster_id)
        for doc_id in sorted(c.members):
            now_in = new_of.get(doc_id)
            if now_in != c.cluster_id and (went_to is None or now_in != went_to):
                events.append(HistoryEvent(c.cluster_id, "left", doc_id, now_in, size.get(c.cluster_id, 0)))
        if c.cluster_id not in size:
            events.append(HistoryEvent(c.cluster_id, "retired", None, went_to, 0))
    return events
