"""Reading inputs: files and folders into `Document`s (or `Quarantined`).

Reading never fails a run: an unsupported, unreadable or malformed input
becomes a `Quarantined` value with a reason code and a detail.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlparse

from cleaners.record import KIND_HTML, KIND_TEXT, Document, Quarantined, make_doc_id

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# Optional JSONL fields copied to the document when they are strings.
_JSONL_META = ("url", "title", "published_at", "source", "author", "lang")


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths, recursively, in a stable order."""
    for root in paths:
        root = Path(root)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                for name in sorted(filenames):
                    yield Path(dirpath) / name
        else:
            yield root


def read_path(path: Path) -> list[Document | Quarantined]:
    uri = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        return [Quarantined(uri, "unsupported_type", f"suffix {suffix or '(none)'!r}: sift reads {sorted(SUPPORTED)}")]
    try:
        data = path.read_bytes()
    except OSError as err:
        return [Quarantined(uri, "unreadable", f"{type(err).__name__}: {err.strerror or err}")]
    if suffix in JSONL_SUFFIXES:
        return list(read_jsonl(uri, data))
    kind = KIND_HTML if suffix in HTML_SUFFIXES else KIND_TEXT
    return [
        Document(
            doc_id=make_doc_id(uri, data),
            source_uri=uri,
            source=path.parent.name or ".",
            body_kind=kind,
            raw=data,
            input_path=uri,
        )
    ]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _source_of(record: dict, path: str) -> str:
    if isinstance(record.get("source"), str) and record["source"].strip():
        return record["source"].strip()
    if isinstance(record.get("url"), str):
        host = urlparse(record["url"]).hostname
        if host:
            return host
    return Path(path).parent.name or "."


def read_jsonl(path: str, data: bytes) -> Iterator[Document | Quarantined]:
    """One document per line with `text` or `html`; bad lines are quarantined."""
    for line_no, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        uri = f"{path}#L{line_no}"
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            yield Quarantined(uri, "bad_json", f"line {line_no}: {err}", _sha(line), len(line))
            continue
        if not isinstance(record, dict):
            yield Quarantined(uri, "bad_record", f"line {line_no}: expected an object", _sha(line), len(line))
            continue
        text, html = record.get("text"), record.get("html")
        if isinstance(text, str) and text.strip():
            kind, body = KIND_TEXT, text
        elif isinstance(html, str) and html.strip():
            kind, body = KIND_HTML, html
        else:
            detail = f"line {line_no}: needs a non-empty `text` or `html` string"
            yield Quarantined(uri, "no_text", detail, _sha(line), len(line))
            continue
        meta = {k: record[k] for k in _JSONL_META if isinstance(record.get(k), str) and record[k].strip()}
        yield Document(
            doc_id=make_doc_id(uri, line),
            source_uri=uri,
            source=_source_of(record, path),
            body_kind=kind,
            raw=line,
            input_path=path,
            input_line=line_no,
            body=body,
            encoding="utf-8",
            url=meta.get("url"),
            title=meta.get("title"),
            published_at=meta.get("published_at"),
            author=meta.get("author"),
            lang_hint=meta.get("lang"),
        )
