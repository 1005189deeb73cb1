"""The spine's acceptance check on the five seed documents in ../shared.

The suite must pass without ../shared, so this skips (saying why) when the
seeds are not beside the checkout; CI has them.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from warehouse.connection import connect

SEEDS = ROOT.parent / "shared" / "seeds"
pytestmark = [
    pytest.mark.prefect,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}"),
]


def _q(db, sql):
    con = connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_seeds_land_cleaned_with_one_overlap_and_rerun_adds_nothing(prefect_harness, db_path):
    from flows.ingest import ingest_flow

    ingest_flow(paths=[str(SEEDS)], db=str(db_path))
    langs = _q(db_path, "SELECT lang FROM documents ORDER BY source_uri")
    assert [r[0] for r in langs] == ["id", "id", "en", "en", "en"]
    removed = _q(
        db_path,
        "SELECT substr(d.source_uri, -24, 3), r.rule, r.line_text FROM removed_lines r "
        "JOIN documents d USING (doc_id) ORDER BY d.source_uri, r.line_no",
    )
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for seed, rule, text in removed:
        by_doc.setdefault(seed, []).append((rule, text))
    assert [r for r, _ in by_doc["000"]] == ["teaser_link"] * 6
    assert all(t.startswith("Baca:") for _, t in by_doc["000"])
    assert by_doc["002"][0][1] == "Security"
    assert {"Do you like this article?", "Captcha *", "By Al-Fassel |"} <= {t for _, t in by_doc["002"]}
    assert [r for r, _ in by_doc["004"]] == ["author_bio"]
    assert "001" not in by_doc and "003" not in by_doc
    original_003 = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    clean_003 = _q(db_path, "SELECT clean_text FROM documents WHERE source_uri LIKE '%003_%'")[0][0]
    assert clean_003.split("\n") == [line for line in original_003.split("\n") if line.strip()]
    pairs = _q(
        db_path,
        "SELECT substr(a.source_uri, -24, 3), substr(b.source_uri, -24, 3), p.kind "
        "FROM similar_pairs p JOIN documents a ON a.doc_id = p.doc_id_a JOIN documents b ON b.doc_id = p.doc_id_b",
    )
    assert [(sorted(p[:2]), p[2]) for p in pairs] == [(["000", "001"], "overlap")]
    assert len(_q(db_path, "SELECT * FROM dedup.paragraph_map")) == 6

    tables = [r[0] for r in _q(db_path, "SELECT schema_name || '.' || table_name FROM duckdb_tables()")]
    before = {t: _q(db_path, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    ingest_flow(paths=[str(SEEDS)], db=str(db_path))
    after = {t: _q(db_path, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    assert after.pop("ops.runs") == before.pop("ops.runs") + 1
    assert after == before
