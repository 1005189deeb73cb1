"""`sift export`: partitioned files + manifest, read back with DuckDB, equal
to the documents view (filtered); incremental by run; verifiable."""

from __future__ import annotations

import json

import duckdb
import pytest

from flows.cli import main
from tests.fixtures_landed import EN_2, land_folder, write_corpus
from tests.fixtures_old_db import build_old_db
from warehouse.connection import WarehouseError, connect, schema_version
from warehouse.export import export_documents, read_export, verify_export
from warehouse.integrity import table_checksums


@pytest.fixture(scope="module")
def landed(tmp_path_factory):
    """A warehouse with two runs: the corpus, then one more document."""
    root = tmp_path_factory.mktemp("export")
    db = root / "w.duckdb"
    run1 = land_folder(db, [write_corpus(root / "corpus")])
    (root / "more").mkdir()
    (root / "more" / "late.txt").write_text(EN_2.replace("storm", "blizzard"), encoding="utf-8")
    run2 = land_folder(db, [root / "more"])
    return db, run1, run2


def _view_rows(con, where="true", params=()):
    return con.execute(f"SELECT * FROM documents WHERE {where} ORDER BY doc_id", list(params)).fetchall()


def _exported_rows(con, out):
    return read_export(con, out).order("doc_id").fetchall()


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_round_trip_returns_the_same_rows_as_the_documents_view(landed, tmp_path, fmt):
    db, run1, run2 = landed
    con = connect(db, read_only=True)
    try:
        before = table_checksums(con)
        manifest = export_documents(con, tmp_path / "out", fmt)
        assert _exported_rows(con, tmp_path / "out") == _view_rows(con)
        assert table_checksums(con) == before  # exporting changes nothing
        n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        langs = {r[0] for r in con.execute("SELECT DISTINCT lang FROM documents").fetchall()}
        assert manifest["schema_version"] == schema_version(con)
    finally:
        con.close()
    assert manifest["row_count"] == n_docs == 6
    assert manifest["run_ids"] == sorted([run1, run2]) and manifest["watermark_run_id"] == run2
    assert {f["lang"] for f in manifest["files"]} == langs
    for f in manifest["files"]:
        assert f["path"] == f"lang={f['lang']}/run_date={f['run_date']}/part-{f['run_id']}.{fmt}"
        assert len(f["sha256"]) == 64 and f["rows"] > 0
    assert json.loads((tmp_path / "out" / "manifest.json").read_text()) == manifest
    assert verify_export(tmp_path / "out") == []


def test_language_and_canonical_filters(landed, tmp_path):
    db, _, _ = landed
    con = connect(db, read_only=True)
    try:
        manifest = export_documents(con, tmp_path / "out", "jsonl", langs=["en"], canonical_only=True)
        expected = _view_rows(con, "lang = 'en' AND is_canonical")
        assert _exported_rows(con, tmp_path / "out") == expected
        n_en = len(_view_rows(con, "lang = 'en'"))
    finally:
        con.close()
    assert 0 < manifest["row_count"] == len(expected) < n_en  # the upper-case copy is left out
    assert {f["lang"] for f in manifest["files"]} == {"en"}


def test_since_exports_only_runs_landed_later(landed, tmp_path):
    db, run1, run2 = landed
    con = connect(db, read_only=True)
    try:
        later = export_documents(con, tmp_path / "later", "parquet", since=run1)
        assert _exported_rows(con, tmp_path / "later") == _view_rows(con, "run_id = ?", [run2])
        nothing = export_documents(con, tmp_path / "nothing", "parquet", since=run2)
        assert _exported_rows(con, tmp_path / "nothing") == []
        with pytest.raises(WarehouseError, match="no succeeded run"):
            export_documents(con, tmp_path / "bad", "parquet", since="no-such-run")
    finally:
        con.close()
    assert later["run_ids"] == [run2] and later["row_count"] == 1
    assert nothing["files"] == [] and nothing["row_count"] == 0 and nothing["watermark_run_id"] == run2


def test_verify_finds_tampered_missing_and_unfinished_exports(landed, tmp_path):
    db, _, _ = landed
    con = connect(db, read_only=True)
    try:
        manifest = export_documents(con, tmp_path / "out", "parquet")
    finally:
        con.close()
    first, second = (tmp_path / "out" / f["path"] for f in manifest["files"][:2])
    first.write_bytes(first.read_bytes() + b"x")
    second.unlink()
    problems = verify_export(tmp_path / "out")
    assert any("sha256 differs" in p for p in problems) and any("missing" in p for p in problems)
    (tmp_path / "empty").mkdir()
    assert "no manifest.json" in verify_export(tmp_path / "empty")[0]


def test_export_refuses_a_non_empty_directory_and_an_unmigrated_file(landed, tmp_path):
    db, _, _ = landed
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    con = connect(db, read_only=True)
    try:
        with pytest.raises(WarehouseError, match="not empty"):
            export_documents(con, tmp_path / "used", "parquet")
    finally:
        con.close()
    old = tmp_path / "old.duckdb"
    build_old_db(old)
    con = connect(old, read_only=True)
    try:
        with pytest.raises(WarehouseError, match="sift migrate"):
            export_documents(con, tmp_path / "out", "parquet")
    finally:
        con.close()


def test_sift_export_command(landed, tmp_path, capsys):
    db, run1, run2 = landed
    out = tmp_path / "out"
    args = ["export", "--db", str(db), "--out", str(out), "--format", "jsonl", "--lang", "id, en", "--since", run1]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "exported 1 documents in 1 files" in printed and f"--since {run2}" in printed
    assert duckdb.sql(f"SELECT count(*) FROM read_json_auto('{out}/lang=*/*/*.jsonl')").fetchall() == [(1,)]
    assert main(["export", "--db", str(db), "--out", str(out)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "o2"), "--lang", ","]) == 2
