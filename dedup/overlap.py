"""Partial overlaps: which paragraphs two documents share, mapped one to one.

Documents that share passages but differ overall (syndicated copies with
their own endings) are not near-duplicates; they are recorded as `overlap`
pairs with containment both ways and a paragraph map (i of A <-> j of B).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.config import DedupConfig
from dedup.fingerprint import paragraphs_of
from dedup.minhash import WordHasher, exact_jaccard, shingle_hashes
from dedup.normalize import normalize_words, words_hash


@dataclass(frozen=True)
class ParagraphMatch:
    para_a: int
    para_b: int
    jaccard: float


@dataclass(frozen=True)
class OverlapResult:
    matches: tuple[ParagraphMatch, ...]
    containment_a: float  # share of A's words in paragraphs found in B
    containment_b: float

    def is_overlap(self, cfg: DedupConfig, long_a: set[int]) -> bool:
        if len(self.matches) < cfg.overlap_min_paragraphs:
            return False
        # short paragraphs (subheadings) alone never make an overlap
        if not any(m.para_a in long_a for m in self.matches):
            return False
        return max(self.containment_a, self.containment_b) >= cfg.overlap_min_containment


@dataclass(frozen=True)
class _Para:
    n_words: int
    digest: str
    shingles: np.ndarray | None  # None for paragraphs too short to shingle


def _prepare(text: str, cfg: DedupConfig, hasher: WordHasher) -> list[_Para]:
    out = []
    for para in paragraphs_of(text):
        words = normalize_words(para)
        shingles = None
        if len(words) >= cfg.para_min_words:
            shingles = shingle_hashes(hasher(words), cfg.para_shingle_size)
        out.append(_Para(len(words), words_hash(words), shingles))
    return out


def long_paragraphs(text: str, cfg: DedupConfig) -> set[int]:
    return {i for i, p in enumerate(paragraphs_of(text)) if len(normalize_words(p)) >= cfg.para_min_words}


def paragraph_overlap(text_a: str, text_b: str, cfg: DedupConfig, hasher: WordHasher) -> OverlapResult:
    a, b = _prepare(text_a, cfg, hasher), _prepare(text_b, cfg, hasher)
    scored: list[tuple[float, int, int]] = []
    for i, pa in enumerate(a):
        if pa.n_words == 0:
            continue
        for j, pb in enumerate(b):
            if pa.digest == pb.digest:
                scored.append((1.0, i, j))
            elif pa.shingles is not None and pb.shingles is not None:
                jac = exact_jaccard(pa.shingles, pb.shingles)
                if jac >= cfg.para_threshold:
                    scored.append((jac, i, j))
    # greedy one-to-one matching, best first; ties broken by position
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    matches = []
    for jac, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches.append(ParagraphMatch(i, j, round(jac, 6)))
    total_a = sum(p.n_words for p in a) or 1
    total_b = sum(p.n_words for p in b) or 1
    return OverlapResult(
        matches=tuple(sorted(matches, key=lambda m: m.para_a)),
        containment_a=sum(a[i].n_words for i in used_a) / total_a,
        containment_b=sum(b[j].n_words for j in used_b) / total_b,
    )
