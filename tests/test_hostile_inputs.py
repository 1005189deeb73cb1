"""A folder of hostile inputs: nothing crashes sift, nothing is lost.

`build_hostile_folder` writes every case into tmp_path and returns what each
input unit must become: "landed", or the quarantine reason. The invariant is
checked per input file and in total: units read = documents kept + quarantined,
every quarantine row has a reason and a detail, and every file in the folder
(listed here with os.walk, independently of the readers) is accounted for,
except in-root symlinks, which are aliases of files read under their real name.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from cleaners.limits import MIB
from cleaners.pipeline import clean_batch
from cleaners.readers import discover, read_path
from cleaners.record import Document, Quarantined

STORY = (
    "The harbour authority reopened the northern pier on Monday after three weeks of repairs.\n"
    "Fishing crews said the closure had cost them most of the autumn season and several boats had moved south.\n"
    "Engineers replaced the damaged pilings and added a new breakwater to protect the berths from winter storms.\n"
)
PAGE = (
    "<html lang='en'><head><title>Pier reopens</title></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>Pier reopens after repairs</h1>"
    + "".join(f"<p>{line}</p>" for line in STORY.splitlines())
    + "</article></body></html>"
)
RUSSIAN = "Порт снова открыл северный причал в понедельник после трёх недель ремонта. Рыбаки довольны.\n" * 3
JAPANESE = "港湾局は三週間の修理の後、月曜日に北側の桟橋を再開した。漁師たちは喜んでいる。\n" * 3


def _record(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _bomb(n_bytes: int) -> bytes:
    """gzip of n_bytes of zeros (ratio ~1000:1), written without holding the output."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MIB)
    return b"".join([*(z.compress(block) for _ in range(n_bytes // MIB)), z.flush()])


def _write(root: Path, name: str | bytes, data: bytes) -> None:
    path = os.path.join(os.fsencode(root), name if isinstance(name, bytes) else name.encode())
    with open(path, "wb") as f:
        f.write(data)


def build_hostile_folder(root: Path, outside: Path) -> dict[str, str]:
    """Write the hostile cases; returns {relative source uri: "landed" or reason}."""
    root.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    w = lambda name, data: _write(root, name, data)  # noqa: E731
    expect: dict[str, str] = {}

    # encodings
    w("invalid_utf8.txt", STORY.encode() + b"Caf\xe9 owner said \xff\xfe was odd.\n")
    expect["invalid_utf8.txt"] = "landed"
    w("utf16_bom.txt", STORY.encode("utf-16"))
    w("utf16le_no_bom.txt", STORY.encode("utf-16-le"))
    w("utf16be_no_bom.txt", STORY.encode("utf-16-be"))
    w("cp1251.txt", RUSSIAN.encode("cp1251"))
    w("shift_jis.txt", JAPANESE.encode("cp932"))
    w("latin1.txt", ("Le café était fermé. " + STORY).encode("latin-1"))
    w("crlf.txt", STORY.replace("\n", "\r\n").encode())
    for name in ("utf16_bom.txt", "utf16le_no_bom.txt", "utf16be_no_bom.txt", "cp1251.txt", "shift_jis.txt"):
        expect[name] = "landed"
    expect["latin1.txt"] = expect["crlf.txt"] = "landed"
    # binary with text extensions, NUL bytes
    w("photo.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    w("archive.html", b"PK\x03\x04" + os.urandom(4000))
    w("random.txt", os.urandom(8000).replace(b"\0", b"\1").replace(b"\x1f\x8b", b"xx"))
    w("nul_bytes.txt", STORY.encode().replace(b" ", b"\0", 7))
    w("elf.txt", b"\x7fELF\x02\x01\x01" + bytes(200) + os.urandom(400))
    expect.update({n: "binary" for n in ("photo.txt", "archive.html", "random.txt", "nul_bytes.txt", "elf.txt")})
    # empty
    w("empty.txt", b"")
    w("whitespace.txt", b" \r\n\t \n   \n")
    w("bom_only.html", b"\xef\xbb\xbf\n")
    expect.update({"empty.txt": "empty", "whitespace.txt": "empty", "bom_only.html": "empty"})
    # size: a 100 MB file is refused on its size; a 10 MB line is read and refused by length
    with open(root / "huge.txt", "wb") as f:
        block = (STORY * (MIB // len(STORY) + 1)).encode()[:MIB]
        for _ in range(100):
            f.write(block)
    expect["huge.txt"] = "too_large"
    w("one_long_line.txt", b"word " * (2 * MIB))
    expect["one_long_line.txt"] = "line_too_long"
    # JSONL: good lines land, bad lines are quarantined one by one
    lines = [
        _record(text=STORY, url="https://harbour.example/pier", title="Pier reopens"),
        "{not json",
        json.dumps(["a", "list"]),
        _record(title="no body"),
        "",
        b'{"text": "caf\xe9 \xff"}',  # invalid UTF-8 inside the line
        "[" * 100_000 + "]" * 100_000,  # nested past the JSON parser's stack
        _record(text=STORY + "Lone surrogate here: \ud800.", title="Bad \udcff title", author="\ud83d"),
        _record(html=PAGE, source="harbour-feed"),
        _record(text="x" * (9 * MIB)),
        _record(text=STORY.upper(), url="http://[::1"),  # malformed URL: no host, still lands
        json.dumps({"text": STORY.lower() + "escaped \ud800 surrogate", "title": "\udcff"}),  # as \\u escapes
        "\x00\x01 binary junk line",
    ]
    w("feed.jsonl", b"\n".join(x if isinstance(x, bytes) else x.encode("utf-8", "surrogatepass") for x in lines))
    outcomes = ["landed", "bad_json", "bad_record", "no_text", None, "bad_json", "bad_json", "landed", "landed"]
    outcomes += ["record_too_large", "landed", "landed", "bad_json"]
    expect.update({f"feed.jsonl#L{i}": o for i, o in enumerate(outcomes, start=1) if o})
    w("empty.jsonl", b"\n\n  \n")
    w("utf16.jsonl", "\n".join(_record(text=STORY) for _ in range(3)).encode("utf-16"))
    w("crlf.jsonl", (_record(text=STORY[::-1]) + "\r\n" + _record(html=PAGE) + "\r\n").encode())
    expect.update({"empty.jsonl": "empty", "utf16.jsonl": "unsupported_encoding"})
    expect.update({"crlf.jsonl#L1": "landed", "crlf.jsonl#L2": "landed"})
    # HTML
    w("deep.html", ("<html><body>" + "<div>" * 10_000 + "<p>deep</p>" + "</div>" * 10_000 + "</body></html>").encode())
    w("no_body.html", b"<html><head><title>Only a title</title></head></html>")
    w("scripts_only.html", b"<html><head><script>var a = '<div>';</script></head><body><script>x()</script></body>")
    w("body_less.html", f"<html><head><title>T</title></head><p>{STORY}</p></html>".encode())
    expect.update({"scripts_only.html": "no_content", "body_less.html": "landed"})
    w("really_json.html", json.dumps({"title": "Pier", "body": STORY}).encode())
    w("page.htm", PAGE.encode())
    expect.update({"deep.html": "html_too_deep", "no_body.html": "no_content", "really_json.html": "not_html"})
    expect["page.htm"] = "landed"
    # gzip
    w("story.txt.gz", gzip.compress(STORY.encode()))
    w("page.html.gz", gzip.compress(PAGE.encode()))
    w("feed.jsonl.gz", gzip.compress((_record(text=STORY.lower()) + "\n{bad\n").encode()))
    w("bomb.txt.gz", _bomb(16 * MIB))
    w("bomb.jsonl.gz", gzip.compress((_record(text=STORY.title()) + "\n").encode()) + _bomb(16 * MIB))
    w("gzip_named_txt.txt", gzip.compress(STORY.encode()))
    expect["gzip_named_txt.txt"] = "binary"  # a .txt is read as it is: gzip bytes are not text
    w("not_gzip.html.gz", b"<html>plain bytes, not gzip</html>")
    numbered = "".join(_record(text=f"{i}: {STORY[::-1]} {os.urandom(200).hex()}") + "\n" for i in range(50))
    truncated = gzip.compress(numbered.encode())
    w("truncated.jsonl.gz", truncated[: len(truncated) * 6 // 10])
    w("bare.gz", gzip.compress(b"no inner suffix"))
    expect.update({"story.txt.gz": "landed", "page.html.gz": "landed", "feed.jsonl.gz#L1": "landed"})
    expect.update({"feed.jsonl.gz#L2": "bad_json", "bomb.txt.gz": "decompression_bomb"})
    expect.update({"bomb.jsonl.gz#L1": "landed", "bomb.jsonl.gz": "decompression_bomb"})
    expect.update({"not_gzip.html.gz": "bad_gzip", "bare.gz": "unsupported_type"})
    expect.update({"truncated.jsonl.gz#L1": "landed", "truncated.jsonl.gz": "bad_gzip"})
    expect.update({f"truncated.jsonl.gz#L{i}": "landed" for i in range(2, 50)})  # trimmed below to what was read
    # permissions: root reads whatever the mode (the simulated case is in test_readers)
    w("locked.txt", STORY.replace("pier", "jetty").encode())
    os.chmod(root / "locked.txt", 0)
    (root / "locked_dir").mkdir()
    _write(root / "locked_dir", "inside.txt", STORY.replace("pier", "quay").encode())
    os.chmod(root / "locked_dir", 0)
    as_root = os.geteuid() == 0
    expect["locked.txt"] = "landed" if as_root else "unreadable"
    expect["locked_dir/inside.txt" if as_root else "locked_dir"] = "landed" if as_root else "unreadable"
    # not regular files, unsupported types
    os.mkfifo(root / "pipe.txt")
    w("notes.docx", b"PK\x03\x04")
    w("README", STORY.encode())
    expect.update({"pipe.txt": "not_a_regular_file", "notes.docx": "unsupported_type", "README": "unsupported_type"})
    # symlinks: loops, dangling, leaving the root (file and folder), in-root aliases
    (outside / "secret.txt").write_text(STORY)
    os.symlink("loop.txt", root / "loop.txt")
    os.symlink("loop_b.txt", root / "loop_a.txt")
    os.symlink("loop_a.txt", root / "loop_b.txt")
    os.symlink("missing.txt", root / "dangling.txt")
    os.symlink(outside / "secret.txt", root / "escape.txt")
    os.symlink(outside, root / "escape_dir")
    os.symlink("../" * 20 + "etc/passwd", root / "climb.txt")
    os.symlink("page.htm", root / "alias.htm")  # in-root: skipped, read under its real name
    os.symlink(".", root / "self_dir")  # in-root folder loop: skipped
    expect.update({"loop.txt": "symlink_loop", "loop_a.txt": "symlink_loop", "loop_b.txt": "symlink_loop"})
    expect.update({"dangling.txt": "broken_symlink", "escape.txt": "outside_root", "escape_dir": "outside_root"})
    expect["climb.txt"] = "outside_root"
    # odd file names: spaces, a newline, bytes that are not UTF-8, a leading dash
    sub = root / "odd names"
    sub.mkdir()
    _write(sub, "with space.txt", STORY.encode())
    _write(sub, "new\nline.txt", STORY.replace("harbour", "port").encode())
    _write(sub, b"caf\xe9-latin1-name.txt", STORY.replace("Monday", "Tuesday").encode())
    _write(sub, "-rf.html", PAGE.replace("Monday", "Friday").encode())
    expect.update({f"odd names/{n}": "landed" for n in ("with space.txt", "new\nline.txt", "-rf.html")})
    expect["odd names/caf\\xe9-latin1-name.txt"] = "landed"
    return expect


def _file_of(uri: str) -> str:
    return uri.split("#L", 1)[0]


def run_plain(root: Path):
    """Read and clean `root` without Prefect: {uri: outcome}, {file: n units read}."""
    outcome: dict[str, str] = {}
    read_per_file: Counter[str] = Counter()
    docs: list[Document] = []
    for path in discover([root]):
        for item in read_path(path):
            read_per_file[_file_of(item.source_uri)] += 1
            if isinstance(item, Quarantined):
                outcome[item.source_uri] = item.reason
                assert item.reason and item.detail, item
            else:
                docs.append(item)
    kept, quarantined = clean_batch(docs)
    for q in quarantined:
        assert q.reason and q.detail, q
        outcome[q.source_uri] = q.reason
    outcome.update({d.source_uri: "landed" for d in kept})
    assert len(kept) + len(quarantined) == len(docs)  # each document comes back exactly once
    return outcome, read_per_file, kept, quarantined


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "corpus"
    expect = build_hostile_folder(root, base / "outside")
    return root, expect


def _listed_files(root: Path) -> set[str]:
    """Every non-folder entry under root (no symlink followed), minus in-root aliases."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(
        root, onerror=lambda err: found.add(os.path.relpath(err.filename, root))
    ):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if rel not in ("alias.htm", "self_dir"):
                found.add(os.fsencode(rel).decode("utf-8", "backslashreplace"))
    return found


def test_every_hostile_input_lands_or_is_quarantined_with_its_reason(hostile):
    root, expect = hostile
    outcome, read_per_file, _kept, _quarantined = run_plain(root)
    rel = {os.path.relpath(uri, root): reason for uri, reason in outcome.items()}
    # the truncated gzip yields the lines before the cut, then one quarantine for the rest
    n_truncated = sum(1 for k in rel if k.startswith("truncated.jsonl.gz#L"))
    assert 10 < n_truncated < 49
    expect = {k: v for k, v in expect.items() if not k.startswith("truncated.jsonl.gz#L") or k in rel}
    assert rel == expect
    # per file: units read = kept + quarantined; every listed file is accounted for
    out_per_file: Counter[str] = Counter(_file_of(uri) for uri in outcome)
    assert out_per_file == read_per_file
    assert {os.path.relpath(f, root) for f in read_per_file} == _listed_files(root)
    assert len(outcome) == sum(read_per_file.values())  # no two input units share a uri


def test_everything_read_from_the_hostile_folder_is_storable(hostile):
    root, _ = hostile
    _, _, kept, quarantined = run_plain(root)
    for doc in kept:
        for value in (doc.source_uri, doc.source, doc.input_path, doc.title, doc.author, doc.clean_text):
            assert value is None or value.encode("utf-8")  # raises on lone surrogates
    for q in quarantined:
        assert q.source_uri.encode("utf-8") and q.detail.encode("utf-8")
    by_uri = {d.source_uri.rsplit("/", 1)[-1]: d for d in kept}
    assert by_uri["caf\\xe9-latin1-name.txt"].source == "odd names"
    assert "\ufffd" in by_uri["feed.jsonl#L8"].title  # the lone surrogate became a replacement character
    assert by_uri["utf16le_no_bom.txt"].encoding == "utf-16-le" and by_uri["cp1251.txt"].encoding == "cp1251"


@pytest.mark.prefect
def test_hostile_folder_through_the_flow_keeps_the_run_invariant(prefect_harness, hostile, db_path):
    from flows.ingest import ingest_flow
    from warehouse.connection import connect

    root, _ = hostile
    outcome, read_per_file, _, _ = run_plain(root)
    result = ingest_flow(paths=[str(root)], db=str(db_path), batch_size=8)
    con = connect(db_path, read_only=True)
    try:
        run = con.execute(
            "SELECT status, n_inputs, n_documents, n_quarantined, n_skipped FROM runs WHERE run_id = ?",
            [result["run_id"]],
        ).fetchone()
        docs = [r[0] for r in con.execute("SELECT source_uri FROM documents").fetchall()]
        quarantine = con.execute("SELECT source_uri, reason, detail FROM quarantine").fetchall()
    finally:
        con.close()
    status, n_inputs, n_documents, n_quarantined, n_skipped = run
    assert status == "succeeded"
    assert n_inputs == n_documents + n_quarantined + n_skipped == sum(read_per_file.values())
    assert n_documents == len(docs) and n_quarantined == len(quarantine)
    assert all(reason and detail for _, reason, detail in quarantine)
    landed_per_file: defaultdict[str, int] = defaultdict(int)
    for uri in docs:
        landed_per_file[_file_of(uri)] += 1
    for uri, _, _ in quarantine:
        landed_per_file[_file_of(uri)] += 1
    assert dict(landed_per_file) == dict(read_per_file)
    assert {uri: reason for uri, reason, _ in quarantine} == {u: r for u, r in outcome.items() if r != "landed"}
