"""learned_chrome in ingest: runs learn a source's chrome from what landed,
count each landed document exactly once, and a later run removes the chrome."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cleaners import learned_chrome as lc
from cleaners.learned_chrome import line_hash
from dedup.config import DedupConfig
from flows import learned, steps
from tests.fixtures_landed import land_folder
from warehouse import load
from warehouse.connection import connect
from warehouse.integrity import table_checksums

CHROME = "Follow The Valley Gazette on WhatsApp for the latest updates"
RARE = "The mayor declined to comment on the plan when asked on Friday."  # recurs, but in too few documents
_VOCABULARY = (
    "harbour council budget river school market storm bridge festival library station farmers police "
    "hospital museum teachers ferry railway tunnel village mayor residents engineers drivers rain summer "
    "winter houses workers nurses students museum garden factory airport island valley road court"
)
_WORDS = _VOCABULARY.split()
STATS = ("clean.source_line_stats", "clean.source_doc_counts")


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def write_source(folder: Path, n: int, seed: int, rare_in: int = 0) -> list[Path]:
    """`n` stories of one source (the folder), each ending with CHROME; RARE in the first `rare_in`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        lines = [f"{_sentence(rng, 7)[:-1]} ({seed}-{i})"]
        lines += [" ".join(_sentence(rng, rng.randint(9, 14)) for _ in range(3)) for _ in range(3)]
        if i < rare_in:
            lines.append(RARE)
        lines.append(CHROME)
        path = folder / f"story_{seed}_{i:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _q(db, sql, params=None):
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _stats(db) -> tuple[dict[str, int], dict[str, str]]:
    con = connect(db, read_only=True)
    try:
        checksums = table_checksums(con)
        docs = dict(con.execute("SELECT source, n_docs FROM clean.source_doc_counts").fetchall())
    finally:
        con.close()
    return docs, {t: checksums[t] for t in STATS}


def _chrome_count(db) -> int:
    rows = _q(
        db, "SELECT n_docs FROM clean.source_line_stats WHERE source = 'gazette' AND line_hash = ?", [line_hash(CHROME)]
    )
    return rows[0][0] if rows else 0


def _removed(db, run_id: str) -> dict[str, list[tuple[str, str]]]:
    rows = _q(
        db,
        "SELECT regexp_extract(d.source_uri, '[^/]+$'), r.rule, r.line_text FROM clean.documents d "
        "LEFT JOIN clean.removed_lines r USING (doc_id) WHERE d.run_id = ? ORDER BY 1, r.line_no",
        [run_id],
    )
    out: dict[str, list[tuple[str, str]]] = {}
    for name, rule, text in rows:
        out.setdefault(name, [])
        if rule is not None:
            out[name].append((rule, text))
    return out


def test_a_source_learns_its_chrome_across_runs(tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    n_first = lc.MIN_SOURCE_DOCS + 5
    write_source(tmp_path / "one" / "gazette", n_first, seed=1, rare_in=3)
    first = land_folder(db, [tmp_path / "one"], chunk_size=7, batch_size=4)
    # landed statistics only: the first run of a source learns, but removes nothing yet
    assert all(rules == [] for rules in _removed(db, first).values())
    assert _stats(db)[0] == {"gazette": n_first}
    assert _chrome_count(db) == n_first
    rare = _q(db, "SELECT n_docs, sample_text FROM clean.source_line_stats WHERE line_hash = ?", [line_hash(RARE)])
    assert rare == [(3, RARE)]

    write_source(tmp_path / "two" / "gazette", 4, seed=2, rare_in=4)
    second = land_folder(db, [tmp_path / "two"])
    removed = _removed(db, second)
    assert len(removed) == 4
    # the chrome goes with its own reason code; RARE (now in 7 of 29 documents, below MIN_LINE_DOCS
    # when this run read the statistics) stays
    assert all(rules == [("learned_chrome", CHROME)] for rules in removed.values())
    texts = [r[0] for r in _q(db, "SELECT clean_text FROM clean.documents WHERE run_id = ?", [second])]
    assert all(CHROME not in t and RARE in t for t in texts)
    # the second run's documents are counted too: each one once, the chrome line with them
    assert _stats(db)[0] == {"gazette": n_first + 4}
    assert _chrome_count(db) == n_first + 4


def test_exact_copies_of_a_story_do_not_make_its_lines_chrome(tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    n = lc.MIN_SOURCE_DOCS + 5
    write_source(tmp_path / "one" / "gazette", n, seed=11)
    story = (tmp_path / "one" / "gazette" / "story_11_000.txt").read_text(encoding="utf-8")
    title = story.splitlines()[0]
    for k in range(lc.MIN_LINE_DOCS + 2):  # the same story republished, under other file names
        (tmp_path / "one" / "gazette" / f"copy_{k}.txt").write_text(story, encoding="utf-8")
    land_folder(db, [tmp_path / "one"])
    assert _stats(db)[0] == {"gazette": n}  # the copies are landed, but count as one page
    assert _q(db, "SELECT n_docs FROM clean.source_line_stats WHERE line_hash = ?", [line_hash(title)]) == [(1,)]

    (tmp_path / "two" / "gazette").mkdir(parents=True)
    (tmp_path / "two" / "gazette" / "again.txt").write_text(story.replace("\n", "\n\n", 1), encoding="utf-8")
    second = land_folder(db, [tmp_path / "two"])
    assert _removed(db, second) == {"again.txt": [("learned_chrome", CHROME)]}  # the title stays


def test_counts_are_exactly_once_and_never_from_a_failed_load(tmp_path, monkeypatch) -> None:
    db = tmp_path / "w.duckdb"
    write_source(tmp_path / "in" / "gazette", 6, seed=3)
    land_folder(db, [tmp_path / "in"])
    docs, before = _stats(db)
    assert docs == {"gazette": 6}

    # a rerun of the same input lands no document, so it counts none
    land_folder(db, [tmp_path / "in"], chunk_size=2)
    assert _stats(db) == (docs, before)

    # a run whose load fails (after the counts were upserted in its transaction) counts nothing
    write_source(tmp_path / "in" / "gazette", 9, seed=4)  # 9 new files beside the 6 landed ones
    real = load._replace_clusters

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_replace_clusters", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        land_folder(db, [tmp_path / "in"])
    assert _stats(db) == (docs, before)
    assert _q(db, "SELECT status FROM ops.runs ORDER BY started_at DESC LIMIT 1") == [("failed",)]

    # the same input again: only the 9 documents that are new now are counted, once
    monkeypatch.setattr(load, "_replace_clusters", real)
    land_folder(db, [tmp_path / "in"], chunk_size=4)
    assert _stats(db)[0] == {"gazette": 15}
    assert _chrome_count(db) == 15
    n_docs = _q(db, "SELECT count(*) FROM clean.documents")[0][0]
    assert n_docs == 15


def test_reclean_all_applies_what_the_first_run_learned(tmp_path) -> None:
    from flows.reclean import reclean

    db = tmp_path / "w.duckdb"
    n = lc.MIN_SOURCE_DOCS + 1
    write_source(tmp_path / "in" / "gazette", n, seed=8)
    first = land_folder(db, [tmp_path / "in"])
    assert all(rules == [] for rules in _removed(db, first).values())
    before = _stats(db)
    # same rules version: only --all selects them; the source's statistics are there now
    assert reclean(db).run_id is None
    result = reclean(db, all_docs=True)
    assert result.counts and len(result.changes) == n
    removed = _removed(db, first)
    assert len(removed) == n and all(rules == [("learned_chrome", CHROME)] for rules in removed.values())
    assert _stats(db) == before  # recleaning counts nothing: each document was counted when it landed


def _stage_run(db, paths):
    """A run of the flow's plain steps up to (not including) its load."""
    cfg = DedupConfig()
    counters = steps.RunCounters()
    run, staging = steps.start_run(db, {})
    for docs, rejected in steps.input_chunks(paths, 1000, counters):
        docs = learned.with_source_stats(steps.filter_new(docs, db, staging, counters), db)
        docs = steps.stage_raw(staging, run, docs)
        kept, quarantined = steps.prepare_batch(docs, cfg)
        found = steps.find_chunk_pairs(kept, db, staging, cfg)
        steps.stage(staging, run, kept, [*rejected, *quarantined], found, counters)
    steps.find_run_pairs(db, staging, run, cfg)
    return run, staging, counters


def _finish(db, run, staging, counters):
    try:
        return steps.finish_run(db, run, staging, steps.cluster_run(db, staging, run), counters)
    finally:
        staging.remove()


def test_documents_another_run_landed_meanwhile_are_not_counted_again(tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    write_source(tmp_path / "in" / "gazette", 5, seed=7)
    # both runs stage the same 5 documents while neither has landed
    slow = _stage_run(db, [tmp_path / "in"])
    fast = _stage_run(db, [tmp_path / "in"])
    assert _finish(db, *fast)["clean.documents"] == 5
    after_fast = _stats(db)
    assert after_fast[0] == {"gazette": 5}
    counts = _finish(db, *slow)
    # the slow run's documents are not new at its load: it lands none and counts none
    assert counts["clean.documents"] == 0
    assert _stats(db) == after_fast


@pytest.mark.prefect
def test_the_ingest_flow_applies_what_earlier_runs_learned(prefect_harness, tmp_path) -> None:
    from flows.ingest import ingest_flow

    db = tmp_path / "flow.duckdb"
    write_source(tmp_path / "one" / "gazette", lc.MIN_SOURCE_DOCS, seed=5)
    first = ingest_flow(paths=[str(tmp_path / "one")], db=str(db), batch_size=4, chunk_size=6)
    assert first["new_rows"]["clean.source_doc_counts"] == 1
    assert all(rules == [] for rules in _removed(db, first["run_id"]).values())

    write_source(tmp_path / "two" / "gazette", 3, seed=6)
    second = ingest_flow(paths=[str(tmp_path / "two")], db=str(db), batch_size=2, chunk_size=2)
    removed = _removed(db, second["run_id"])
    assert len(removed) == 3 and all(rules == [("learned_chrome", CHROME)] for rules in removed.values())
    assert _stats(db)[0] == {"gazette": lc.MIN_SOURCE_DOCS + 3}
    assert _chrome_count(db) == lc.MIN_SOURCE_DOCS + 3
