from cleaners.pipeline import clean_batch, clean_document
from cleaners.readers import read_jsonl
from cleaners.record import KIND_TEXT, Document, Quarantined, make_doc_id
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
