"""Resource limits on inputs: a typed, validated config with documented defaults,
and the checks that enforce them on decoded documents between stages.

Scraped input is hostile. Every limit here turns an input that would exhaust
memory or time into a quarantined record with a reason code instead of a
crashed or stalled run. The defaults are generous for news pages and feeds
(a large article page is ~2 MB of HTML, its text ~100 kB) and small enough
that a 2-core, 24 GB machine never holds more than a few inputs of this size
at once.

| limit                   | default   | over the limit -> reason                    |
|-------------------------|-----------|---------------------------------------------|
| max_file_bytes          | 32 MiB    | too_large (a .txt/.html file, before read)  |
| max_record_bytes        | 8 MiB     | record_too_large (one JSONL line)           |
| max_line_chars          | 1,000,000 | line_too_long (longest line of text)        |
| max_decompressed_bytes  | 256 MiB   | decompression_bomb (a whole .gz input)      |
| max_compression_ratio   | 100       | decompression_bomb (output / input so far)  |
| max_html_depth          | 200       | html_too_deep (element nesting)             |
| doc_timeout_seconds     | 30        | timeout (cleaning one document)             |

`Limits.from_mapping` builds limits from a config mapping (sizes as integers
or strings like "32 MiB") and fails at start with a message saying how to fix
a bad value; the dataclass itself validates too, so no code path can run with
nonsense limits. The readers enforce the size limits; `check_html_shape` and
`check_line_lengths` are cleaning stages (see cleaners.pipeline); the time
limit is enforced by the pipeline's worker process.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml.html import HTMLParser

from cleaners.errors import InputRejected
from cleaners.record import KIND_HTML, Document

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB

# libxml2 (under lxml, under trafilatura) stops parsing at nesting depth 256
# and silently drops the rest of the page: a limit above that could land a
# truncated page instead of quarantining it.
PARSER_MAX_DEPTH = 255
# A compression ratio is only judged once this much has been decompressed:
# a small file of blank lines legitimately compresses 1000:1, and a bomb
# shows itself long before 1 MiB of output.
RATIO_GRACE_BYTES = 1 * MIB

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?\s*", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1000, "kib": KIB, "mb": 1000**2, "mib": MIB, "gb": 1000**3, "gib": GIB}


class LimitsError(ValueError):
    """A limit value is nonsense; the message says which and how to fix it."""


@dataclass(frozen=True)
class Limits:
    # A single-document file (.txt, .html, or their .gz) larger than this is
    # quarantined without being read: checked on the file size (or on the
    # decompressed size while decompressing).
    max_file_bytes: int = 32 * MIB
    # One JSONL line; JSONL files are streamed line by line, so the file
    # itself may be any size, but no single record is held beyond this.
    max_record_bytes: int = 8 * MIB
    # The longest line of decoded text (a whole .txt of one line, a JSONL
    # text field, or extracted HTML text). Line rules are regexes over
    # lines; a megabyte-long "line" is not prose and costs time in every rule.
    max_line_chars: int = 1_000_000
    # Total bytes a .gz input may decompress to (a .jsonl.gz may hold many
    # documents, so this is larger than max_file_bytes).
    max_decompressed_bytes: int = 256 * MIB
    # Decompressed bytes per compressed byte consumed, judged continuously
    # once RATIO_GRACE_BYTES are out. Text gzips 3-10:1; bombs 1000:1.
    max_compression_ratio: float = 100.0
    # Element nesting depth of an HTML page (news pages: 20-60).
    max_html_depth: int = 200
    # Wall time to clean one document (decode ... language). None disables
    # the limit and runs cleaning in-process (no worker process).
    doc_timeout_seconds: float | None = 30.0

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_record_bytes", "max_line_chars", "max_decompressed_bytes"):
            _positive_int(name, getattr(self, name))
        _positive_int("max_html_depth", self.max_html_depth)
        if self.max_html_depth > PARSER_MAX_DEPTH:
            raise LimitsError(
                f"limits.max_html_depth = {self.max_html_depth} is above {PARSER_MAX_DEPTH}, the depth at which the "
                "HTML parser (libxml2) stops and drops the rest of the page; use a value from 1 to 255"
            )
        ratio = self.max_compression_ratio
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not math.isfinite(ratio) or ratio < 1:
            raise LimitsError(
                f"limits.max_compression_ratio must be a finite number >= 1 (got {ratio!r}); "
                "text compresses 3-10:1, so 100 is a safe choice"
            )
        timeout = self.doc_timeout_seconds
        if timeout is not None and (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not math.isfinite(timeout)
            or timeout <= 0
        ):
            raise LimitsError(
                f"limits.doc_timeout_seconds must be a positive number of seconds, or None to disable "
                f"(got {timeout!r}), e.g. 30"
            )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Limits:
        """Limits from a config mapping; unknown keys and bad values fail with a fix-it message."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise LimitsError(f"unknown limit(s) {unknown}; valid names are {sorted(known)}")
        parsed: dict[str, Any] = {}
        for name, value in values.items():
            if name.endswith("_bytes"):
                parsed[name] = parse_size(name, value)
            elif name == "max_compression_ratio" or (name == "doc_timeout_seconds" and value is not None):
                parsed[name] = _number(name, value)
            else:
                parsed[name] = value
        return cls(**parsed)


def parse_size(name: str, value: Any) -> int:
    """Bytes from an int or a string such as "8 MiB", "500kB", "1048576"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = _SIZE.fullmatch(value)
        if match:
            number, unit = float(match.group(1)), (match.group(2) or "b").lower()
            return int(number * _UNITS[unit])
    raise LimitsError(
        f"limits.{name} must be a size in bytes: an integer or a string like '32 MiB' or '500 kB' (got {value!r})"
    )


def _number(name: str, value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise LimitsError(f"limits.{name} must be a number (got {value!r})")


def _positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise LimitsError(f"limits.{name} must be a positive integer (got {value!r})")


DEFAULT_LIMITS = Limits()


def html_depth_over(html: str, limit: int) -> str | None:
    """Why `html` nests deeper than `limit` elements, or None.

    Parsed as trafilatura parses it (lxml's HTML parser, so implicitly closed
    <p> and <li> count as the browser would count them). The depth probe is
    one XPath step per level, evaluated in C: ~0.05 s on a 1 MB page, against
    seconds of extraction.
    """
    parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True)
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except etree.LxmlError:
        return None  # nothing the parser can build on: extraction will say so
    if any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message.lower() for e in parser.error_log):
        return f"more than {PARSER_MAX_DEPTH} levels: the HTML parser stops there and drops the rest"
    if root is not None and root.xpath("/" + "/".join(["*"] * (limit + 1))):
        return f"more than {limit} levels"
    return None


def _is_json(text: str) -> bool:
    stripped = text.lstrip()
    if stripped[:1] not in ("{", "["):
        return False
    try:
        json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return True


def check_html_shape(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Stage: reject an HTML body that is really JSON, or nested deeper than the limit.

    Runs before extraction: too deep a page would be cut by the parser, and
    the cut would surface as a misleading `no_content`.
    """
    if doc.body_kind != KIND_HTML or doc.body is None:
        return doc
    if _is_json(doc.body):
        raise InputRejected("not_html", f"the HTML input is a JSON document ({len(doc.body)} chars)")
    too_deep = html_depth_over(doc.body, limits.max_html_depth)
    if too_deep is not None:
        raise InputRejected("html_too_deep", f"element nesting {too_deep} (limits.max_html_depth)")
    return doc


def check_line_lengths(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Stage: reject text whose longest line is over `max_line_chars` (before the line rules)."""
    longest = max(map(len, doc.text.split("\n")), default=0)
    if longest > limits.max_line_chars:
        raise InputRejected(
            "line_too_long", f"a line of {longest} characters > {limits.max_line_chars} (limits.max_line_chars)"
        )
    return doc
