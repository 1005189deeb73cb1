"""The ingest flow end to end through Prefect, on the project's own examples/."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES
from warehouse.connection import connect

pytestmark = pytest.mark.prefect


def _ingest(paths, db):
    from flows.ingest import ingest_flow

    return ingest_flow(paths=[str(p) for p in paths], db=str(db), batch_size=4)


def _q(db, sql):
    con = connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _counts(db):
    tables = [r[0] for r in _q(db, "SELECT schema_name || '.' || table_name FROM duckdb_tables()")]
    return {t: _q(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def test_examples_land_with_every_phenomenon(prefect_harness, db_path):
    result = _ingest([EXAMPLES], db_path)
    docs = dict(_q(db_path, "SELECT regexp_extract(source_uri, '[^/]+$'), lang FROM documents"))
    assert docs["id_banjir_jakarta.txt"] == "id" and docs["en_wildfire.txt"] == "en"
    assert {"en_market_report.html", "id_pasar.htm", "scraper_output.jsonl#L1"} <= set(docs)
    quarantined = dict(_q(db_path, "SELECT regexp_extract(source_uri, '[^/]+$'), reason FROM quarantine"))
    assert quarantined == {
        "photo.txt": "binary",
        "notes.docx": "unsupported_type",
        "empty.txt": "empty",
        "scraper_output.jsonl#L4": "bad_json",
        "scraper_output.jsonl#L5": "no_text",
    }
    teasers = _q(
        db_path,
        "SELECT count(*) FROM removed_lines r JOIN documents d USING (doc_id) "
        "WHERE d.source_uri LIKE '%id_banjir_jakarta.txt' AND r.rule = 'teaser_link'",
    )
    assert teasers[0][0] == 6
    pairs = {
        (a, b): kind
        for a, b, kind in _q(
            db_path,
            "SELECT regexp_extract(x.source_uri, '[^/]+$'), regexp_extract(y.source_uri, '[^/]+$'), p.kind "
            "FROM similar_pairs p JOIN documents x ON x.doc_id = p.doc_id_a JOIN documents y ON y.doc_id = p.doc_id_b",
        )
    }
    by_files = {frozenset(k): v for k, v in pairs.items()}
    assert by_files[frozenset({"en_wildfire.txt", "en_wildfire_copy.txt"})] == "exact"
    assert by_files[frozenset({"en_wildfire.txt", "en_wildfire_near.txt"})] == "near"
    assert by_files[frozenset({"id_banjir_jakarta.txt", "id_banjir_jakarta_syndicated.txt"})] == "overlap"
    run = _q(
        db_path, f"SELECT status, n_inputs, n_documents, n_quarantined FROM runs WHERE run_id = '{result['run_id']}'"
    )
    status, n_inputs, n_documents, n_quarantined = run[0]
    assert status == "succeeded" and n_inputs == n_documents + n_quarantined


def test_rerun_adds_only_a_runs_row(prefect_harness, db_path):
    _ingest([EXAMPLES], db_path)
    before = _counts(db_path)
    _ingest([EXAMPLES], db_path)
    after = _counts(db_path)
    assert after.pop("ops.runs") == before.pop("ops.runs") + 1
    assert after == before
    last = _q(db_path, "SELECT n_documents, n_skipped FROM runs ORDER BY started_at DESC LIMIT 1")[0]
    assert last[0] == 0 and last[1] > 0
