"""Duplicate clusters: union-find over exact and near pairs, one survivor each.

The survivor (canonical document) policy is deterministic: earliest
`published_at` (unknown dates last), then earliest ingested, then the longest
clean text, then the smallest id. A cluster keeps its id when new documents
join it; when two existing clusters merge, the older id survives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Member:
    doc_id: str
    published_at: str | None  # ISO 8601, compared as text (same format)
    ingested_at: datetime
    text_len: int
    cluster_id: str | None = None  # the cluster it already belongs to, if landed
    cluster_first_seen: datetime | None = None


@dataclass(frozen=True)
class ClusterState:
    cluster_id: str
    canonical_doc_id: str
    members: tuple[str, ...]
    first_seen_at: datetime
    last_seen_at: datetime


class UnionFind:
    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def add(self, x: str) -> None:
        self._parent.setdefault(x, x)

    def find(self, x: str) -> str:
        self.add(x)
        root = x
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[x] != root:  # path compression
            self._parent[x], x = root, self._parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller id becomes the root: deterministic regardless of order
            lo, hi = sorted((ra, rb))
            self._parent[hi] = lo

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for x in self._parent:
            out.setdefault(self.find(x), []).append(x)
        return out


def survivor_key(m: Member) -> tuple:
    return (m.published_at is None, m.published_at or "", m.ingested_at, -m.text_len, m.doc_id)


def build_clusters(members: Iterable[Member], links: Iterable[tuple[str, str]]) -> list[ClusterState]:
    """Clusters of `members` (every one must be listed) joined by `links`.

    Landed members that share a `cluster_id` stay together, so a new document
    that matches one member joins the whole existing cluster.
    """
    by_id = {m.doc_id: m for m in members}
    uf = UnionFind()
    first_of_cluster: dict[str, str] = {}
    for m in by_id.values():
        uf.add(m.doc_id)
        if m.cluster_id is not None:
            anchor = first_of_cluster.setdefault(m.cluster_id, m.doc_id)
            uf.union(anchor, m.doc_id)
    for a, b in links:
        uf.union(a, b)
    out = []
    for ids in uf.groups().values():
        group = [by_id[i] for i in sorted(ids)]
        canonical = min(group, key=survivor_key)
        existing = sorted({(m.cluster_first_seen or m.ingested_at, m.cluster_id) for m in group if m.cluster_id})
        cluster_id = existing[0][1] if existing else canonical.doc_id
        first_seen = min(
            min((m.cluster_first_seen for m in group if m.cluster_first_seen), default=None)
            or min(m.ingested_at for m in group),
            min(m.ingested_at for m in group),
        )
        out.append(
            ClusterState(
                cluster_id=cluster_id,
                canonical_doc_id=canonical.doc_id,
                members=tuple(m.doc_id for m in group),
                first_seen_at=first_seen,
                last_seen_at=max(m.ingested_at for m in group),
            )
        )
    return sorted(out, key=lambda c: c.cluster_id)
