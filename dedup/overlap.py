"""Partial overlaps: which paragraphs two documents share, mapped one to one.

Documents that share passages but differ overall (syndicated copies with
their own endings) are not near-duplicates; they are recorded as `overlap`
pairs with containment both ways and a paragraph map (i of A <-> j of B).

A document is prepared once (`prepare`: words normalised and hashed once,
paragraph shingles made distinct and ordered by hash with one sort) however
many candidates it is in. All paragraph-pair intersections of two documents
come from one merge of their (shingle hash, paragraph) arrays instead of one
set intersection per paragraph pair: the per-pair loop cost most of the
dedup stage (measured: 8 ms per candidate, 244 paragraph pairs each). The
merges are compiled (dedup.set_kernels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.config import DedupConfig
from dedup.minhash import compiled_sets, shingle_hashes
from dedup.normalize import joined_hash
from dedup.words import doc_words, paragraph_windows


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
class Prepared:
    """One document's dedup view: whole-text shingles and per-paragraph shingles."""

    shingles: np.ndarray  # distinct word k-gram hashes of the whole text (sorted)
    n_words: np.ndarray  # words per paragraph
    digests: tuple[str, ...]  # normalised hash per paragraph: equal means an exact copy
    para_hashes: np.ndarray  # each long paragraph's distinct shingle hashes, all ordered by hash
    para_ids: np.ndarray  # the paragraph each of para_hashes belongs to (ascending within a hash)
    para_sizes: np.ndarray  # distinct shingles per paragraph (0 for short ones)

    @property
    def long(self) -> set[int]:
        """Paragraphs long enough to be shingled; only exact copies count for the rest."""
        return {int(i) for i in np.flatnonzero(self.para_sizes)}


def prepare(text: str, cfg: DedupConfig) -> Prepared:
    words = doc_words(text)
    windows, owners = paragraph_windows(words, cfg.para_shingle_size, cfg.para_min_words)
    # distinct (paragraph, shingle) rows, by hash: one sort for all paragraphs
    para_hashes, para_ids, para_sizes = compiled_sets().distinct_by_hash(windows, owners, len(words.lengths))
    return Prepared(
        shingles=shingle_hashes(words.hashes, cfg.shingle_size),
        n_words=words.lengths,
        digests=tuple(joined_hash(p) for p in words.paragraphs),
        para_hashes=para_hashes,
        para_ids=para_ids,
        para_sizes=para_sizes,
    )


def long_paragraphs(text: str, cfg: DedupConfig) -> set[int]:
    return {int(i) for i in np.flatnonzero(doc_words(text).lengths >= cfg.para_min_words)}


def _intersections(a: Prepared, b: Prepared) -> np.ndarray:
    """(paragraphs of A) x (paragraphs of B) matrix of shared shingle counts."""
    return compiled_sets().group_intersections(
        a.para_hashes, a.para_ids, len(a.n_words), b.para_hashes, b.para_ids, len(b.n_words)
    )


def overlap_of(a: Prepared, b: Prepared, cfg: DedupConfig) -> OverlapResult:
    inter = _intersections(a, b)
    union = a.para_sizes[:, None] + b.para_sizes[None, :] - inter
    both_long = (a.para_sizes[:, None] > 0) & (b.para_sizes[None, :] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(both_long, inter / np.where(union > 0, union, 1), 0.0)
    scored: list[tuple[float, int, int]] = []
    b_by_digest: dict[str, list[int]] = {}
    for j, digest in enumerate(b.digests):
        b_by_digest.setdefault(digest, []).append(j)
    exact = set()
    for i, digest in enumerate(a.digests):
        if a.n_words[i] == 0:
            continue
        for j in b_by_digest.get(digest, ()):
            exact.add((i, j))
            scored.append((1.0, i, j))
    keep = (jac >= cfg.para_threshold) & both_long
    keep[a.n_words == 0, :] = False
    for i, j in zip(*np.nonzero(keep), strict=True):
        if (int(i), int(j)) not in exact:
            scored.append((float(jac[i, j]), int(i), int(j)))
    # greedy one-to-one matching, best first; ties broken by position
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    matches = []
    for score, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches.append(ParagraphMatch(i, j, round(score, 6)))
    total_a = int(a.n_words.sum()) or 1
    total_b = int(b.n_words.sum()) or 1
    return OverlapResult(
        matches=tuple(sorted(matches, key=lambda m: m.para_a)),
        containment_a=int(sum(a.n_words[i] for i in used_a)) / total_a,
        containment_b=int(sum(b.n_words[j] for j in used_b)) / total_b,
    )


def paragraph_overlap(text_a: str, text_b: str, cfg: DedupConfig) -> OverlapResult:
    """The overlap of two texts (for one-off callers; the stage prepares each document once)."""
    return overlap_of(prepare(text_a, cfg), prepare(text_b, cfg), cfg)
