"""Band parameters are recorded, a run with other ones is refused, refingerprint recomputes the bands."""

import json

import pytest

from dedup.config import DedupConfig
from dedup.scheme import BandParamsMismatch, recorded_params
from flows import steps
from flows.cli import main as sift
from tests.fixtures_old_db import build_old_db
from tests.helpers import clean_doc, essay, fingerprinted, land_plain
from warehouse.connection import connect, open_warehouse
from warehouse.staging import staging_root

OLD_PARAMS = {**DedupConfig().band_params(), "word_hash": "blake2b-word-v1"}


def _docs():
    base = essay(1, n_paragraphs=8)
    near = [*base[:7], "a brand new closing paragraph " * 3]
    other = essay(2, n_paragraphs=8)
    return fingerprinted(
        [clean_doc("a.txt", "\n".join(base)), clean_doc("b.txt", "\n".join(near)), clean_doc("c.txt", "\n".join(other))]
    )


def _bands(db) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT * FROM dedup.bands ORDER BY ALL").fetchall()
    finally:
        con.close()


def _pretend_old_bands(db) -> None:
    """What a warehouse fingerprinted with the blake2b word hash looks like: other hashes, other params."""
    con = open_warehouse(db)
    try:
        con.execute("UPDATE dedup.bands SET band_hash = band_hash // 2 + 1")
        con.execute("DELETE FROM dedup.band_params")
        con.execute(
            "INSERT INTO dedup.band_params VALUES (?, TIMESTAMP '2026-01-01', NULL)",  # as migration 0007 would
            [json.dumps(OLD_PARAMS)],
        )
    finally:
        con.close()


def test_the_first_run_records_the_band_parameters_and_each_run_its_own(db_path):
    land_plain(db_path, _docs())
    con = connect(db_path, read_only=True)
    try:
        assert recorded_params(con) == DedupConfig().band_params()
        params = json.loads(con.execute("SELECT params FROM ops.runs").fetchall()[0][0])
    finally:
        con.close()
    assert params["dedup"]["word_hash"] == "poly64-utf8-v2"
    assert params["dedup"]["bands"] == 20 and params["dedup"]["rows"] == 6


def test_a_run_with_other_band_parameters_is_refused_before_it_starts(db_path):
    land_plain(db_path, _docs()[:1])
    with pytest.raises(BandParamsMismatch, match=r"rows 6 -> 5.*sift refingerprint --db"):
        steps.start_run(db_path, {}, DedupConfig(rows=5))
    con = connect(db_path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM ops.runs WHERE status = 'running'").fetchone()[0] == 0
    finally:
        con.close()
    assert not any(staging_root(db_path).glob("*/"))  # its staging folder went with it


def test_refingerprint_restores_the_bands_and_lets_runs_match_landed_documents_again(db_path, capsys):
    docs = _docs()
    land_plain(db_path, [docs[0], docs[2]])
    expected = _bands(db_path)
    _pretend_old_bands(db_path)
    assert _bands(db_path) != expected
    with pytest.raises(BandParamsMismatch, match="word_hash 'blake2b-word-v1' -> 'poly64-utf8-v2'"):
        land_plain(db_path, [docs[1]])

    assert sift(["refingerprint", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "documents           2 fingerprinted again" in out and "blake2b-word-v1 -> poly64-utf8-v2" in out
    assert _bands(db_path) == expected
    con = connect(db_path, read_only=True)
    try:
        assert recorded_params(con) == DedupConfig().band_params()
        command = con.execute("SELECT params->>'command' FROM ops.runs ORDER BY started_at DESC LIMIT 1").fetchone()
        assert command == ("refingerprint",)
    finally:
        con.close()
    pairs, _ = land_plain(db_path, [docs[1]])  # the near copy finds its landed original
    assert [(p.kind, {p.doc_id_a, p.doc_id_b}) for p in pairs] == [("near", {docs[0].doc_id, docs[1].doc_id})]


def test_migration_marks_bands_landed_before_it_as_made_with_the_first_word_hash(db_path):
    build_old_db(db_path)  # the spine's warehouse, with band rows
    con = open_warehouse(db_path)
    try:
        assert recorded_params(con) == OLD_PARAMS
    finally:
        con.close()
    with pytest.raises(BandParamsMismatch, match="sift refingerprint"):
        steps.start_run(db_path, {})


def test_sift_ingest_says_so_before_starting_prefect(db_path, tmp_path, capsys, monkeypatch):
    from flows import cmd_ingest

    land_plain(db_path, _docs()[:1])
    _pretend_old_bands(db_path)
    monkeypatch.setattr(cmd_ingest, "configured_flow", lambda args: pytest.fail("the flow must not start"))
    (tmp_path / "in").mkdir()
    assert sift(["ingest", str(tmp_path / "in"), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "word_hash 'blake2b-word-v1' -> 'poly64-utf8-v2'" in err and "sift refingerprint --db" in err
