"""Main-content extraction from HTML with trafilatura, plus page metadata.

The page is parsed once (trafilatura's own loader, lxml underneath); the tree
gives us `<html lang>`, loses what the page hides and has its repeated blocks
marked (cleaners/html_prepare.py), and is then handed to `bare_extraction`,
which works on a copy. Output text has one paragraph (or table row) per line.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document as TrafilaturaDocument

from cleaners.errors import InputRejected
from cleaners.html_extract_worker import run_bounded
from cleaners.html_prepare import drop_hidden, mark_repeats, unmark
from cleaners.record import KIND_HTML, Document

# A BCP 47-ish tag: "en", "en-US", "zh-Hant-TW". Template junk such as
# "{{lang}}" or "undefined" in a lang attribute is no evidence at all.
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_LANG_SENTINELS = {"und", "mul", "zxx", "xx"}
# trafilatura renders tables as markdown; the "|---|---|" rule under the
# header row is layout, not text.
_TABLE_RULE = re.compile(r"\|(?:\s*:?-+:?\s*\|)+")
# Per-page limit on extraction, in seconds. Both passes over a typical news
# page take 0.1-0.5 s and the slowest page of the evaluation sets ~3 s on
# this 2-core machine; a page still running after 20 s is pathological.
EXTRACT_TIMEOUT_S = 20.0
TIMEOUT_ENV = "SIFT_EXTRACT_TIMEOUT_S"
# The precise pass must keep this share of the full pass's words for its
# article boundaries to be trusted (see trim_to_precise_span).
PRECISE_MIN_SHARE = 0.25
# A line of this many words ending a sentence is article prose (see
# trim_to_precise_span); teasers and widget text are shorter.
PROSE_MIN_WORDS = 30


@dataclass(frozen=True)
class ExtractResult:
    text: str  # main content, one paragraph per line, no blank lines
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 date as trafilatura/htmldate gives it
    url: str | None = None  # canonical URL when the page declares one
    site_name: str | None = None
    lang: str | None = None  # the page's declared language tag, e.g. "en-US"


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(unmark(value).split())
    return value or None


def _normalize_lang(value: str | None) -> str | None:
    if not value:
        return None
    tag = value.strip().replace("_", "-")
    # content-language may list several ("en, fr"): the first is the primary.
    tag = tag.split(",")[0].strip()
    if not _LANG_TAG.fullmatch(tag) or tag.lower() in _LANG_SENTINELS:
        return None
    return tag


def declared_lang(tree: HtmlElement) -> str | None:
    """`<html lang>`, else `xml:lang`, else `<meta http-equiv=content-language>`."""
    root = tree.getroottree().getroot()
    for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        lang = _normalize_lang(root.get(attr))
        if lang:
            return lang
    for content in root.xpath("//meta[translate(@http-equiv,'CONTENTLAGU','contentlagu')='content-language']/@content"):
        lang = _normalize_lang(str(content))
        if lang:
            return lang
    return None


def _tidy_lines(text: str) -> str:
    """One non-blank, trimmed line per paragraph; table rows lose outer pipes."""
    lines = []
    for raw_line in unmark(text).split("\n"):
        line = raw_line.strip()
        if not line or _TABLE_RULE.fullmatch(line):
            continue
        if len(line) > 1 and line.startswith("|") and line.endswith("|"):
            line = line[1:-1].strip()
        lines.append(line)
    return "\n".join(lines)


def _load_tree(html: str) -> HtmlElement:
    tree = trafilatura.load_html(html)
    if tree is None and html.strip():
        # trafilatura refuses a body fragment ("<p>..</p><p>..</p>", as in
        # feeds' content fields) that does not mention "html" in its first
        # 50 chars; wrapped in a document it extracts normally.
        tree = trafilatura.load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        raise InputRejected("no_content", f"not parseable as HTML ({len(html)} chars)")
    return tree


def _extract(tree: HtmlElement, url: str | None, favor_precision: bool) -> TrafilaturaDocument | None:
    # bare_extraction works on a copy of the tree, so one parse serves both passes
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,  # reader comments are not the article
        include_tables=True,  # data tables are often the content
        favor_precision=favor_precision,
        output_format="python",
    )


def trim_to_precise_span(full: list[str], precise: list[str]) -> list[str]:
    """`full` without the head and tail lines that the precise pass dropped.

    trafilatura's precision mode is right about what surrounds an article
    (lists of other stories, previous editions, "more from" blocks) but
    sometimes drops whole sections inside it, or nearly everything. So the
    precise pass only decides where the article starts and ends: lines of the
    full pass before the first / after the last line the precise pass kept
    go, everything between stays. When the precise pass kept less than
    PRECISE_MIN_SHARE of the full pass's words it lost the article, and the
    full pass stands.
    """
    # match the precise lines in order (each at the first full line after the
    # previous match), so a line repeated later in the page ("-", a title in
    # a list of other editions) cannot stretch the span
    inside: list[int] = []
    cursor = 0
    positions: dict[str, list[int]] = {}
    for i, line in enumerate(full):
        positions.setdefault(line, []).append(i)
    for line in precise:
        later = [i for i in positions.get(line, ()) if i >= cursor]
        if later:
            inside.append(later[0])
            cursor = later[0] + 1
    if not inside:
        return full
    words = sum(len(line.split()) for line in full)
    start, end = inside[0], inside[-1] + 1
    if sum(len(line.split()) for line in full[start:end]) < PRECISE_MIN_SHARE * words:
        return full
    # the precise pass also drops a first or last paragraph now and then; a
    # long sentence-ending paragraph right outside the span is the article's
    while start > 0 and _is_prose(full[start - 1]):
        start -= 1
    while end < len(full) and _is_prose(full[end]):
        end += 1
    return full[start:end]


def _is_prose(line: str) -> bool:
    return len(line.split()) >= PROSE_MIN_WORDS and line.rstrip("\"'”’)").endswith((".", "!", "?", "…"))


def extract_html_unbounded(html: str, url: str | None = None) -> ExtractResult:
    """extract_html without a time limit, in this process (see extract_html)."""
    tree = _load_tree(html)
    lang = declared_lang(tree)
    drop_hidden(tree)
    mark_repeats(tree)
    result = _extract(tree, url, favor_precision=False)
    full = _tidy_lines(result.text or "").split("\n") if result is not None else []
    if any(full):
        precise_result = _extract(tree, url, favor_precision=True)
        precise = _tidy_lines(precise_result.text or "").split("\n") if precise_result is not None else []
        full = trim_to_precise_span(full, precise)
    text = "\n".join(line for line in full if line)
    if result is None or not text:
        raise InputRejected("no_content", f"no main text found in {len(html)} chars of HTML")
    return ExtractResult(
        text=text,
        title=_clean_field(result.title),
        author=_clean_field(result.author),
        date=_clean_field(result.date),
        url=_clean_field(result.url),
        site_name=_clean_field(result.sitename),
        lang=lang,
    )


def extract_html(html: str, url: str | None = None, timeout_s: float | None = EXTRACT_TIMEOUT_S) -> ExtractResult:
    """Extract the main text and metadata of one HTML page.

    Raises InputRejected("no_content") when the page does not parse or
    trafilatura finds no main text (navigation-only pages, empty shells), and
    InputRejected("timeout") when extraction takes longer than `timeout_s`
    seconds (None: no limit, run in this process).
    """
    if timeout_s is None:
        return extract_html_unbounded(html, url)
    return run_bounded(html, url, timeout_s)


def extraction_timeout() -> float | None:
    """EXTRACT_TIMEOUT_S, or SIFT_EXTRACT_TIMEOUT_S from the environment.

    "0" turns the helper process off: for a caller that already runs the
    whole cleaning chain in a killable worker process (cleaners/pipeline.py),
    a second process per page would only add a pickle round trip.
    """
    value = os.environ.get(TIMEOUT_ENV)
    if value is None:
        return EXTRACT_TIMEOUT_S
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{TIMEOUT_ENV}={value!r}: give seconds as a number, or 0 for no helper process") from None
    return seconds if seconds > 0 else None


def extract_document(doc: Document) -> Document:
    """Set `text`; for HTML also fill metadata the reader did not provide.

    Reader-provided fields (e.g. JSONL `title`, `url`) win over what the page
    says: they come from the crawl record, which knows where the page was
    fetched from.
    """
    if doc.body is None:
        raise ValueError(f"{doc.source_uri}: extract_document needs a decoded body")
    if doc.body_kind != KIND_HTML:
        return dataclasses.replace(doc, text=doc.body)
    found = extract_html(doc.body, doc.url, extraction_timeout())
    return dataclasses.replace(
        doc,
        text=found.text,
        title=doc.title or found.title,
        author=doc.author or found.author,
        published_at=doc.published_at or found.date,
        url=doc.url or found.url,
        site_name=doc.site_name or found.site_name,
        lang_hint=doc.lang_hint or found.lang,
    )
