"""The cleaning chain for one document, and for a batch.

decode -> repair -> extract main content -> line rules -> dates, title -> language. A stage
that rejects a record raises `InputRejected`; the chain turns it into a
`Quarantined` value so the batch (and the run) goes on.
"""

from __future__ import annotations

from collections.abc import Iterable

from cleaners.dates import normalize_dates
from cleaners.decode import decode_document
from cleaners.errors import InputRejected
from cleaners.html_extract import extract_document
from cleaners.language import detect_document
from cleaners.lines import apply_line_rules
from cleaners.record import Document, Quarantined
from cleaners.repair import repair_document
from cleaners.title import infer_title

STAGES = (decode_document, repair_document, extract_document, apply_line_rules, normalize_dates, infer_title)


def clean_document(doc: Document) -> Document | Quarantined:
    try:
        for stage in STAGES:
            doc = stage(doc)
    except InputRejected as err:
        return Quarantined(doc.source_uri, err.reason, err.detail, doc.raw_sha256, len(doc.raw))
    if not doc.clean_text.strip():
        # Everything was chrome: keep the evidence in the quarantine detail.
        rules = sorted({r.rule for r in doc.removed})
        detail = f"no text left after cleaning ({len(doc.removed)} lines removed by {rules or 'none'})"
        return Quarantined(doc.source_uri, "empty_after_cleaning", detail, doc.raw_sha256, len(doc.raw))
    return detect_document(doc)


def clean_batch(docs: Iterable[Document]) -> tuple[list[Document], list[Quarantined]]:
    kept: list[Document] = []
    quarantined: list[Quarantined] = []
    for doc in docs:
        out = clean_document(doc)
        (quarantined if isinstance(out, Quarantined) else kept).append(out)
    return kept, quarantined
