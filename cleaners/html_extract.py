"""Main-content extraction from HTML with trafilatura, plus page metadata.

The page is parsed once (trafilatura's own loader, lxml underneath); the tree
gives us `<html lang>` and is then handed to `bare_extraction`, which works
on a copy. Output text has one paragraph (or table row) per line.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from cleaners.errors import InputRejected
from cleaners.record import KIND_HTML, Document

# A BCP 47-ish tag: "en", "en-US", "zh-Hant-TW". Template junk such as
# "{{lang}}" or "undefined" in a lang attribute is no evidence at all.
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_LANG_SENTINELS = {"und", "mul", "zxx", "xx"}
# trafilatura renders tables as markdown; the "|---|---|" rule under the
# header row is layout, not text.
_TABLE_RULE = re.compile(r"\|(?:\s*:?-+:?\s*\|)+")


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
    value = " ".join(value.split())
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
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line or _TABLE_RULE.fullmatch(line):
            continue
        if len(line) > 1 and line.startswith("|") and line.endswith("|"):
            line = line[1:-1].strip()
        lines.append(line)
    return "\n".join(lines)


def extract_html(html: str, url: str | None = None) -> ExtractResult:
    """Extract the main text and metadata of one HTML page.

    Raises InputRejected("no_content") when the page does not parse or
    trafilatura finds no main text (navigation-only pages, empty shells).
    """
    tree = trafilatura.load_html(html)
    if tree is None and html.strip():
        # trafilatura refuses a body fragment ("<p>..</p><p>..</p>", as in
        # feeds' content fields) that does not mention "html" in its first
        # 50 chars; wrapped in a document it extracts normally.
        tree = trafilatura.load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        raise InputRejected("no_content", f"not parseable as HTML ({len(html)} chars)")
    lang = declared_lang(tree)
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,  # reader comments are not the article
        include_tables=True,  # data tables are often the content
        output_format="python",
    )
    text = _tidy_lines(result.text or "") if result is not None else ""
    if not text:
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
    found = extract_html(doc.body, doc.url)
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
