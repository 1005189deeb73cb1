"""JSONL records are cleaned without their raw line; a quarantine still names it; what crosses to and from a worker."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle

from cleaners.pipeline import clean_batch
from cleaners.readers import read_jsonl
from cleaners.record import Document, Paragraph, RemovedLine

LINES = (
    b'{"url": "https://example.com/a", "text": "The harbour opened at dawn and the boats came in."}\n'
    b'{"url": "https://example.com/b", "text": "Advertisement\\nBaca juga: Harga cabai naik lagi"}\n'
)


def _records() -> list[Document]:
    docs = list(read_jsonl("feed.jsonl", LINES))
    assert all(isinstance(d, Document) and d.body is not None for d in docs)
    return docs


def test_without_raw_keeps_the_digest_and_size_of_the_line() -> None:
    doc = _records()[0]
    light = doc.without_raw()
    assert light.raw == b""
    assert (light.raw_sha256, light.raw_length) == (hashlib.sha256(doc.raw).hexdigest(), len(doc.raw))
    assert light.doc_id == doc.doc_id and light.body == doc.body
    assert light.without_raw() is light


def test_a_record_quarantined_in_cleaning_names_its_line_by_digest_and_size() -> None:
    docs = _records()
    kept, quarantined = clean_batch([d.without_raw() for d in docs], keep_raw=False)
    assert [d.doc_id for d in kept] == [docs[0].doc_id]
    assert "harbour" in kept[0].clean_text
    (blank,) = quarantined
    assert blank.reason == "empty_after_cleaning"  # all chrome
    assert (blank.raw_sha256, blank.size) == (hashlib.sha256(docs[1].raw).hexdigest(), len(docs[1].raw))


def test_a_cleaned_document_crosses_a_pickle_unchanged():
    doc = dataclasses.replace(
        _records()[0],
        removed=(RemovedLine(4, "Baca juga: another story", "teaser_link"), RemovedLine(9, "Iklan", "advertisement")),
        paragraphs=(Paragraph(0, 12, "a1b2"), Paragraph(1, 30, "c3d4")),
    )
    back = pickle.loads(pickle.dumps(doc))
    assert back == doc
    assert back.removed[0].line_no == 4 and back.removed[0].rule == "teaser_link"
    assert back.paragraphs[1] == Paragraph(para_no=1, n_words=30, norm_hash="c3d4")
