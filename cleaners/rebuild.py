"""A landed document's `Document`, rebuilt from its verbatim raw input.

`sift reclean` cleans landed documents again. It starts from what a reader
made of the input, exactly as the ingest did: the raw bytes of a file (or
one JSONL line) as stored in `raw.inputs`, and the provenance stored with
them. The JSONL line goes through the reader's own record parser, so its
metadata (url, title, published_at, author, lang) is read the same way.

The doc_id is a content hash of (source_uri, raw bytes), so a rebuild must
reproduce it; one that does not (a raw row that does not match its document)
is quarantined, never cleaned under the wrong id.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from cleaners.readers import HTML_SUFFIXES, _format_of, _jsonl_record
from cleaners.record import KIND_HTML, KIND_TEXT, Document, Quarantined, make_doc_id


@dataclasses.dataclass(frozen=True)
class RawRow:
    """A landed document's provenance and its raw.inputs row (content None when that row is missing)."""

    doc_id: str
    source_uri: str
    source: str  # as landed: the grouping key the per-source statistics counted it under
    path: str | None
    line_no: int | None  # 1-based line of a JSONL record; None for a whole file
    content: bytes | None


def _reject(row: RawRow, reason: str, detail: str) -> Quarantined:
    data = row.content
    sha = None if data is None else hashlib.sha256(data).hexdigest()
    return Quarantined(row.source_uri, reason, detail, sha, None if data is None else len(data))


def document_from_raw(row: RawRow) -> Document | Quarantined:
    """The `Document` the reader made of this input, before any cleaning stage."""
    if row.content is None or row.path is None:
        return _reject(row, "reclean_no_raw", f"document {row.doc_id} has no raw.inputs row to re-clean from")
    raw = bytes(row.content)
    if row.line_no is not None:
        doc = _jsonl_record(row.path, row.line_no, raw)
        if doc is None:
            return _reject(row, "reclean_bad_raw", f"line {row.line_no} of {row.path} is blank")
        if isinstance(doc, Quarantined):
            return doc
    else:
        suffix, _gzipped = _format_of(Path(row.path))
        doc = Document(
            doc_id=make_doc_id(row.source_uri, raw),
            source_uri=row.source_uri,
            source=row.source,
            body_kind=KIND_HTML if suffix in HTML_SUFFIXES else KIND_TEXT,
            raw=raw,
            input_path=row.path,
        )
    if doc.doc_id != row.doc_id or doc.source_uri != row.source_uri:
        detail = f"raw input rebuilds as {doc.doc_id} ({doc.source_uri}), not as document {row.doc_id}"
        return _reject(row, "reclean_raw_mismatch", detail)
    return dataclasses.replace(doc, source=row.source)
