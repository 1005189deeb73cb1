"""Dedup features of one cleaned document: hashes, signatures, paragraphs.

Words are normalised and hashed once (dedup.words); all paragraph signatures
come from one matrix operation over the document's windows.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cleaners.record import Document, Paragraph
from dedup.config import DedupConfig
from dedup.minhash import grouped_signatures, shingle_hashes, shingle_windows, signature
from dedup.normalize import joined_hash
from dedup.words import DocWords, doc_words, paragraph_windows

_EMPTY = 0xFFFFFFFF


def doc_shingles(clean_text: str, cfg: DedupConfig) -> np.ndarray:
    """Distinct shingle hashes of the whole text, sorted (for exact Jaccard)."""
    return shingle_hashes(doc_words(clean_text).hashes, cfg.shingle_size)


def _paragraph_signatures(words: DocWords, cfg: DedupConfig) -> np.ndarray:
    """Signatures of every long paragraph (short ones keep the empty signature)."""
    sigs = np.full((len(words.lengths), cfg.para_num_perm), _EMPTY, dtype=np.uint32)
    windows, owners = paragraph_windows(words, cfg.para_shingle_size, cfg.para_min_words)
    if len(windows) == 0:
        return sigs
    # owners come sorted: each long paragraph's windows start where its number first appears
    starts = np.flatnonzero(np.diff(owners, prepend=-1))
    long_ids = owners[starts]
    sigs[long_ids] = grouped_signatures(windows, starts, cfg.para_num_perm, cfg.seed)
    return sigs


def fingerprint_document(doc: Document, cfg: DedupConfig) -> Document:
    words = doc_words(doc.clean_text)
    paras = tuple(
        Paragraph(para_no=i, n_words=n, norm_hash=joined_hash(p))
        for i, (p, n) in enumerate(zip(words.paragraphs, words.lengths.tolist(), strict=True))  # ints, not numpy's
    )
    return dataclasses.replace(
        doc,
        norm_hash=joined_hash(words.joined),
        n_words=words.n_words,
        signature=signature(shingle_windows(words.hashes, cfg.shingle_size), cfg.num_perm, cfg.seed),
        paragraphs=paras,
        para_signatures=_paragraph_signatures(words, cfg),
    )


def fingerprint_stage(doc: Document, cfg: DedupConfig) -> Document:
    """`fingerprint_document` as a cleaning stage (see flows.steps.prepare_stages):
    it then runs in the cleaning worker, in parallel, not under the flow's GIL."""
    return fingerprint_document(doc, cfg)


def fingerprint_batch(docs: list[Document], cfg: DedupConfig) -> list[Document]:
    return [fingerprint_document(d, cfg) for d in docs]
