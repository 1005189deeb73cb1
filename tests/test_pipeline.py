from cleaners.decode import decode_document
from cleaners.limits import Limits, check_html_shape, html_depth_over
from cleaners.pipeline import clean_batch, clean_document
from cleaners.readers import read_jsonl
from cleaners.record import KIND_HTML, KIND_TEXT, Document, Quarantined, make_doc_id
from cleaners.title import headline_of

ID_STORY = (
    "Banjir Rendam Ratusan Rumah di Jakarta Timur\n"
    "Baca: Harga Cabai Naik Jelang Lebaran\n"
    "JAKARTA, KABARHARIAN.com - Banjir merendam ratusan rumah warga di Kampung Melayu sejak Senin pagi.\n"
    "Petugas gabungan mengevakuasi warga lanjut usia dengan perahu karet menuju posko pengungsian.\n"
    "Penulis: Dewi Lestari\n"
)


def _doc(uri: str, raw: bytes) -> Document:
    return Document(doc_id=make_doc_id(uri, raw), source_uri=uri, source="t", body_kind=KIND_TEXT, raw=raw)


def test_clean_document_runs_every_stage():
    out = clean_document(_doc("a.txt", ID_STORY.encode()))
    assert isinstance(out, Document)
    assert out.encoding == "utf-8" and out.lang == "id" and out.lang_score > 0.9
    assert out.title == "Banjir Rendam Ratusan Rumah di Jakarta Timur"
    assert out.author == "Dewi Lestari"
    assert {r.rule for r in out.removed} == {"teaser_link", "dateline", "byline"}
    assert "Baca:" not in out.clean_text and out.clean_text.count("\n") == 2
    assert out.clean_text.split("\n")[1].startswith("Banjir merendam")


def test_rejections_become_quarantine_and_the_batch_goes_on():
    good = _doc("good.txt", ID_STORY.encode())
    png = _doc("img.txt", b"\x89PNG\r\n\x1a\n" + bytes(40))
    only_chrome = _doc("chrome.txt", b"Baca: Sesuatu yang lain\nCaptcha *\n")
    kept, quarantined = clean_batch([png, good, only_chrome])
    assert [d.source_uri for d in kept] == ["good.txt"]
    reasons = {q.source_uri: q.reason for q in quarantined}
    assert reasons == {"img.txt": "binary", "chrome.txt": "empty_after_cleaning"}
    assert all(isinstance(q, Quarantined) and q.detail for q in quarantined)


def test_jsonl_dates_are_normalised_and_bad_dates_dropped():
    lines = (
        b'{"text": "Short English story about the harbour and the ships that came in.", '
        b'"published_at": "Sat, 14 Sep 2024 16:40:00 GMT"}\n'
        b'{"text": "Another short story about the harbour and its boats.", "published_at": "yesterday"}\n'
    )
    first, second = (clean_document(d) for d in read_jsonl("f.jsonl", lines))
    assert first.published_at == "2024-09-14T16:40:00"
    assert second.published_at is None


def test_headline_needs_a_short_unpunctuated_first_line():
    assert headline_of("A Headline Here\nBody.") == "A Headline Here"
    assert headline_of("This first line is a sentence.\nMore") is None
    assert headline_of("") is None


# --- limit checks between stages ---------------------------------------------

NO_WORKER = Limits(doc_timeout_seconds=None)


def _html(uri: str, html: str) -> Document:
    raw = html.encode()
    return Document(doc_id=make_doc_id(uri, raw), source_uri=uri, source="t", body_kind=KIND_HTML, raw=raw)


def _nested(tag: str, depth: int) -> str:
    return f"<html><body>{f'<{tag}>' * depth}<p>{ID_STORY}</p>{f'</{tag}>' * depth}</body></html>"


def test_deep_html_is_refused_before_extraction_with_its_own_reason():
    out = clean_document(_html("deep.html", _nested("div", 10_000)))
    assert isinstance(out, Quarantined) and out.reason == "html_too_deep" and "limits.max_html_depth" in out.detail
    assert "more than 255 levels: the HTML parser stops there" in out.detail
    shallow = Limits(max_html_depth=32, doc_timeout_seconds=None)
    [q] = clean_batch([_html("d.html", _nested("section", 30))], shallow)[1]  # html, body, 30 sections, p: 33
    assert q.reason == "html_too_deep" and "more than 32 levels" in q.detail
    [kept] = clean_batch([_html("d.html", _nested("section", 29))], shallow)[0]  # 32 levels: at the limit
    assert "Banjir merendam" in kept.clean_text


def test_depth_counts_as_the_parser_nests_not_as_tags_are_written():
    unclosed_paragraphs = "<html><body>" + "<p>para " * 500 + "</body></html>"  # siblings, not nested
    assert html_depth_over(unclosed_paragraphs, 10) is None
    misnested = "<html><body>" + "<b><i>x</b></i>" * 300 + "</body></html>"
    assert html_depth_over(misnested, 10) is None
    spans = "<html><body>" + "<span>x" * 300 + "</body></html>"  # never closed: really nested
    assert "more than 255" in html_depth_over(spans, 200)
    for not_a_tree in ("<!-- only a comment -->", "\x0c"):
        assert html_depth_over(not_a_tree, 10) is None  # nothing to judge: extraction decides


def test_html_that_is_really_json_is_not_extracted():
    page = _html("api.html", '  {"status": "ok", "items": [1, 2, 3]}')
    out = clean_document(page)
    assert isinstance(out, Quarantined) and out.reason == "not_html"
    bracketed = _html("b.html", "[not json] <p>" + ID_STORY + "</p>")
    assert isinstance(check_html_shape(decode_document(bracketed)), Document)


def test_an_overlong_line_is_refused_before_the_line_rules():
    long_line = ("word " * 300).encode()
    doc = _doc("long.txt", ID_STORY.encode() + long_line)
    [q] = clean_batch([doc], Limits(max_line_chars=1000, doc_timeout_seconds=None))[1]
    assert q.reason == "line_too_long" and "1500 characters > 1000" in q.detail
    kept, _ = clean_batch([doc], NO_WORKER)
    assert len(kept) == 1


def test_every_document_comes_back_once_through_the_worker():
    docs = [_doc(f"{i}.txt", ID_STORY.encode() + f"Baris {i} tambahan.".encode()) for i in range(5)]
    docs.append(_doc("img.txt", b"\x89PNG\r\n\x1a\n" + bytes(40)))
    kept, quarantined = clean_batch(docs)  # the default limits: a worker process, 30 s per document
    assert [d.source_uri for d in kept] == [f"{i}.txt" for i in range(5)]
    assert [(q.source_uri, q.reason) for q in quarantined] == [("img.txt", "binary")]
    assert kept == clean_batch(docs, NO_WORKER)[0]  # the same result as in-process
    # the worker does not send the raw bytes back: the parent puts its own copy in
    assert [d.raw for d in kept] == [d.raw for d in docs[:5]]
    assert all(d.body is None and d.text == "" and d.clean_text for d in kept)  # intermediates dropped
