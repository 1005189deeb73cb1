"""The dedup stage: new documents against themselves and everything landed.

Costs O(new documents): candidates come from the new documents' LSH bands
joined with the landed bands (the `LandedIndex`, backed by DuckDB), never
from an in-memory index of the corpus. Every candidate is verified with the
exact Jaccard of its shingle sets before it becomes a `near` pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pyarrow as pa

from cleaners.record import Document
from dedup.bands import band_table, min_cover
from dedup.clusters import ClusterState, Member, build_clusters
from dedup.config import DedupConfig
from dedup.minhash import estimate_jaccard, exact_jaccard, signature
from dedup.new_pairs import new_new_matches
from dedup.overlap import Prepared, overlap_of, prepare


@dataclass(frozen=True)
class Pair:
    doc_id_a: str  # doc_id_a < doc_id_b
    doc_id_b: str
    kind: str  # exact | near | overlap
    jaccard: float  # exact Jaccard of word-shingle sets
    jaccard_estimate: float | None  # MinHash estimate (None for exact pairs)
    containment_a: float
    containment_b: float


@dataclass(frozen=True)
class PairsResult:
    """What one chunk of new documents found against everything before it."""

    pairs: tuple[Pair, ...]
    paragraph_map: tuple[tuple[str, int, str, int, float], ...]
    bands: pa.Table  # to persist (dedup.bands columns): documents that are not exact copies


@dataclass(frozen=True)
class ClusterResult:
    clusters: tuple[ClusterState, ...]  # clusters with more than one member
    retired_cluster_ids: tuple[str, ...]  # absorbed by an older cluster this run


class LandedIndex(Protocol):
    """What the dedup stage reads from the warehouse (see warehouse.lookup)."""

    def exact_representatives(self, norm_hashes: Sequence[str]) -> dict[str, str]: ...
    def band_matches(self, bands: pa.Table, cfg: DedupConfig) -> set[tuple[str, str]]: ...
    def clean_texts(self, doc_ids: Sequence[str]) -> dict[str, str]: ...
    def cluster_members(self, doc_ids: Sequence[str]) -> list[Member]: ...


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def find_pairs(docs: Sequence[Document], index: LandedIndex, cfg: DedupConfig, among_new: bool = True) -> PairsResult:
    """Exact, near and overlap pairs of `docs` with the index, and among
    themselves unless `among_new` is off (the ingest flow then finds those
    for the whole run at its end: dedup.run_bands)."""
    pairs: dict[tuple[str, str], Pair] = {}

    # 1. exact copies: one representative per normalised hash is indexed
    reps: dict[str, str] = dict(index.exact_representatives(sorted({d.norm_hash for d in docs})))
    indexed: list[Document] = []
    for d in docs:
        rep = reps.setdefault(d.norm_hash, d.doc_id)
        if rep == d.doc_id:
            indexed.append(d)
        else:
            a, b = _ordered(rep, d.doc_id)
            pairs[(a, b)] = Pair(a, b, "exact", 1.0, None, 1.0, 1.0)

    # 2. candidates from LSH bands: new-landed in DuckDB, new-new in memory (dedup.new_pairs)
    bands = band_table(indexed, cfg)
    found = index.band_matches(bands, cfg)
    if among_new:
        found |= new_new_matches(bands, cfg, min_cover(cfg))
    candidates = {_ordered(a, b) for a, b in found} - set(pairs)
    by_id = {d.doc_id: d for d in docs}
    landed_ids = sorted({x for pair in candidates for x in pair if x not in by_id})
    texts = {d.doc_id: d.clean_text for d in docs} | index.clean_texts(landed_ids)
    sigs = {d.doc_id: d.signature for d in docs if d.signature is not None}
    verified, paragraph_map = verify(candidates, texts, sigs, cfg)
    pairs.update(((p.doc_id_a, p.doc_id_b), p) for p in verified)
    return PairsResult(
        pairs=tuple(sorted(pairs.values(), key=lambda p: (p.doc_id_a, p.doc_id_b))),
        paragraph_map=tuple(paragraph_map),
        bands=bands,
    )


def verify(
    candidates: Iterable[tuple[str, str]],
    texts: dict[str, str],
    sigs: dict[str, np.ndarray],
    cfg: DedupConfig,
) -> tuple[list[Pair], list[tuple[str, int, str, int, float]]]:
    """Near and overlap pairs among candidates (a < b): exact Jaccard decides
    near; the rest may share paragraphs. Each document is prepared once,
    however many candidates it is in; `sigs` gains the signatures it lacked."""
    prepared: dict[str, Prepared] = {}
    pairs, paragraph_map = [], []
    for a, b in sorted(candidates):
        for x in (a, b):
            if x not in prepared:
                prepared[x] = prepare(texts[x], cfg)
            if x not in sigs:  # new documents carry theirs; others are recomputed once
                sigs[x] = signature(prepared[x].shingles, cfg.num_perm, cfg.seed)
        jac = exact_jaccard(prepared[a].shingles, prepared[b].shingles)
        est = estimate_jaccard(sigs[a], sigs[b])
        if jac >= cfg.near_threshold:
            pairs.append(Pair(a, b, "near", round(jac, 6), round(est, 6), 1.0, 1.0))
            continue
        result = overlap_of(prepared[a], prepared[b], cfg)
        if result.is_overlap(cfg, prepared[a].long):
            ca, cb = round(result.containment_a, 6), round(result.containment_b, 6)
            pairs.append(Pair(a, b, "overlap", round(jac, 6), round(est, 6), ca, cb))
            paragraph_map.extend((a, m.para_a, b, m.para_b, m.jaccard) for m in result.matches)
    return pairs, paragraph_map


def cluster_links(links: Sequence[tuple[str, str]], new_members: Sequence[Member], index: LandedIndex) -> ClusterResult:
    """Clusters over exact and near links, joining the landed clusters they touch.

    `new_members` are the run's documents that appear in a link; documents in no
    link stay singletons (their own cluster), which the load writes in bulk.
    """
    new_ids = {m.doc_id for m in new_members}
    linked_landed = sorted({x for link in links for x in link if x not in new_ids})
    members = list(new_members) + index.cluster_members(linked_landed)
    clusters = build_clusters(members, links)
    kept = {c.cluster_id for c in clusters}
    retired = sorted({m.cluster_id for m in members if m.cluster_id and m.cluster_id not in kept})
    return ClusterResult(clusters=tuple(clusters), retired_cluster_ids=tuple(retired))
