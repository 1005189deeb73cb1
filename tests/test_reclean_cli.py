"""`sift reclean` on the command line and its run options: --dry-run, --all, --limit,
and waiting for an ingest in progress. The corpus is landed under the current rules
and then made to look cleaned by older ones, so the real cleaning (in its worker
process) restores it."""

from __future__ import annotations

import pytest

from flows.cli import main
from flows.reclean import reclean
from tests.fixtures_landed import land_folder, write_corpus
from tests.test_reclean import _ids
from warehouse.connection import WarehouseError, connect
from warehouse.integrity import check_integrity, table_checksums
from warehouse.staging import Staging, staging_root


@pytest.fixture
def tampered(tmp_path):
    """A corpus landed under the current rules, then made to look cleaned by older ones:
    every document at 'r-old', one that kept its teaser line, one with another title."""
    db = tmp_path / "t.duckdb"
    land_folder(db, [write_corpus(tmp_path / "corpus")])
    con = connect(db)
    try:
        ids = _ids(con)
        ferry, id_ferry = ids["corpus/en_ferry.txt"], ids["corpus/id_ferry.txt"]
        con.execute("UPDATE clean.documents SET rules_version = 'r-old'")
        con.execute(
            "UPDATE clean.documents SET clean_text = clean_text || '\nRead more: Fishermen protest new quota rules', "
            "n_removed_lines = 0 WHERE doc_id = ?",
            [ferry],
        )
        con.execute("DELETE FROM clean.removed_lines WHERE doc_id = ?", [ferry])
        con.execute("UPDATE clean.documents SET title = 'An older title' WHERE doc_id = ?", [id_ferry])
        pairs = con.execute("SELECT kind, count(*) FROM dedup.pairs GROUP BY kind ORDER BY kind").fetchall()
    finally:
        con.close()
    return db, ferry, id_ferry, pairs


def test_the_cli_prints_what_changed_and_exits_0(tampered, capsys):
    db, ferry, id_ferry, pairs = tampered
    assert main(["reclean", "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would re-clean      5 documents" in out and "r-old 5" in out
    assert main(["reclean", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    for line in ("examined            5", "changed             1", "quarantined         0", f"text         {ferry}"):
        assert line in out, out
    con = connect(db, read_only=True)
    try:
        changes = con.execute("SELECT doc_id, change, fields FROM ops.reclean_changes ORDER BY change").fetchall()
        assert changes[0][:2] == (id_ferry, "metadata") and changes[0][2] == ["title"]
        assert changes[1][:2] == (ferry, "text") and "removed_lines" in changes[1][2]
        text = con.execute("SELECT clean_text FROM clean.documents WHERE doc_id = ?", [ferry]).fetchone()[0]
        assert "Read more" not in text
        rules = con.execute("SELECT rule FROM clean.removed_lines WHERE doc_id = ?", [ferry]).fetchall()
        assert rules == [("teaser_link",)]
        # the restored text finds the same pairs again
        assert con.execute("SELECT kind, count(*) FROM dedup.pairs GROUP BY kind ORDER BY kind").fetchall() == pairs
        assert check_integrity(con) == []
    finally:
        con.close()
    assert main(["reclean", "--db", str(db)]) == 0
    assert "nothing to re-clean" in capsys.readouterr().out
    assert main(["reclean", "--db", str(db), "--limit", "0"]) == 2


def test_all_and_limit_work_through_every_document_in_doc_id_order(tampered):
    db = tampered[0]
    first = reclean(db, all_docs=True, limit=2, dry_run=True).plan.old_versions
    con = connect(db, read_only=True)
    try:
        every = [r[0] for r in con.execute("SELECT doc_id FROM clean.documents ORDER BY doc_id").fetchall()]
    finally:
        con.close()
    assert list(first) == every[:2]
    done = reclean(db, limit=3)
    assert done.counts["examined"] == 3 and list(done.plan.old_versions) == every[:3]
    rest = reclean(db)
    assert list(rest.plan.old_versions) == every[3:]
    forced = reclean(db, all_docs=True)
    assert forced.counts == {"examined": 5, "changed": 0, "unchanged": 5, "metadata_changed": 0, "quarantined": 0}
    assert forced.changes == ()


def test_no_write_while_an_ingest_is_in_progress(tampered, monkeypatch):
    db = tampered[0]
    monkeypatch.setenv("SIFT_LOCK_RETRIES", "1")
    monkeypatch.setenv("SIFT_LOCK_WAIT_S", "0")
    con = connect(db, read_only=True)
    before = table_checksums(con)
    con.close()
    ingest = Staging(staging_root(db), "20990101T000000-ingest")  # a live run's staging lock
    try:
        with pytest.raises(WarehouseError, match="still in progress"):
            reclean(db)
    finally:
        ingest.remove()
    con = connect(db, read_only=True)
    try:
        after = table_checksums(con)
        assert {t for t in before if before[t] != after[t]} == {"ops.runs"}
        status = con.execute("SELECT status, params->>'command' FROM ops.runs ORDER BY started_at DESC LIMIT 1")
        assert status.fetchone() == ("failed", "reclean")
    finally:
        con.close()
