"""A document's normalised words, per paragraph, hashed once.

Clean text keeps one paragraph per line. Each paragraph is normalised to its
words joined by single spaces; the document's words are their concatenation
(normalisation splits on newlines anyway), and every word of the document is
hashed in one numpy pass (dedup.minhash.hash_joined). Fingerprinting, the
verification of candidates and `sift explain` all start from here, so they
agree on every word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.minhash import compiled, hash_joined
from dedup.normalize import normalize_paragraphs


def paragraphs_of(clean_text: str) -> list[str]:
    """Clean text keeps one paragraph per line."""
    return [line for line in clean_text.split("\n") if line.strip()]


@dataclass(frozen=True)
class DocWords:
    paragraphs: tuple[str, ...]  # each paragraph's normalised words, space-separated ("" if none)
    lengths: np.ndarray  # words per paragraph (int64)
    joined: str  # the document's normalised words, space-separated
    hashes: np.ndarray  # uint64 hash of every word of `joined`, in order

    @property
    def n_words(self) -> int:
        return len(self.hashes)


def doc_words(clean_text: str) -> DocWords:
    paragraphs = tuple(normalize_paragraphs(paragraphs_of(clean_text)))
    lengths = np.fromiter((p.count(" ") + 1 if p else 0 for p in paragraphs), dtype=np.int64, count=len(paragraphs))
    joined = " ".join(p for p in paragraphs if p)
    return DocWords(paragraphs, lengths, joined, hash_joined(joined))


def paragraph_windows(words: DocWords, k: int, min_words: int) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, paragraph) of the k-word windows inside each paragraph of at least `min_words` words.

    Each window is hashed as window_hashes hashes it over the whole document;
    windows that would cross a paragraph boundary or lie in a short paragraph
    are never made. Both arrays are in document order, so the paragraph
    numbers come sorted.
    """
    return compiled().paragraph_windows(words.hashes, words.lengths, k, min_words)
