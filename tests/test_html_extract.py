"""extract_html / extract_document on a hand-written news page."""

from __future__ import annotations

import pytest

from cleaners.errors import InputRejected
from cleaners.html_extract import (
    EXTRACT_TIMEOUT_S,
    TIMEOUT_ENV,
    extract_document,
    extract_html,
    extraction_timeout,
    trim_to_precise_span,
)
from cleaners.record import KIND_HTML, KIND_TEXT, Document, make_doc_id

PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>River Town Opens New Library | The Valley Gazette</title>
<meta property="og:site_name" content="The Valley Gazette">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<link rel="canonical" href="https://gazette.example.com/news/river-town-library">
</head>
<body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact us</a></li>
</ul></nav></header>
<main><article>
<h1>River Town Opens New Library</h1>
<p>The new public library in River Town opened its doors on Tuesday after three years of
construction, offering more than forty thousand books and a dedicated children&rsquo;s wing.</p>
<p>Mayor Alan Smith said the building &mdash; designed by a local architecture firm &mdash; would
serve as a community hub for students, retirees and families who had long asked for a quiet place.</p>
<p>The library will be open seven days a week, and residents can register for a free card online
or at the front desk with proof of address.</p>
<table><tr><th>Day</th><th>Hours</th></tr><tr><td>Weekdays</td><td>9am to 8pm</td></tr></table>
</article></main>
<footer><p>Copyright 2024 The Valley Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""


def _doc(body: str, kind: str = KIND_HTML, **meta: str) -> Document:
    raw = body.encode("utf-8")
    return Document(
        doc_id=make_doc_id("mem://h", raw),
        source_uri="mem://h",
        source="test",
        body_kind=kind,
        raw=raw,
        body=body,
        **meta,
    )


def test_article_text_without_chrome() -> None:
    result = extract_html(PAGE, None)
    lines = result.text.split("\n")
    assert lines[0] == "River Town Opens New Library"
    assert lines[1].startswith("The new public library in River Town opened its doors on Tuesday")
    assert "children\u2019s wing." in lines[1]  # entity decoded, one paragraph = one line
    assert "building \u2014 designed by a local architecture firm \u2014 would serve" in result.text
    assert "Weekdays | 9am to 8pm" in lines
    assert not any("|---" in line for line in lines)
    for chrome in ("Contact us", "Sport", "Copyright 2024", "Privacy policy"):
        assert chrome not in result.text
    assert all(line == line.strip() and line for line in lines)


def test_metadata() -> None:
    result = extract_html(PAGE, None)
    assert result.title == "River Town Opens New Library"
    assert result.author == "Jane Doe"
    assert result.date == "2024-03-05"
    assert result.url == "https://gazette.example.com/news/river-town-library"
    assert result.site_name == "The Valley Gazette"
    assert result.lang == "en-US"


@pytest.mark.parametrize(
    ("head", "lang"),
    [
        ('<html xml:lang="fr">', "fr"),
        ('<html lang="{{ lang }}">', None),
        ('<html><head><meta http-equiv="Content-Language" content="de, en"></head>', "de"),
    ],
)
def test_declared_lang_variants(head: str, lang: str | None) -> None:
    body = "<body><article><p>" + "Ein kurzer Absatz mit genug Text zum Extrahieren. " * 5 + "</p></article></body>"
    assert extract_html(head + body + "</html>", None).lang == lang


def test_fragment_is_wrapped_and_extracted() -> None:
    fragment = "<p>First paragraph of a feed item with some words.</p><p>Second paragraph here.</p>"
    text = extract_html(fragment, None).text
    assert "First paragraph of a feed item with some words." in text
    assert "Second paragraph here." in text


@pytest.mark.parametrize("html", ["", "   ", "<html><head><title>t</title></head><body></body></html>"])
def test_no_content_rejected(html: str) -> None:
    with pytest.raises(InputRejected) as info:
        extract_html(html, None)
    assert info.value.reason == "no_content"


def test_extract_document_fills_only_missing_metadata() -> None:
    doc = _doc(PAGE, title="Reader Title", url="https://crawl.example.org/p/1")
    out = extract_document(doc)
    assert out.text.startswith("River Town Opens New Library\nThe new public library")
    assert out.title == "Reader Title"
    assert out.url == "https://crawl.example.org/p/1"
    assert out.author == "Jane Doe"
    assert out.published_at == "2024-03-05"
    assert out.site_name == "The Valley Gazette"
    assert out.lang_hint == "en-US"


def test_extract_document_text_kind_passes_body_through() -> None:
    doc = _doc("Line one\nLine <two> &amp; three", kind=KIND_TEXT)
    out = extract_document(doc)
    assert out.text == doc.body
    assert out.title is None


def test_precise_span_trims_head_and_tail_only() -> None:
    full = ["Menu", "Lead paragraph.", "Middle section", "Last paragraph.", "More stories", "Other headline"]
    precise = ["Lead paragraph.", "Last paragraph."]
    # the middle line the precise pass dropped stays: only the edges are cut
    assert trim_to_precise_span(full, precise) == ["Lead paragraph.", "Middle section", "Last paragraph."]


def test_precise_span_in_order_and_repeated_lines() -> None:
    full = ["-", "Good morning!", "Story one.", "-", "Story two.", "Edition list", "Good morning!", "-"]
    precise = ["Good morning!", "Story one.", "-", "Story two."]
    # a later repeat of a kept line ("Good morning!", "-") does not stretch the span
    assert trim_to_precise_span(full, precise) == full[1:5]


def test_precise_span_distrusted_when_it_lost_the_article() -> None:
    full = [f"Paragraph {i} of the article with enough words to count here." for i in range(10)]
    assert trim_to_precise_span(full, full[:1]) == full  # kept 10 % < PRECISE_MIN_SHARE
    assert trim_to_precise_span(full, []) == full


def test_precise_span_keeps_adjacent_prose() -> None:
    prose = " ".join(["word"] * 35) + "."
    kept = [" ".join(["kept"] * 40) + " one.", " ".join(["kept"] * 40) + " two."]
    full = ["Widget", prose, *kept, prose, "Footer"]
    assert trim_to_precise_span(full, kept) == full[1:5]


def test_timeout_rejects_the_page_and_the_next_page_still_works() -> None:
    big = PAGE.replace("<p>The library", "<p>The library" + " and more words" * 2000, 1)
    with pytest.raises(InputRejected) as err:
        extract_html(big, None, timeout_s=0.0001)
    assert err.value.reason == "timeout"
    assert "River Town" in extract_html(PAGE, None, timeout_s=EXTRACT_TIMEOUT_S).text


def test_in_process_and_helper_agree() -> None:
    assert extract_html(PAGE, None, timeout_s=None) == extract_html(PAGE, None)


def test_extraction_timeout_from_environment(monkeypatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert extraction_timeout() == EXTRACT_TIMEOUT_S
    monkeypatch.setenv(TIMEOUT_ENV, "0")
    assert extraction_timeout() is None
    monkeypatch.setenv(TIMEOUT_ENV, "7.5")
    assert extraction_timeout() == 7.5
    monkeypatch.setenv(TIMEOUT_ENV, "soon")
    with pytest.raises(ValueError, match="SIFT_EXTRACT_TIMEOUT_S"):
        extraction_timeout()
