"""drop_hidden / mark_repeats on hand-written pages, alone and through extraction."""

from __future__ import annotations

import dataclasses

import trafilatura

from cleaners import reasons
from cleaners.html_extract import extract_html_unbounded
from cleaners.html_prepare import MARK, drop_hidden, mark_repeats, unmark
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_HTML, Document, make_doc_id

PROSE = [
    "The council met on Monday evening to discuss the new bridge over the river, which has been delayed twice.",
    "Engineers told the members that the foundations were sound and that work could resume in the spring.",
    "Residents who attended asked for a footpath on both sides, and the chair promised to put it to a vote.",
]
REPEATED = "We will keep this page updated as the vote approaches and as more details become available."
CAPTION = "The old bridge seen from the eastern bank of the river in winter light."


def _page(body: str) -> str:
    return f"<html><head><title>Bridge</title></head><body><article>{body}</article></body></html>"


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_hidden_elements_are_dropped_and_shown_ones_kept() -> None:
    hidden_texts = ("Hidden by attribute.", "Hidden by display.", "Hidden by visibility.")
    body = (
        _paragraphs(*PROSE)
        + f"<p hidden>{hidden_texts[0]}</p>"
        + f'<div style="display : none"><p>{hidden_texts[1]}</p></div>'
        + f'<p style="color:red; visibility:hidden">{hidden_texts[2]}</p>'
        + '<p style="display:block">Shown with a style.</p>'
    )
    tree = trafilatura.load_html(_page(body))
    assert drop_hidden(tree) == 3
    text = tree.text_content()
    for hidden in hidden_texts:
        assert hidden not in text
    assert "Shown with a style." in text
    assert all(paragraph in text for paragraph in PROSE)


def test_hidden_element_holding_most_of_the_page_stays() -> None:
    # an article a script reveals on load is the content, not a hidden extra
    body = f'<div id="story" style="display:none">{_paragraphs(*PROSE)}</div><p>Menu</p>'
    tree = trafilatura.load_html(_page(body))
    assert drop_hidden(tree) == 0
    assert all(paragraph in tree.text_content() for paragraph in PROSE)


def test_hidden_text_never_reaches_extraction() -> None:
    body = _paragraphs(*PROSE) + "<p hidden>Lorem ipsum dolor sit amet, a hidden template paragraph for tests.</p>"
    assert "Lorem ipsum" not in extract_html_unbounded(_page(body)).text


def test_later_copies_of_long_blocks_get_distinct_marks() -> None:
    body = _paragraphs(REPEATED, PROSE[0], REPEATED, REPEATED, "Short line", "Short line")
    tree = trafilatura.load_html(_page(body))
    assert mark_repeats(tree) == 2
    texts = [p.text for p in tree.iter("p")]
    assert texts[0] == REPEATED  # the first copy is untouched
    assert texts[2] == REPEATED + MARK and texts[3] == REPEATED + MARK * 2
    assert texts[4] == texts[5] == "Short line"  # trafilatura keeps short repeats itself
    assert unmark(texts[3]) == REPEATED


def test_a_paragraph_the_page_repeats_survives_extraction() -> None:
    # trafilatura alone keeps one copy of two adjacent identical paragraphs
    result = extract_html_unbounded(_page(_paragraphs(*PROSE, REPEATED, REPEATED)))
    lines = result.text.split("\n")
    assert lines.count(REPEATED) == 2
    assert MARK not in result.text and MARK not in (result.title or "")


def test_a_doubled_caption_is_removed_by_the_line_rule_with_its_reason() -> None:
    html = _page(_paragraphs(*PROSE[:2]) + f"<p>{CAPTION}</p><p>{CAPTION}</p>" + _paragraphs(PROSE[2]))
    raw = html.encode()
    doc = Document(
        doc_id=make_doc_id("mem://p", raw), source_uri="mem://p", source="t", body_kind=KIND_HTML, raw=raw, body=html
    )
    extracted = extract_html_unbounded(html)
    assert extracted.text.split("\n").count(CAPTION) == 2  # extraction kept both: the rule decides
    cleaned = apply_line_rules(dataclasses.replace(doc, text=extracted.text))
    assert cleaned.clean_text.split("\n").count(CAPTION) == 1
    assert [(r.line_text, r.rule) for r in cleaned.removed] == [(CAPTION, reasons.DOUBLED_LINE)]
