"""`sift reclean`: documents cleaned by older rules are cleaned again from their raw
inputs; only they are examined, what changed is recorded, dedup rows follow, and
everything else is left as it was. Plain functions, no Prefect."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import cleaners.lines
from cleaners.limits import Limits
from cleaners.rules import RULES, Verdict
from cleaners.version import RULES_VERSION
from flows import steps
from flows.reclean import reclean
from tests.fixtures_landed import EN, EN_2, ID, land_folder
from warehouse.connection import connect
from warehouse.integrity import check_integrity, table_checksum, table_checksums

PROMO = "PROMO: The mountain lodge offers warm rooms, hot soup and guided walks for every family this season."
OTHER = (
    "The city council approved a plan to plant two thousand trees along the river before next spring.\n"
    "Volunteers from local schools will help water the young trees during the first dry summer months.\n"
)
IN_PROCESS = Limits(doc_timeout_seconds=None)  # the patched rule below lives in this process only


def rule_promo(ctx):
    """The 'new rule' of these tests: a promotion line is chrome."""
    return Verdict("advertisement", True) if ctx.line.startswith("PROMO:") else None


@pytest.fixture
def new_rule(monkeypatch):
    original = cleaners.lines.classify_lines

    def classify(text, rules=RULES, **kwargs):
        return original(text, rules=(*rules, rule_promo), **kwargs)

    monkeypatch.setattr(cleaners.lines, "classify_lines", classify)


def _write(folder, files):
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def landed(tmp_path, monkeypatch):
    """Old documents landed under rules 'r-old', newer ones under the current rules."""
    db = tmp_path / "w.duckdb"
    feed = [
        json.dumps({"text": ID + PROMO + "\n", "url": "https://example.id/feri", "title": "Terminal feri"}),
        json.dumps({"text": OTHER, "source": "city"}),
    ]
    old = _write(
        tmp_path / "old",
        {
            "storm.txt": EN_2 + PROMO + "\n",  # loses its promo line: becomes an exact copy of new/storm.txt
            "ferry.txt": EN,  # unchanged
            "promo.txt": "\n".join([PROMO, PROMO.replace("rooms", "beds"), PROMO.replace("soup", "tea")]) + "\n",
            "feed.jsonl": "\n".join(feed) + "\n",
        },
    )
    new = _write(
        tmp_path / "new",
        {
            "storm.txt": EN_2,
            "storm_copy.txt": (EN_2 + PROMO + "\n").upper(),  # an exact copy of old/storm.txt as landed
            "other.txt": OTHER.replace("river", "harbour") + PROMO + "\n",  # current rules: never examined
        },
    )
    with monkeypatch.context() as m:
        m.setattr(steps, "RULES_VERSION", "r-old")
        land_folder(db, [old])
    land_folder(db, [new])
    return db


def _ids(con) -> dict[str, str]:
    """doc_id by 'folder/file' (or 'folder/file#Ln')."""
    rows = con.execute("SELECT source_uri, doc_id FROM clean.documents").fetchall()
    return {uri.rsplit("/", 2)[-2] + "/" + uri.rsplit("/", 1)[-1]: doc_id for uri, doc_id in rows}


def _state(db):
    con = connect(db, read_only=True)
    try:
        ids = _ids(con)
        sums = table_checksums(con)
        pairs = {
            (a, b): kind for a, b, kind in con.execute("SELECT doc_id_a, doc_id_b, kind FROM dedup.pairs").fetchall()
        }
        bands = dict(con.execute("SELECT doc_id, count(*) FROM dedup.bands GROUP BY doc_id").fetchall())
        return ids, sums, pairs, bands
    finally:
        con.close()


def _pair(pairs, a, b):
    return pairs.get((min(a, b), max(a, b)))


def test_dry_run_counts_only_the_old_documents_and_writes_nothing(landed):
    db = landed
    _, before, _, _ = _state(db)
    result = reclean(db, dry_run=True)
    assert result.run_id is None
    assert result.plan.by_version == {"r-old": 5}
    assert result.plan.rules_version == RULES_VERSION
    assert _state(db)[1] == before


def _checksums(db, where: dict[str, str]) -> dict[str, str]:
    """Checksums of the rows of each table (a key is 'schema.table', then optionally a label) `where` selects."""
    con = connect(db, read_only=True)
    try:
        return {key: table_checksum(con, key.split()[0], cond) for key, cond in where.items()}
    finally:
        con.close()


def _checksum_but_version(db, where: str) -> str:
    """clean.documents rows without their rules_version: what an unchanged document keeps."""
    con = connect(db, read_only=True)
    try:
        cols = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'clean' "
                "AND table_name = 'documents' AND column_name <> 'rules_version'"
            ).fetchall()
        ]
        return table_checksum(con, "clean.documents", where, columns=cols)
    finally:
        con.close()


def _in(doc_ids) -> str:
    return "doc_id IN (" + ", ".join(f"'{d}'" for d in sorted(doc_ids)) + ")"


@pytest.fixture
def recleaned(landed, new_rule):
    """The landed warehouse, its state before, and a reclean under the new rule."""
    db = landed
    ids, before, pairs, bands = _state(db)
    untouched = [ids[k] for k in ("new/storm.txt", "new/storm_copy.txt", "new/other.txt", "old/promo.txt")]
    where = {t: _in(untouched) for t in ("clean.documents", "clean.removed_lines", "clean.paragraphs")}
    reindexed = [ids[k] for k in ("old/storm.txt", "old/feed.jsonl#L1", "new/storm_copy.txt")]
    where["dedup.bands"] = "NOT " + _in(reindexed)
    unchanged = _in(ids[k] for k in ("old/ferry.txt", "old/feed.jsonl#L2"))
    where["clean.removed_lines unchanged"] = unchanged
    snapshot = _checksums(db, where) | {"clean.documents unchanged": _checksum_but_version(db, unchanged)}
    result = reclean(db, limits=IN_PROCESS)
    return SimpleNamespace(
        db=db, ids=ids, before=before, pairs=pairs, bands=bands, where=where, snapshot=snapshot, result=result
    )


def test_only_old_documents_are_examined_and_counted_by_outcome(recleaned):
    db, ids, result = recleaned.db, recleaned.ids, recleaned.result
    storm, feed1, promo = ids["old/storm.txt"], ids["old/feed.jsonl#L1"], ids["old/promo.txt"]
    assert result.plan.by_version == {"r-old": 5}
    assert result.counts == {"examined": 5, "changed": 2, "unchanged": 2, "metadata_changed": 0, "quarantined": 1}
    assert {c.doc_id: c.change for c in result.changes} == {storm: "text", feed1: "text", promo: "quarantined"}
    con = connect(db, read_only=True)
    try:
        assert check_integrity(con) == []
        recorded = con.execute(
            "SELECT doc_id, change, old_rules_version, new_rules_version, old_len > new_len, reason "
            "FROM ops.reclean_changes WHERE run_id = ? ORDER BY doc_id",
            [result.run_id],
        ).fetchall()
        expected = [
            (storm, "text", "r-old", RULES_VERSION, True, None),
            (feed1, "text", "r-old", RULES_VERSION, True, None),
            (promo, "quarantined", "r-old", RULES_VERSION, None, "empty_after_cleaning"),
        ]
        assert recorded == sorted(expected)
        run = con.execute(
            "SELECT status, n_inputs, n_documents, n_quarantined, n_skipped, rules_version, params, summary "
            "FROM ops.runs WHERE run_id = ?",
            [result.run_id],
        ).fetchone()
        assert run[:6] == ("succeeded", 5, 0, 1, 4, RULES_VERSION)
        assert json.loads(run[6])["command"] == "reclean"
        summary = json.loads(run[7])
        assert (summary["examined"], summary["changed"], summary["from_rules_versions"]) == (5, 2, {"r-old": 5})
        quarantine = con.execute("SELECT reason, run_id FROM ops.quarantine WHERE source_uri LIKE '%promo.txt'")
        assert quarantine.fetchall() == [("empty_after_cleaning", result.run_id)]
    finally:
        con.close()


def test_the_changed_documents_clean_layer_is_replaced(recleaned):
    db, ids = recleaned.db, recleaned.ids
    storm, feed1, promo = ids["old/storm.txt"], ids["old/feed.jsonl#L1"], ids["old/promo.txt"]
    con = connect(db, read_only=True)
    try:
        docs = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT doc_id, clean_text, rules_version, n_words, n_removed_lines, title, url FROM clean.documents"
            ).fetchall()
        }
        assert docs[storm][:4] == (EN_2.strip(), RULES_VERSION, len(EN_2.split()), 1)
        assert PROMO not in docs[feed1][0] and docs[feed1][4:] == ("Terminal feri", "https://example.id/feri")
        assert PROMO in docs[promo][0] and docs[promo][1] == "r-old"  # quarantined: kept as it was
        assert PROMO in docs[ids["new/other.txt"]][0]  # current rules: never examined
        assert {d for d, row in docs.items() if row[1] != RULES_VERSION} == {promo}
        removed = con.execute(
            "SELECT line_text, rule FROM clean.removed_lines WHERE doc_id = ? ORDER BY line_no", [storm]
        ).fetchall()
        assert removed == [(PROMO, "advertisement")]
        paragraphs = con.execute("SELECT count(*) FROM clean.paragraphs WHERE doc_id = ?", [storm]).fetchone()
        assert paragraphs == (3,)
    finally:
        con.close()


def test_dedup_rows_follow_the_new_text(recleaned):
    db, ids, result = recleaned.db, recleaned.ids, recleaned.result
    pairs_before, bands_before = recleaned.pairs, recleaned.bands
    storm, copy, b_storm = ids["old/storm.txt"], ids["new/storm_copy.txt"], ids["new/storm.txt"]
    assert _pair(pairs_before, storm, b_storm) == "overlap" and _pair(pairs_before, storm, copy) == "exact"
    assert bands_before.get(storm) and not bands_before.get(copy)  # an exact copy is not indexed
    _, _, pairs, bands = _state(db)
    # the re-cleaned text is an exact copy of new/storm.txt now; its old copy lost its
    # representative and is indexed again, overlapping new/storm.txt as before
    assert _pair(pairs, storm, b_storm) == "exact"
    assert _pair(pairs, storm, copy) is None and _pair(pairs, copy, b_storm) == "overlap"
    assert not bands.get(storm) and bands.get(copy) == bands_before[storm]
    con = connect(db, read_only=True)
    try:
        maps = con.execute(
            "SELECT count(*) FROM dedup.paragraph_map WHERE ? IN (doc_id_a, doc_id_b) AND ? IN (doc_id_a, doc_id_b)",
            [storm, b_storm],
        ).fetchone()
        assert maps == (0,)
        members = dict(con.execute("SELECT doc_id, cluster_id FROM dedup.cluster_members").fetchall())
        assert members == {storm: storm, b_storm: storm}  # the cluster keeps its id; the copy left it
        cluster = con.execute("SELECT canonical_doc_id, size, updated_run_id FROM dedup.clusters").fetchall()
        assert cluster == [(storm, 2, result.run_id)]
        events = con.execute(
            "SELECT event, doc_id FROM dedup.cluster_history WHERE run_id = ? ORDER BY event, doc_id", [result.run_id]
        ).fetchall()
        assert events == [("joined", b_storm), ("left", copy)]
    finally:
        con.close()


def test_everything_else_is_left_as_it_was(recleaned):
    db, before = recleaned.db, recleaned.before
    unchanged = recleaned.where["clean.removed_lines unchanged"]
    rows = _checksums(db, recleaned.where) | {"clean.documents unchanged": _checksum_but_version(db, unchanged)}
    assert rows == recleaned.snapshot
    con = connect(db, read_only=True)
    try:
        tables = table_checksums(con)
    finally:
        con.close()
    for table in ("raw.inputs", "clean.source_line_stats", "clean.source_doc_counts", "ops.source_files"):
        assert tables[table] == before[table], table


def test_a_second_reclean_examines_nothing_and_changes_nothing(recleaned):
    db = recleaned.db
    _, before, _, _ = _state(db)
    again = reclean(db, limits=IN_PROCESS)
    assert again.run_id is None and again.plan.old_versions == {}
    assert _state(db)[1] == before
    assert reclean(db, dry_run=True).plan.old_versions == {}
