import json

from cleaners.readers import discover, read_path
from cleaners.record import KIND_HTML, KIND_TEXT, Document, Quarantined


def test_discover_is_recursive_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b" / "c.html").write_text("c")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.txt", "b/c.html", "b/z.txt"]


def test_text_and_html_files_become_documents_with_stable_ids(tmp_path):
    txt = tmp_path / "news" / "a.txt"
    txt.parent.mkdir()
    txt.write_bytes(b"Hello world")
    page = tmp_path / "news" / "p.HTM"
    page.write_bytes(b"<html><body><p>x</p></body></html>")
    [doc] = read_path(txt)
    [html] = read_path(page)
    assert isinstance(doc, Document) and doc.body_kind == KIND_TEXT and doc.raw == b"Hello world"
    assert doc.source == "news" and doc.body is None
    assert html.body_kind == KIND_HTML
    assert read_path(txt)[0].doc_id == doc.doc_id  # deterministic
    txt.write_bytes(b"Hello world!")
    assert read_path(txt)[0].doc_id != doc.doc_id  # changed content, new id


def test_unsupported_and_unreadable_inputs_are_quarantined(tmp_path):
    other = tmp_path / "notes.docx"
    other.write_bytes(b"PK\x03\x04")
    [q] = read_path(other)
    assert isinstance(q, Quarantined) and q.reason == "unsupported_type" and ".docx" in q.detail
    [q] = read_path(tmp_path / "missing.txt")
    assert q.reason == "unreadable"


def test_jsonl_records_good_lines_land_bad_lines_are_quarantined(tmp_path):
    lines = [
        json.dumps({"text": "Satu dua tiga", "url": "https://news.example/a", "title": "T", "lang": "id"}),
        "{not json",
        json.dumps({"html": "<p>halo</p>", "source": "feedX", "published_at": "2024-03-01"}),
        json.dumps({"title": "no body"}),
        json.dumps(["a", "list"]),
        "",
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = read_path(path)
    docs = [i for i in items if isinstance(i, Document)]
    bad = {i.source_uri.rsplit("#", 1)[1]: i.reason for i in items if isinstance(i, Quarantined)}
    assert [d.source_uri.rsplit("#", 1)[1] for d in docs] == ["L1", "L3"]
    assert bad == {"L2": "bad_json", "L4": "no_text", "L5": "bad_record"}
    first, second = docs
    assert first.body == "Satu dua tiga" and first.url == "https://news.example/a" and first.lang_hint == "id"
    assert first.source == "news.example" and first.input_line == 1
    assert second.body_kind == KIND_HTML and second.source == "feedX" and second.published_at == "2024-03-01"
