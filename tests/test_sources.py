"""Incremental sources: only new or changed files are read, grown JSONL from where the last run stopped.

Runs the flow's plain steps without Prefect on a small corpus written here.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from cleaners.readers import read_path
from cleaners.record import Document, Quarantined
from dedup.config import DedupConfig
from flows import steps
from flows.sources import fingerprint, is_plain_jsonl, read_tail, root_of
from warehouse.connection import connect


def _text(seed: int) -> str:
    words = " ".join(f"kata{seed}x{i}" for i in range(60))
    return f"Judul berita nomor {seed}\n\n{words}.\n"


def _record(seed: int) -> str:
    return json.dumps({"text": f"Record {seed}. " + " ".join(f"word{seed}y{i}" for i in range(50)), "lang": "en"})


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    (root / "news").mkdir(parents=True)
    (root / "feeds").mkdir()
    for i in range(3):
        (root / "news" / f"story{i}.txt").write_text(_text(i), encoding="utf-8")
    (root / "feeds" / "feed.jsonl").write_text("".join(_record(i) + "\n" for i in range(1, 4)), encoding="utf-8")
    return root


def _run(db: Path, paths: list[Path], incremental: bool = True) -> tuple[str, steps.RunCounters]:
    cfg = DedupConfig()
    counters = steps.RunCounters()
    run, staging = steps.start_run(db, {})
    try:
        sources = steps.open_sources(db, [str(p) for p in paths], incremental)
        for docs, rejected in steps.chunk_units(sources.units(), 1000, counters):
            docs = steps.filter_new(docs, db, staging, counters)
            docs = steps.stage_raw(staging, run, docs)
            kept, quarantined = steps.prepare_batch(docs, cfg)
            found = steps.find_chunk_pairs(kept, db, staging, cfg)
            steps.stage(staging, run, kept, [*rejected, *quarantined], found, counters)
        steps.find_run_pairs(db, staging, run, cfg)
        clusters = steps.cluster_run(db, staging, run)
        steps.finish_run(db, run, staging, clusters, counters, sources)
    finally:
        staging.remove()
    return run.run_id, counters


def _q(db: Path, sql: str, params=None) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _uris(db: Path) -> set[str]:
    return {r[0].rsplit("/", 1)[-1] for r in _q(db, "SELECT source_uri FROM documents")}


def _bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_fingerprint_finds_the_last_complete_line_and_an_old_prefix(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_bytes(b'{"a":1}\n{"b":2}\n{"c":')
    fp = fingerprint(f, old_offset=8)
    assert fp is not None
    assert (fp.size, fp.line_offset, fp.n_lines) == (21, 16, 2)
    assert fp.sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
    assert fp.prefix_sha256 == hashlib.sha256(b'{"a":1}\n{"b":2}\n').hexdigest()
    assert fp.prefix_at_old_offset == hashlib.sha256(b'{"a":1}\n').hexdigest()
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    fp = fingerprint(empty, old_offset=0)
    assert (fp.line_offset, fp.n_lines, fp.prefix_at_old_offset) == (0, 0, hashlib.sha256(b"").hexdigest())


def test_root_of_picks_the_first_root_holding_the_path():
    roots = ["corpus/news", "corpus"]
    assert root_of("corpus/news/a.txt", roots) == "corpus/news"
    assert root_of("corpus/feeds/b.jsonl", roots) == "corpus"
    assert root_of("corpusx/c.txt", roots) == "corpusx/c.txt"
    assert is_plain_jsonl("x/FEED.JSONL") and not is_plain_jsonl("x/feed.jsonl.gz")


def test_tail_read_gives_the_records_a_full_read_gives(tmp_path):
    f = tmp_path / "feed.jsonl"
    head = "".join(_record(i) + "\n" for i in range(1, 4))
    f.write_text(head + "\n" + _record(4) + "\nnot json\n", encoding="utf-8")
    full = [u for u in read_path(f) if not (isinstance(u, Document) and u.input_line <= 3)]
    full = [u for u in full if not (isinstance(u, Quarantined) and u.source_uri.endswith(("#L1", "#L2", "#L3")))]
    tail = list(read_tail(f, str(f), len(head.encode()), 3, complete_lines=6))
    assert [(type(u).__name__, u.source_uri) for u in tail] == [(type(u).__name__, u.source_uri) for u in full]
    assert [u.doc_id for u in tail if isinstance(u, Document)] == [u.doc_id for u in full if isinstance(u, Document)]
    assert [u.source_uri.rsplit("#", 1)[1] for u in tail] == ["L5", "L6"]  # blank line 4 is layout


def test_second_incremental_run_reads_nothing(corpus, db_path):
    _, first = _run(db_path, [corpus])
    assert first.sources == {"new": 4, "missing": 0}
    assert first.n_inputs == 6  # 3 stories + 3 records
    before = _q(db_path, "SELECT count(*) FROM documents")[0][0]
    _, second = _run(db_path, [corpus])
    assert second.n_inputs == 0
    assert second.sources == {"unchanged": 4, "missing": 0}
    assert _q(db_path, "SELECT count(*) FROM documents")[0][0] == before == 6


def test_touched_file_is_hashed_not_read_and_changed_file_is_read(corpus, db_path):
    _run(db_path, [corpus])
    _bump_mtime(corpus / "news" / "story0.txt")
    (corpus / "news" / "story1.txt").write_text(_text(11), encoding="utf-8")
    run_id, c = _run(db_path, [corpus])
    assert c.sources == {"touched": 1, "changed": 1, "unchanged": 2, "missing": 0}
    assert c.n_inputs == 1
    assert _q(db_path, "SELECT count(*) FROM documents WHERE run_id = ?", [run_id])[0][0] == 1
    changes = dict(_q(db_path, "SELECT regexp_extract(path, '[^/]+$'), last_change FROM ops.source_files"))
    assert changes["story0.txt"] == "touched" and changes["story1.txt"] == "changed"
    # the touched file's new mtime is recorded: the next run does not hash it again
    _, again = _run(db_path, [corpus])
    assert again.sources == {"unchanged": 4, "missing": 0}


def test_grown_jsonl_is_read_from_the_last_line_with_continued_numbers(corpus, db_path):
    feed = corpus / "feeds" / "feed.jsonl"
    _run(db_path, [corpus])
    with feed.open("a", encoding="utf-8") as f:
        f.write(_record(4) + "\n" + _record(5) + "\n" + '{"text": "half a rec')  # the writer is mid-line
    run_id, c = _run(db_path, [corpus])
    assert c.sources == {"grown": 1, "unchanged": 3, "missing": 0}
    assert c.n_inputs == 2  # lines 4 and 5; the unfinished line 6 waits for the next run
    landed = {
        r[0].rsplit("#", 1)[1] for r in _q(db_path, "SELECT source_uri FROM documents WHERE run_id = ?", [run_id])
    }
    assert landed == {"L4", "L5"}
    assert not _q(db_path, "SELECT * FROM quarantine WHERE run_id = ?", [run_id])
    state = _q(db_path, "SELECT line_offset, n_lines, last_change FROM ops.source_files WHERE path LIKE '%feed.jsonl'")
    assert state == [(len(feed.read_bytes().rsplit(b"\n", 1)[0]) + 1, 5, "grown")]
    with feed.open("a", encoding="utf-8") as f:
        f.write('ord", "lang": "en"}\n')
    run_id, c = _run(db_path, [corpus])
    assert c.n_inputs == 1
    (uri, raw) = _q(db_path, "SELECT source_uri, content FROM raw.inputs WHERE first_run_id = ?", [run_id])[0]
    assert uri.endswith("feed.jsonl#L6") and raw == b'{"text": "half a record", "lang": "en"}'
    # a full read of the file now lands nothing new: the tail reads gave the same ids
    _, full = _run(db_path, [corpus], incremental=False)
    assert full.n_inputs == 3 + 6 and full.n_skipped == 9


def test_rewritten_jsonl_is_read_whole(corpus, db_path):
    feed = corpus / "feeds" / "feed.jsonl"
    _run(db_path, [corpus])
    feed.write_text(_record(9) + "\n" + "".join(_record(i) + "\n" for i in range(1, 4)), encoding="utf-8")
    _, c = _run(db_path, [corpus])
    assert c.sources["changed"] == 1 and c.n_inputs == 4  # every line moved: all are new ids
    assert c.n_skipped == 0


def test_missing_files_are_noted_and_reappear(corpus, db_path):
    _run(db_path, [corpus])
    gone = corpus / "news" / "story2.txt"
    content = gone.read_bytes()
    gone.unlink()
    run_id, c = _run(db_path, [corpus])
    assert c.sources == {"unchanged": 3, "missing": 1}
    rows = _q(db_path, "SELECT path, status, missing_run_id FROM ops.source_files WHERE status = 'missing'")
    assert rows == [(str(gone), "missing", run_id)]
    # a later run does not report it again
    _, c = _run(db_path, [corpus])
    assert c.sources["missing"] == 0
    gone.write_bytes(content)
    _, c = _run(db_path, [corpus])
    assert c.sources["reappeared"] == 1 and c.n_inputs == 0
    assert _q(db_path, "SELECT status, missing_since FROM ops.source_files WHERE path = ?", [str(gone)]) == [
        ("present", None)
    ]


def test_a_run_over_another_root_does_not_mark_files_missing(corpus, db_path):
    _run(db_path, [corpus / "news"])
    _, c = _run(db_path, [corpus / "feeds"])
    assert c.sources == {"new": 1, "missing": 0}
    assert _q(db_path, "SELECT count(*) FROM ops.source_files WHERE status = 'missing'")[0][0] == 0


def test_full_run_reads_everything_and_records_state(corpus, db_path):
    _run(db_path, [corpus], incremental=False)
    _, c = _run(db_path, [corpus], incremental=False)
    assert c.n_inputs == 6 and c.n_skipped == 6
    assert _q(db_path, "SELECT count(*) FROM ops.source_files")[0][0] == 4
    _, c = _run(db_path, [corpus])
    assert c.n_inputs == 0


def test_state_is_not_written_when_the_load_fails(corpus, db_path, monkeypatch):
    _run(db_path, [corpus])
    (corpus / "news" / "story0.txt").write_text(_text(20), encoding="utf-8")
    before = _q(db_path, "SELECT * FROM ops.source_files ORDER BY path")

    def broken_land(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(steps, "land_staged", broken_land)
    with pytest.raises(RuntimeError, match="disk full"):
        _run(db_path, [corpus])
    assert _q(db_path, "SELECT * FROM ops.source_files ORDER BY path") == before
    monkeypatch.undo()
    _, c = _run(db_path, [corpus])
    assert c.sources["changed"] == 1 and c.n_inputs == 1
