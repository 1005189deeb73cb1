"""What a run did to the duplicate clusters, as events for dedup.cluster_history.

dedup.clusters holds the current state only. Comparing the state a run is
about to replace (warehouse/queries/cluster_history_before.sql, read in the
load transaction) with the clusters it writes gives one event per change:
a cluster `created`, a document that `joined`, a cluster `merged` into this
one (and the absorbed one `retired`), and a `canonical_changed` when a newly
landed copy wins the survivor policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dedup.clusters import ClusterState


@dataclass(frozen=True)
class HistoryEvent:
    cluster_id: str
    event: str  # created | joined | merged | canonical_changed | retired
    doc_id: str | None
    other_cluster_id: str | None
    size: int  # members after the run (0 for retired)


def history_events(
    before: Iterable[tuple[str, str, str]], clusters: Sequence[ClusterState], retired: Sequence[str]
) -> list[HistoryEvent]:
    """`before`: (cluster_id, canonical_doc_id, member doc_id) rows of the clusters being replaced;
    `clusters`: the clusters the run writes (two or more members); `retired`: ids absorbed."""
    old_canonical: dict[str, str] = {}
    old_cluster_of: dict[str, str] = {}
    for cluster_id, canonical, doc_id in before:
        old_canonical[cluster_id] = canonical
        old_cluster_of[doc_id] = cluster_id
    events: list[HistoryEvent] = []
    absorbed_by: dict[str, str] = {}
    for c in sorted(clusters, key=lambda c: c.cluster_id):
        if len(c.members) < 2:
            continue  # singletons are implicit: no cluster, no history
        size = len(c.members)
        existed = c.cluster_id in old_canonical
        if not existed:
            events.append(HistoryEvent(c.cluster_id, "created", c.canonical_doc_id, None, size))
        merged_from: set[str] = set()
        for doc_id in sorted(c.members):
            previous = old_cluster_of.get(doc_id)
            if previous == c.cluster_id:
                continue
            if previous is None:
                if existed or doc_id != c.canonical_doc_id:
                    events.append(HistoryEvent(c.cluster_id, "joined", doc_id, None, size))
            elif previous not in merged_from:  # one event per absorbed cluster, naming one of its members
                merged_from.add(previous)
                absorbed_by[previous] = c.cluster_id
                events.append(HistoryEvent(c.cluster_id, "merged", doc_id, previous, size))
        if existed and c.canonical_doc_id != old_canonical[c.cluster_id]:
            events.append(HistoryEvent(c.cluster_id, "canonical_changed", c.canonical_doc_id, None, size))
    for cluster_id in sorted(retired):
        events.append(HistoryEvent(cluster_id, "retired", None, absorbed_by.get(cluster_id), 0))
    return events
