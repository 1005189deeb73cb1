"""The dedup stage: new documents against themselves and everything landed.

Costs O(new documents): candidates come from the new documents' LSH bands
joined with the landed bands (the `LandedIndex`, backed by DuckDB), never
from an in-memory index of the corpus. Every candidate is verified with the
exact Jaccard of its shingle sets before it becomes a `near` pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cleaners.record import Document
from dedup.clusters import ClusterState, Member, build_clusters
from dedup.config import DedupConfig
from dedup.fingerprint import doc_shingles
from dedup.minhash import WordHasher, band_hashes, estimate_jaccard, exact_jaccard, signature
from dedup.overlap import long_paragraphs, paragraph_overlap


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
class BandRow:
    doc_id: str
    para_no: int  # -1 for whole-document bands
    band: int
    band_hash: int


@dataclass(frozen=True)
class PairsResult:
    """What one chunk of new documents found against everything before it."""

    pairs: tuple[Pair, ...]
    paragraph_map: tuple[tuple[str, int, str, int, float], ...]
    bands: tuple[BandRow, ...]  # to persist: documents that are not exact copies


@dataclass(frozen=True)
class ClusterResult:
    clusters: tuple[ClusterState, ...]  # clusters with more than one member
    retired_cluster_ids: tuple[str, ...]  # absorbed by an older cluster this run


class LandedIndex(Protocol):
    """What the dedup stage reads from the warehouse (see warehouse.lookup)."""

    def exact_representatives(self, norm_hashes: Sequence[str]) -> dict[str, str]: ...
    def band_matches(self, rows: Sequence[BandRow], min_paragraphs: int) -> set[tuple[str, str]]: ...
    def clean_texts(self, doc_ids: Sequence[str]) -> dict[str, str]: ...
    def cluster_members(self, doc_ids: Sequence[str]) -> list[Member]: ...


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _bands_of(doc: Document, cfg: DedupConfig) -> list[BandRow]:
    rows = [BandRow(doc.doc_id, -1, i, int(h)) for i, h in enumerate(band_hashes(doc.signature, cfg.bands, cfg.rows))]
    for p in doc.paragraphs:
        if p.n_words >= cfg.para_min_words:
            hashes = band_hashes(doc.para_signatures[p.para_no], cfg.para_bands, cfg.para_rows)
            rows.extend(BandRow(doc.doc_id, p.para_no, i, int(h)) for i, h in enumerate(hashes))
    return rows


# A paragraph band shared by more new documents than this is boilerplate.
MAX_NEW_BUCKET = 200


def _new_new_matches(rows: Sequence[BandRow], min_paragraphs: int) -> set[tuple[str, str]]:
    """Pairs of new documents sharing a document band, or paragraph bands of at
    least `min_paragraphs` distinct paragraphs on both sides (see band_matches)."""
    buckets: dict[tuple[bool, int, int], list[tuple[str, int]]] = defaultdict(list)
    for r in rows:
        buckets[(r.para_no < 0, r.band, r.band_hash)].append((r.doc_id, r.para_no))
    doc_hits: set[tuple[str, str]] = set()
    para_hits: dict[tuple[str, str], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for (is_doc, _, _), members in buckets.items():
        ids = sorted({m[0] for m in members})
        if len(ids) < 2 or (not is_doc and len(ids) > MAX_NEW_BUCKET):
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if is_doc:
                    doc_hits.add((a, b))
                else:
                    left, right = para_hits[(a, b)]
                    left.update(p for d, p in members if d == a)
                    right.update(p for d, p in members if d == b)
    return doc_hits | {k for k, (left, right) in para_hits.items() if min(len(left), len(right)) >= min_paragraphs}


def find_pairs(docs: Sequence[Document], index: LandedIndex, cfg: DedupConfig) -> PairsResult:
    """Exact, near and overlap pairs of `docs` among themselves and with the index."""
    hasher = WordHasher()
    by_id = {d.doc_id: d for d in docs}
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

    # 2. candidates from LSH bands, new-new in memory and new-landed in DuckDB
    bands = [row for d in indexed for row in _bands_of(d, cfg)]
    need = cfg.overlap_min_paragraphs
    candidates = {_ordered(a, b) for a, b in _new_new_matches(bands, need) | index.band_matches(bands, need)}
    candidates -= set(pairs)
    landed_ids = sorted({x for pair in candidates for x in pair if x not in by_id})
    texts = {d.doc_id: d.clean_text for d in docs} | index.clean_texts(landed_ids)

    # 3. verify: exact Jaccard decides near; the rest may share paragraphs
    shingles = {}
    sigs = {d.doc_id: d.signature for d in docs if d.signature is not None}
    paragraph_map = []
    for a, b in sorted(candidates):
        for x in (a, b):
            if x not in shingles:
                shingles[x] = doc_shingles(texts[x], cfg, hasher)
        jac = exact_jaccard(shingles[a], shingles[b])
        for x in (a, b):  # new documents carry theirs; landed ones are recomputed once
            if x not in sigs:
                sigs[x] = signature(shingles[x], cfg.num_perm, cfg.seed)
        est = estimate_jaccard(sigs[a], sigs[b])
        if jac >= cfg.near_threshold:
            pairs[(a, b)] = Pair(a, b, "near", round(jac, 6), round(est, 6), 1.0, 1.0)
            continue
        result = paragraph_overlap(texts[a], texts[b], cfg, hasher)
        if result.is_overlap(cfg, long_paragraphs(texts[a], cfg)):
            ca, cb = round(result.containment_a, 6), round(result.containment_b, 6)
            pairs[(a, b)] = Pair(a, b, "overlap", round(jac, 6), round(est, 6), ca, cb)
            paragraph_map.extend((a, m.para_a, b, m.para_b, m.jaccard) for m in result.matches)
    return PairsResult(
        pairs=tuple(sorted(pairs.values(), key=lambda p: (p.doc_id_a, p.doc_id_b))),
        paragraph_map=tuple(paragraph_map),
        bands=tuple(bands),
    )


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
