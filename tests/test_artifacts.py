"""The run report as markdown (the Prefect artifact), built from the warehouse without Prefect."""

from __future__ import annotations

import json

import pytest

from flows.artifacts import run_details, run_markdown, to_markdown
from tests.fixtures_landed import land_folder, write_corpus
from warehouse.connection import connect


@pytest.fixture
def landed(tmp_path, db_path):
    corpus = write_corpus(tmp_path / "corpus")
    return db_path, land_folder(db_path, [corpus])


def test_details_hold_every_number_the_artifact_shows(landed):
    db, run_id = landed
    con = connect(db, read_only=True)
    try:
        d = run_details(con, run_id)
        n_removed = con.execute(
            "SELECT count(*) FROM removed_lines r JOIN documents d USING (doc_id) WHERE d.run_id = ?", [run_id]
        ).fetchone()[0]
    finally:
        con.close()
    assert (d["n_inputs"], d["n_documents"], d["n_quarantined"]) == (7, 5, 2)
    assert d["n_inputs"] == d["n_documents"] + d["n_quarantined"] + d["n_skipped"]
    assert sum(d["removed_by_rule"].values()) == n_removed > 0
    assert d["removed_by_rule"]["teaser_link"] >= 2
    assert set(d["languages"]) == {"en", "id"}
    assert d["pairs"].get("exact") == 1
    assert d["cluster_sizes"] == {2: 1}  # en_ferry and its upper-case copy
    assert d["quarantined_by_reason"] == {"unsupported_type": 1, "bad_json": 1}
    assert set(d["stage_seconds"]) == {"load"}  # the plain steps time only the load; the flow times the rest
    assert d["params"]["paths"][0].endswith("corpus")


def test_markdown_has_a_section_per_measure(landed):
    db, run_id = landed
    md = run_markdown(db, run_id)
    assert md.startswith(f"# sift run `{run_id}` (succeeded)")
    for heading in (
        "## Lines removed by rule",
        "## Languages",
        "## Duplicate clusters created or grown",
        "## Quarantined by reason",
        "## Time per stage (seconds)",
    ):
        assert heading in md
    assert "| documents landed | 5 |" in md
    assert "| exact pairs | 1 |" in md
    assert "| unsupported_type | 1 |" in md
    assert "| 2 | 1 |" in md  # one cluster of two documents
    assert "| load |" in md


def test_markdown_escapes_table_cells_and_says_none():
    d = {
        "run_id": "r1",
        "status": "failed",
        "params": {"paths": ["a|b"]},
        "n_inputs": 1,
        "n_documents": 0,
        "n_skipped": 0,
        "n_duplicates": 0,
        "n_quarantined": 1,
        "pairs": {},
        "sources": {"new": 1},
        "missing_files": [],
        "removed_by_rule": {},
        "languages": {},
        "cluster_sizes": {},
        "quarantined_by_reason": {"odd|reason": 1},
        "stage_seconds": {"read": 0.5},
        "wall_seconds": None,
        "error": "RuntimeError: boom",
    }
    md = to_markdown(d)
    assert "`a\\|b`" in md and "| odd\\|reason | 1 |" in md
    assert md.count("(none)") == 3  # rules, languages, clusters
    assert "## Error" in md and "boom" in md
    assert json.dumps(d)  # plain data: what the flow hands over is serialisable
