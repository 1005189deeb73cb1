import gzip
import json
import os

import pytest

from cleaners import readers, safe_paths
from cleaners.limits import MIB, Limits
from cleaners.readers import discover, read_jsonl, read_path
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


# --- input boundaries: sizes, gzip, streaming, paths -------------------------

SMALL = Limits(max_file_bytes=1000, max_record_bytes=200, max_decompressed_bytes=50_000, max_compression_ratio=20)


def _reasons(items) -> list[tuple[str, str]]:
    return [(i.source_uri.rsplit("/", 1)[-1], getattr(i, "reason", "doc")) for i in items]


def test_a_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1001)
    monkeypatch.setattr(readers, "_read_capped", lambda *a: pytest.fail("read a file over the limit"))
    [q] = read_path(big, SMALL)
    assert (q.reason, q.size) == ("too_large", 1001) and "limits.max_file_bytes" in q.detail
    big.write_bytes(b"x" * 1000)
    monkeypatch.undo()
    [doc] = read_path(big, SMALL)
    assert isinstance(doc, Document) and len(doc.raw) == 1000


def test_jsonl_streams_and_refuses_only_the_overlong_line(tmp_path):
    good = json.dumps({"text": "short story"})
    path = tmp_path / "feed.jsonl"
    path.write_bytes(f"{good}\n{json.dumps({'text': 'y' * 500})}\n{good}\n{'z' * 450}".encode())
    items = read_path(path, SMALL)
    assert _reasons(items) == [
        ("feed.jsonl#L1", "doc"),
        ("feed.jsonl#L2", "record_too_large"),
        ("feed.jsonl#L3", "doc"),
        ("feed.jsonl#L4", "record_too_large"),
    ]
    assert items[1].size == len(json.dumps({"text": "y" * 500})) and items[3].size == 450
    assert items[0].doc_id != items[2].doc_id  # same line, another place: another document


def test_jsonl_ids_match_the_in_memory_reader(tmp_path):
    data = b'{"text": "one"}\r\n\n{"text": "two"}'
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    from_file = [d.doc_id for d in read_path(path)]
    in_memory = [d.doc_id for d in read_jsonl(str(path), data)]
    assert from_file == in_memory and len(from_file) == 2


def test_an_empty_jsonl_file_still_accounts_for_itself(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_bytes(b"\n \n")
    [q] = read_path(path)
    assert q.reason == "empty" and q.source_uri == str(path)


@pytest.mark.parametrize("inner", ["a.txt", "a.html", "a.jsonl"])
def test_gzipped_inputs_are_read_like_plain_ones(tmp_path, inner):
    body = json.dumps({"text": "gz story"}).encode() if inner.endswith("jsonl") else b"<p>gz story</p>"
    (tmp_path / inner).write_bytes(body)
    (tmp_path / (inner + ".gz")).write_bytes(gzip.compress(body))
    [plain] = read_path(tmp_path / inner)
    [packed] = read_path(tmp_path / (inner + ".gz"))
    assert isinstance(packed, Document) and packed.raw == plain.raw and packed.body_kind == plain.body_kind
    assert packed.source_uri.startswith(str(tmp_path / (inner + ".gz")))


def test_gzip_bombs_stop_at_the_ratio_or_the_size_limit(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(bytes(4 * MIB)))  # ~4 kB -> 4 MiB: ratio ~1000
    [q] = read_path(bomb, Limits(max_compression_ratio=20))
    assert q.reason == "decompression_bomb" and "limits.max_compression_ratio" in q.detail
    noise = tmp_path / "noise.jsonl.gz"  # incompressible: the ratio is fine, the total is not
    lines = b"".join(json.dumps({"text": os.urandom(40).hex()}).encode() + b"\n" for _ in range(1000))
    noise.write_bytes(gzip.compress(lines))
    items = read_path(noise, SMALL)
    assert all(isinstance(i, Document) for i in items[:-1]) and len(items) > 100
    assert items[-1].reason == "decompression_bomb" and "limits.max_decompressed_bytes" in items[-1].detail
    assert items[-1].source_uri == str(noise)


def test_damaged_gzip_is_quarantined_after_the_lines_before_the_damage(tmp_path):
    lines = b"".join(json.dumps({"text": f"{i} {os.urandom(30).hex()}"}).encode() + b"\n" for i in range(200))
    packed = gzip.compress(lines)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    items = read_path(cut)
    assert 20 < len(items) < 200 and all(isinstance(i, Document) for i in items[:-1])
    assert items[-1].reason == "bad_gzip" and "EOFError" in items[-1].detail
    [q] = read_path(_write(tmp_path / "fake.txt.gz", b"not gzip at all"))
    assert q.reason == "bad_gzip"


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_unreadable_file_simulated_for_any_user(tmp_path, monkeypatch):
    path = _write(tmp_path / "locked.txt", b"secret")

    def refuse(p, follow_links):
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(readers, "_open_input", refuse)
    [q] = read_path(path)
    assert q.reason == "unreadable" and "Permission denied" in q.detail


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode; see the simulated test")
def test_unreadable_file_by_permissions(tmp_path):
    path = _write(tmp_path / "locked.txt", b"secret")
    path.chmod(0)
    [q] = read_path(path)
    assert q.reason == "unreadable"


def test_a_folder_that_cannot_be_listed_is_an_input(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    _write(tmp_path / "a.txt", b"a")
    real = safe_paths._list_folder

    def refuse_locked(folder):
        if folder.endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(folder)

    monkeypatch.setattr(safe_paths, "_list_folder", refuse_locked)
    found = list(discover([tmp_path]))
    assert [p.name for p in found] == ["a.txt", "locked"]
    [q] = read_path(found[1])
    assert q.reason == "unreadable" and "cannot be listed" in q.detail


def test_symlinks_never_lead_out_of_the_source_root(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    _write(outside / "secret.txt", b"outside")
    _write(root / "sub" / "real.txt", b"inside")
    os.symlink(outside / "secret.txt", root / "escape.txt")
    os.symlink(outside, root / "escape_dir")
    os.symlink("sub/real.txt", root / "alias.txt")
    os.symlink("sub", root / "alias_dir")
    os.symlink("loop.txt", root / "loop.txt")
    os.symlink("gone.txt", root / "dangling.txt")
    found = list(discover([root]))
    reasons = {p.name: item.reason if isinstance(item, Quarantined) else "doc" for p in found for item in read_path(p)}
    assert reasons == {
        "dangling.txt": "broken_symlink",
        "escape.txt": "outside_root",
        "loop.txt": "symlink_loop",
        "escape_dir": "outside_root",
        "real.txt": "doc",  # read once, under its real name; the aliases are skipped
    }


def test_a_file_swapped_for_a_symlink_after_discovery_is_not_followed(tmp_path):
    _write(tmp_path / "secret.txt", b"secret")
    root = tmp_path / "root"
    root.mkdir()
    target = _write(root / "a.txt", b"fine")
    [found] = discover([root])
    target.unlink()
    os.symlink(tmp_path / "secret.txt", target)
    [q] = read_path(found)
    assert q.reason == "unreadable" and "symbolic links" in q.detail


def test_a_symlink_named_on_the_command_line_is_followed(tmp_path):
    _write(tmp_path / "real.txt", b"chosen")
    os.symlink(tmp_path / "real.txt", tmp_path / "link.txt")
    [found] = discover([tmp_path / "link.txt"])
    [doc] = read_path(found)
    assert doc.raw == b"chosen" and doc.source_uri == str(tmp_path / "link.txt")


def test_overlapping_arguments_read_each_file_once(tmp_path):
    _write(tmp_path / "a.txt", b"a")
    _write(tmp_path / "b.txt", b"b")
    found = [p.name for p in discover([tmp_path, tmp_path / "a.txt", tmp_path])]
    assert found == ["a.txt", "b.txt"]


def test_a_fifo_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    [found] = discover([tmp_path])
    [q] = read_path(found)
    assert q.reason == "not_a_regular_file" and "FIFO" in q.detail
    [q] = read_path(tmp_path / "pipe.txt")  # named directly: opened non-blocking, then refused
    assert q.reason == "not_a_regular_file"


def test_odd_file_names_give_storable_uris(tmp_path):
    names = [b"with space.txt", b"new\nline.txt", b"caf\xe9.txt", b"-rf.txt"]
    for name in names:
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as f:
            f.write(b"story text")
    docs = [item for p in discover([tmp_path]) for item in read_path(p)]
    uris = sorted(d.source_uri.rsplit("/", 1)[-1] for d in docs)
    assert uris == ["-rf.txt", "caf\\xe9.txt", "new\nline.txt", "with space.txt"]
    assert all(d.source_uri.encode("utf-8") and isinstance(d, Document) for d in docs)
    assert safe_paths.uri_text("x\ud800y") == "x\\xed\\xa0\\x80y"  # a lone surrogate from elsewhere


def test_jsonl_metadata_with_lone_surrogates_is_made_storable(tmp_path):
    line = json.dumps({"text": "story", "title": "bad \ud800 title", "source": "src\udcff", "url": "http://[::1"})
    [doc] = read_jsonl("f.jsonl", line.encode())
    assert doc.title == "bad \ufffd title" and doc.source == "src\ufffd"
    assert doc.title.encode("utf-8")
