"""Dedup features of one cleaned document: hashes, signatures, paragraphs.

Words are normalised and hashed once per paragraph; the document's word
sequence is their concatenation (normalisation splits on newlines anyway),
and all paragraph signatures come from one matrix operation.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cleaners.record import Document, Paragraph
from dedup.config import DedupConfig
from dedup.minhash import WordHasher, grouped_signatures, shingle_hashes, signature, window_hashes
from dedup.normalize import normalize_words, words_hash

_EMPTY = 0xFFFFFFFF


def paragraphs_of(clean_text: str) -> list[str]:
    """Clean text keeps one paragraph per line."""
    return [line for line in clean_text.split("\n") if line.strip()]


def doc_shingles(clean_text: str, cfg: DedupConfig, hasher: WordHasher) -> np.ndarray:
    return shingle_hashes(hasher(normalize_words(clean_text)), cfg.shingle_size)


def _paragraph_signatures(lengths: list[int], all_hashes: np.ndarray, cfg: DedupConfig) -> np.ndarray:
    """Signatures of every long paragraph, from one pass over the document's words.

    Windows of k words are hashed over the whole document once; those that
    cross a paragraph boundary or lie in a short paragraph are dropped.
    """
    sigs = np.full((len(lengths), cfg.para_num_perm), _EMPTY, dtype=np.uint32)
    k = cfg.para_shingle_size
    windows = window_hashes(all_hashes, k)
    if len(windows) == 0:
        return sigs
    para_of_word = np.repeat(np.arange(len(lengths)), lengths)
    first, last = para_of_word[: len(windows)], para_of_word[k - 1 :]
    is_long = np.asarray(lengths) >= cfg.para_min_words
    keep = (first == last) & is_long[first]
    if not keep.any():
        return sigs
    owners = first[keep]  # sorted: windows come in document order
    long_ids, starts = np.unique(owners, return_index=True)
    sigs[long_ids] = grouped_signatures(windows[keep], starts, cfg.para_num_perm, cfg.seed)
    return sigs


def fingerprint_document(doc: Document, cfg: DedupConfig, hasher: WordHasher) -> Document:
    para_words = [normalize_words(p) for p in paragraphs_of(doc.clean_text)]
    words = [w for ws in para_words for w in ws]
    all_hashes = hasher(words)
    shingles = shingle_hashes(all_hashes, cfg.shingle_size)
    paras = tuple(Paragraph(para_no=i, n_words=len(ws), norm_hash=words_hash(ws)) for i, ws in enumerate(para_words))
    return dataclasses.replace(
        doc,
        norm_hash=words_hash(words),
        n_words=len(words),
        signature=signature(shingles, cfg.num_perm, cfg.seed),
        paragraphs=paras,
        para_signatures=_paragraph_signatures([len(w) for w in para_words], all_hashes, cfg),
    )


# One per process: a cleaning worker fingerprints every document it cleans.
_PROCESS_HASHER = WordHasher()


def fingerprint_stage(doc: Document, cfg: DedupConfig) -> Document:
    """`fingerprint_document` as a cleaning stage (see flows.steps.prepare_stages):
    it then runs in the cleaning worker, in parallel, not under the flow's GIL."""
    return fingerprint_document(doc, cfg, _PROCESS_HASHER)


def fingerprint_batch(docs: list[Document], cfg: DedupConfig) -> list[Document]:
    hasher = WordHasher()  # one cache per batch: repeated words hash once
    return [fingerprint_document(d, cfg, hasher) for d in docs]
