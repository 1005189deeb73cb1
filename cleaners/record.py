"""The one record type that flows through every stage.

A `Document` is created by a reader with the verbatim input unit (`raw`) and
provenance; each stage returns a new value with `dataclasses.replace`, never
mutating. A reader or stage that cannot handle an input returns a
`Quarantined` value instead, so nothing is ever dropped silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cleaners.learned_chrome import SourceStats

# Input kinds a reader can produce; the decode stage branches on them.
KIND_TEXT = "text"
KIND_HTML = "html"


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line a cleaning rule removed: kept as data, never silently dropped."""

    line_no: int  # 0-based index into the document's lines before cleaning
    line_text: str
    rule: str  # a reason code from cleaners.reasons

    def __reduce__(self):  # see Paragraph.__reduce__
        return (RemovedLine, (self.line_no, self.line_text, self.rule))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A kept paragraph (one non-blank line of clean text) with its hashes."""

    para_no: int
    n_words: int
    norm_hash: str  # hash of the normalised paragraph, for exact matches

    def __reduce__(self):
        # Every cleaned document crosses a process boundary with ~20 of these.
        # A slots dataclass pickles through __getstate__/__setstate__, which
        # call dataclasses.fields() per object: 15 of them took 50 us to load
        # and 63 to dump, through the constructor 16 and 16.
        return (Paragraph, (self.para_no, self.n_words, self.norm_hash))


@dataclass(frozen=True)
class Document:
    # provenance (set by the reader)
    doc_id: str  # content hash of (source_uri, raw bytes): deterministic
    source_uri: str  # path, or path#L<n> for one line of a JSONL file
    source: str  # grouping key for per-source statistics (site or folder)
    body_kind: str  # KIND_TEXT or KIND_HTML
    raw: bytes  # the verbatim input unit (file bytes or one JSONL line)
    input_path: str = ""
    input_line: int | None = None  # 1-based line in a JSONL file
    # metadata (reader hints, extraction, bylines)
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO 8601 when parseable
    site_name: str | None = None
    lang_hint: str | None = None
    # decode + repair
    body: str | None = None  # payload as text before decoding (JSONL) or after
    encoding: str | None = None
    repairs: tuple[str, ...] = ()
    text: str = ""  # decoded, repaired, extracted: input to the line rules
    # what the warehouse learned about this document's source (its chrome
    # lines only, see SourceStats.chrome_only), set by the flow before
    # cleaning; the line rules read it and clear it
    source_stats: SourceStats | None = field(default=None, repr=False, compare=False)
    # line rules
    clean_text: str = ""
    removed: tuple[RemovedLine, ...] = ()
    # (line hash, line) per distinct short line of `text`: what this document
    # adds to its source's line statistics when it lands (learned_chrome)
    counted_lines: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    # language
    lang: str = "und"
    lang_score: float = 0.0
    # dedup features
    norm_hash: str = ""
    n_words: int = 0
    signature: np.ndarray | None = field(default=None, repr=False, compare=False)
    paragraphs: tuple[Paragraph, ...] = ()
    para_signatures: np.ndarray | None = field(default=None, repr=False, compare=False)
    # sha256 and size of `raw` once it is dropped (without_raw): the flow
    # staged a JSONL record's line when it read it, and only a quarantine
    # needs them after that
    raw_digest: str | None = field(default=None, repr=False, compare=False)
    raw_size: int | None = field(default=None, repr=False, compare=False)

    @property
    def raw_sha256(self) -> str:
        return self.raw_digest if self.raw_digest is not None else hashlib.sha256(self.raw).hexdigest()

    @property
    def raw_length(self) -> int:
        return self.raw_size if self.raw_size is not None else len(self.raw)

    def without_raw(self) -> Document:
        """This document without its raw bytes, their sha256 and size kept."""
        if self.raw_digest is not None:
            return self
        return dataclasses.replace(self, raw=b"", raw_digest=self.raw_sha256, raw_size=len(self.raw))


def without_intermediates(doc: Document, keep_raw: bool = True) -> Document:
    """`doc` without the decoded and extracted texts only the cleaning stages read
    (`body`, `text`), and without `raw` unless `keep_raw`: what a cleaned batch
    carries on to dedup and the warehouse (about a third of the bytes)."""
    raw = doc.raw if keep_raw else b""
    if doc.body is None and not doc.text and raw is doc.raw:
        return doc
    return dataclasses.replace(doc, body=None, text="", raw=raw)


@dataclass(frozen=True)
class Quarantined:
    """An input (or one record of it) that could not be processed, and why."""

    source_uri: str
    reason: str  # a short code, e.g. unsupported_type, decode_error
    detail: str
    raw_sha256: str | None = None
    size: int | None = None


def make_doc_id(source_uri: str, raw: bytes) -> str:
    """Deterministic id: the same input at the same place always maps here."""
    h = hashlib.sha256()
    h.update(source_uri.encode("utf-8", "surrogateescape"))
    h.update(b"\0")
    h.update(raw)
    return h.hexdigest()[:20]
