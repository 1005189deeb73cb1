"""Dedup features of one cleaned document: hashes, signatures, paragraphs."""

from __future__ import annotations

import dataclasses

import numpy as np

from cleaners.record import Document, Paragraph
from dedup.config import DedupConfig
from dedup.minhash import WordHasher, shingle_hashes, signature
from dedup.normalize import normalize_words, words_hash


def paragraphs_of(clean_text: str) -> list[str]:
    """Clean text keeps one paragraph per line."""
    return [line for line in clean_text.split("\n") if line.strip()]


def doc_shingles(clean_text: str, cfg: DedupConfig, hasher: WordHasher) -> np.ndarray:
    return shingle_hashes(hasher(normalize_words(clean_text)), cfg.shingle_size)


def para_shingles(paragraph: str, cfg: DedupConfig, hasher: WordHasher) -> np.ndarray:
    return shingle_hashes(hasher(normalize_words(paragraph)), cfg.para_shingle_size)


def fingerprint_document(doc: Document, cfg: DedupConfig, hasher: WordHasher) -> Document:
    words = normalize_words(doc.clean_text)
    shingles = shingle_hashes(hasher(words), cfg.shingle_size)
    paras: list[Paragraph] = []
    para_sigs = np.full((0, cfg.para_num_perm), 0xFFFFFFFF, dtype=np.uint32)
    texts = paragraphs_of(doc.clean_text)
    if texts:
        para_sigs = np.full((len(texts), cfg.para_num_perm), 0xFFFFFFFF, dtype=np.uint32)
    for i, text in enumerate(texts):
        p_words = normalize_words(text)
        paras.append(Paragraph(para_no=i, n_words=len(p_words), norm_hash=words_hash(p_words)))
        if len(p_words) >= cfg.para_min_words:
            p_shingles = shingle_hashes(hasher(p_words), cfg.para_shingle_size)
            para_sigs[i] = signature(p_shingles, cfg.para_num_perm, cfg.seed)
    return dataclasses.replace(
        doc,
        norm_hash=words_hash(words),
        n_words=len(words),
        signature=signature(shingles, cfg.num_perm, cfg.seed),
        paragraphs=tuple(paras),
        para_signatures=para_sigs,
    )


def fingerprint_batch(docs: list[Document], cfg: DedupConfig) -> list[Document]:
    hasher = WordHasher()  # one cache per batch: repeated words hash once
    return [fingerprint_document(d, cfg, hasher) for d in docs]
