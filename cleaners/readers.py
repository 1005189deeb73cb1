"""Reading inputs: files and folders into `Document`s (or `Quarantined`).

Reading never fails a run: an unsupported, unreadable, oversized or
malformed input becomes a `Quarantined` value with a reason code and a
detail. Every input unit (a file, or one line of a JSONL file) yields exactly
one value, so inputs = documents + quarantined holds per file.

Sizes are bounded before memory is spent (see cleaners.limits): a .txt/.html
file is rejected on its size before it is read; JSONL is streamed line by
line and no line is held beyond `max_record_bytes`; .gz inputs are
decompressed as a stream that stops at `max_decompressed_bytes` or at
`max_compression_ratio`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from cleaners.decode import wide_encoding
from cleaners.errors import InputRejected
from cleaners.limits import DEFAULT_LIMITS, RATIO_GRACE_BYTES, Limits
from cleaners.record import KIND_HTML, KIND_TEXT, Document, Quarantined, make_doc_id
from cleaners.safe_paths import discover_files, storable_text, uri_text

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
GZIP_SUFFIX = ".gz"
# Optional JSONL fields copied to the document when they are strings.
_JSONL_META = ("url", "title", "published_at", "source", "author", "lang")
_READ_CHUNK = 1024 * 1024
# What a damaged .gz raises from inside the gzip module.
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths, recursively, in a stable order (see cleaners.safe_paths)."""
    return discover_files(paths)


def _format_of(path: Path) -> tuple[str, bool]:
    """(inner suffix, gzipped) of a path: "a.jsonl.gz" -> (".jsonl", True)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == GZIP_SUFFIX:
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def _open_input(path: Path, follow_links: bool) -> int:
    """An fd for reading; the seam tests use to simulate unreadable files.

    O_NONBLOCK so that a FIFO that slipped past discovery cannot block the
    open; O_NOFOLLOW for walked paths (see FoundPath.follow_links).
    """
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK
    if not follow_links:
        flags |= os.O_NOFOLLOW
    return os.open(path, flags)


class _CountingReader:
    """A file wrapper counting the compressed bytes the gzip module consumed."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.consumed += len(data)
        return data


class CappedGunzip(io.RawIOBase):
    """Decompresses a gzip stream, refusing to produce more than the limits allow.

    Output is produced on demand (the gzip module inflates at most what is
    asked for), so a bomb is stopped after at most one chunk past the limit.
    """

    def __init__(self, raw: BinaryIO, limits: Limits) -> None:
        self._counter = _CountingReader(raw)
        self._gz = gzip.GzipFile(fileobj=self._counter, mode="rb")
        self._limits = limits
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            # read1: what is decompressed so far, so the lines before a
            # truncation or a bomb are still handed on.
            data = self._gz.read1(len(buffer))
        except _GZIP_ERRORS as err:
            raise InputRejected("bad_gzip", f"{type(err).__name__}: {err}") from None
        n = len(data)
        buffer[:n] = data
        self.produced += n
        lim = self._limits
        if self.produced > lim.max_decompressed_bytes:
            raise InputRejected(
                "decompression_bomb",
                f"decompresses past {lim.max_decompressed_bytes} bytes (limits.max_decompressed_bytes)",
            )
        ratio = self.produced / max(self._counter.consumed, 1)
        if self.produced > RATIO_GRACE_BYTES and ratio > lim.max_compression_ratio:
            raise InputRejected(
                "decompression_bomb",
                f"{self.produced} bytes out of {self._counter.consumed} compressed: ratio {ratio:.0f} > "
                f"{lim.max_compression_ratio:g} (limits.max_compression_ratio)",
            )
        return n


def _read_capped(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputRejected("too_large", f"more than {limit} bytes (limits.max_file_bytes)")
    return data


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Document | Quarantined]:
    """Every input unit of one file: one value per file, or per JSONL line."""
    return list(iter_path(path, limits))


def iter_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Document | Quarantined]:
    uri = uri_text(str(path))
    problem = getattr(path, "problem", None)
    if problem is not None:
        yield Quarantined(uri, *problem)
        return
    suffix, gzipped = _format_of(path)
    if suffix not in SUPPORTED:
        shown = suffix + GZIP_SUFFIX if gzipped else suffix
        yield Quarantined(uri, "unsupported_type", f"suffix {shown or '(none)'!r}: sift reads {sorted(SUPPORTED)}")
        return
    try:
        fd = _open_input(path, getattr(path, "follow_links", True))
    except OSError as err:
        yield Quarantined(uri, "unreadable", f"{type(err).__name__}: {err.strerror or err}")
        return
    with open(fd, "rb", buffering=_READ_CHUNK) as file:
        mode, size = (st := os.fstat(fd)).st_mode, st.st_size
        if not stat.S_ISREG(mode):
            yield Quarantined(uri, "not_a_regular_file", "only regular files are read", None, None)
            return
        stream: BinaryIO = io.BufferedReader(CappedGunzip(file, limits), _READ_CHUNK) if gzipped else file
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl_file(uri, stream, limits)
            return
        try:
            if not gzipped and size > limits.max_file_bytes:
                raise InputRejected("too_large", f"{size} bytes > {limits.max_file_bytes} (limits.max_file_bytes)")
            data = _read_capped(stream, limits.max_file_bytes)
        except InputRejected as err:
            yield Quarantined(uri, err.reason, err.detail, None, size)
            return
        except OSError as err:
            yield Quarantined(uri, "unreadable", f"{type(err).__name__}: {err.strerror or err}", None, size)
            return
    kind = KIND_HTML if suffix in HTML_SUFFIXES else KIND_TEXT
    yield Document(
        doc_id=make_doc_id(uri, data),
        source_uri=uri,
        source=uri_text(path.parent.name) or ".",
        body_kind=kind,
        raw=data,
        input_path=uri,
    )


def _read_jsonl_file(uri: str, stream: BinaryIO, limits: Limits) -> Iterator[Document | Quarantined]:
    """Stream a JSONL file; a read error or bomb ends it with one quarantined value for the rest."""
    line_no = n_items = 0
    try:
        for line_no, line, size in _lines(stream, limits.max_record_bytes):
            if line is None:
                detail = f"line {line_no}: {size} bytes > {limits.max_record_bytes} (limits.max_record_bytes)"
                n_items += 1
                yield Quarantined(f"{uri}#L{line_no}", "record_too_large", detail, None, size)
            elif line_no == 1 and (wide := wide_encoding(line)):
                # JSONL is UTF-8 (RFC 8259); UTF-16 would fail line by line, misleadingly
                detail = f"JSONL must be UTF-8; this file is {wide} (convert it: iconv -f {wide} -t UTF-8)"
                yield Quarantined(uri, "unsupported_encoding", detail)
                return
            elif record := _jsonl_record(uri, line_no, line):
                n_items += 1
                yield record
    except InputRejected as err:
        yield Quarantined(uri, err.reason, f"after line {line_no}: {err.detail}")
        return
    except OSError as err:
        yield Quarantined(uri, "unreadable", f"after line {line_no}: {type(err).__name__}: {err.strerror or err}")
        return
    if n_items == 0:  # an input file always accounts for itself, even with no records in it
        yield Quarantined(uri, "empty", f"no JSONL records in {line_no} line(s)")


def _lines(stream: BinaryIO, max_len: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(1-based line number, line without its "\\n" or None if too long, size in bytes)."""
    line_no = 0
    while line := stream.readline(max_len + 1):
        line_no += 1
        if line.endswith(b"\n"):
            yield line_no, line[:-1], len(line) - 1
        elif len(line) <= max_len:
            yield line_no, line, len(line)  # the last line, without a newline
        else:
            size = len(line)
            while (more := stream.readline(_READ_CHUNK)) and not more.endswith(b"\n"):
                size += len(more)  # skip the rest of the long line without holding it
            yield line_no, None, size + len(more.rstrip(b"\n"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _source_of(record: dict, path: str) -> str:
    if isinstance(record.get("source"), str) and record["source"].strip():
        return storable_text(record["source"].strip())
    if isinstance(record.get("url"), str):
        try:
            host = urlparse(record["url"]).hostname
        except ValueError:  # "http://[::1" and other malformed netlocs
            host = None
        if host:
            return storable_text(host)
    return uri_text(Path(path).parent.name) or "."


def read_jsonl(path: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Iterator[Document | Quarantined]:
    """One document per line of in-memory JSONL `data` (see `_jsonl_record`)."""
    return _read_jsonl_file(path, io.BytesIO(data), limits)


def _jsonl_record(path: str, line_no: int, line: bytes) -> Document | Quarantined | None:
    """One document per line with `text` or `html`; bad lines are quarantined, blank ones are layout."""
    if not line.strip():
        return None
    uri = f"{path}#L{line_no}"
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return Quarantined(uri, "bad_json", storable_text(f"line {line_no}: {err}"), _sha(line), len(line))
    except RecursionError:  # "[[[[..." nested deeper than the parser's stack
        return Quarantined(uri, "bad_json", f"line {line_no}: nested too deeply", _sha(line), len(line))
    if not isinstance(record, dict):
        return Quarantined(uri, "bad_record", f"line {line_no}: expected an object", _sha(line), len(line))
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        kind, body = KIND_TEXT, text
    elif isinstance(html, str) and html.strip():
        kind, body = KIND_HTML, html
    else:
        detail = f"line {line_no}: needs a non-empty `text` or `html` string"
        return Quarantined(uri, "no_text", detail, _sha(line), len(line))
    meta = {k: storable_text(record[k]) for k in _JSONL_META if isinstance(record.get(k), str) and record[k].strip()}
    return Document(
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
