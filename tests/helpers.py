"""Small builders shared by tests (no fixtures from ../shared)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from cleaners.record import KIND_TEXT, Document, make_doc_id
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_batch
from warehouse.load import RunInfo


def clean_doc(uri: str, clean_text: str, **meta) -> Document:
    raw = clean_text.encode()
    doc = Document(
        doc_id=make_doc_id(uri, raw), source_uri=uri, source="t", body_kind=KIND_TEXT, raw=raw, input_path=uri
    )
    return dataclasses.replace(doc, text=clean_text, clean_text=clean_text, lang="en", lang_score=0.99, **meta)


def fingerprinted(docs: list[Document], cfg: DedupConfig | None = None) -> list[Document]:
    return fingerprint_batch(docs, cfg or DedupConfig())


def run_info(run_id: str, when: datetime | None = None) -> RunInfo:
    return RunInfo(run_id=run_id, started_at=when or datetime(2024, 5, 1, 12, 0), rules_version="r-test")


def essay(seed: int, n_paragraphs: int = 6, words: int = 40) -> list[str]:
    """Deterministic distinct paragraphs: different seeds share no 5-gram."""
    return [
        " ".join(f"w{seed}x{p}y{i}" if i % 3 else f"common{i % 7}" for i in range(words)) for p in range(n_paragraphs)
    ]
