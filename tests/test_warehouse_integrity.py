"""check_integrity reports each kind of inconsistency it is meant to find,
and nothing on a consistent warehouse; table checksums see any change."""

from __future__ import annotations

import shutil

import pytest

from tests.fixtures_old_db import DOC_A, DOC_B, RUN, build_old_db
from warehouse.connection import connect, open_warehouse
from warehouse.integrity import check_integrity, table_checksum, table_checksums

GHOST = "g" * 20

# (what is injected, SQL that injects it, a phrase the report must contain)
INJECTIONS = [
    ("raw input deleted", f"DELETE FROM raw.inputs WHERE raw_id = '{DOC_B}'", "document without its raw input"),
    (
        "raw input alone",
        f"INSERT INTO raw.inputs VALUES ('{GHOST}', 'x', 'x', NULL, 1, 's', 'x'::BLOB, '{RUN}', now()::TIMESTAMP)",
        "raw input without a document",
    ),
    (
        "removed line of a missing document",
        f"INSERT INTO clean.removed_lines VALUES ('{GHOST}', 0, 'x', 'byline')",
        "clean.removed_lines.doc_id pointing to a missing document",
    ),
    (
        "paragraph of a missing document",
        f"INSERT INTO clean.paragraphs VALUES ('{GHOST}', 0, 1, 'h')",
        "clean.paragraphs.doc_id pointing to a missing document",
    ),
    (
        "band of a missing document",
        f"INSERT INTO dedup.bands VALUES ('{GHOST}', -1, 0, 1)",
        "dedup.bands.doc_id pointing to a missing document",
    ),
    (
        "pair with a missing document",
        f"INSERT INTO dedup.pairs VALUES ('{DOC_B}', '{GHOST}', 'near', 0.9, 0.9, 1, 1, '{RUN}')",
        "dedup.pairs.doc_id_b pointing to a missing document",
    ),
    (
        "cluster member that is not a document",
        f"INSERT INTO dedup.cluster_members VALUES ('{GHOST}', '{DOC_A}', '{RUN}')",
        "dedup.cluster_members.doc_id pointing to a missing document",
    ),
    ("duplicate band", f"INSERT INTO dedup.bands VALUES ('{DOC_A}', -1, 0, 42)", "duplicate (doc_id, para_no, band)"),
    (
        "canonical document outside its cluster",
        f"DELETE FROM dedup.cluster_members WHERE doc_id = '{DOC_A}'",
        "cluster whose canonical document is not one of its members",
    ),
    ("cluster size wrong", "UPDATE dedup.clusters SET size = 3", "cluster whose size differs"),
    ("cluster gone", "DELETE FROM dedup.clusters", "cluster member whose cluster is missing"),
    ("removed lines lost", "DELETE FROM clean.removed_lines", "n_removed_lines differs"),
    ("pair reversed", f"UPDATE dedup.pairs SET doc_id_a = '{DOC_B}', doc_id_b = '{DOC_A}'", "not ordered"),
    ("pair lost", "DELETE FROM dedup.pairs", "paragraph match without its pair"),
    (
        "document of an unknown run",
        f"UPDATE clean.documents SET run_id = 'ghost-run' WHERE doc_id = '{DOC_B}'",
        "clean.documents.run_id pointing to a missing run",
    ),
    ("run count wrong", "UPDATE ops.runs SET n_documents = 7", "n_documents differs from the documents it landed"),
    ("run totals wrong", "UPDATE ops.runs SET n_skipped = 4", "n_inputs = n_documents + n_quarantined + n_skipped"),
    ("finished run without end", "UPDATE ops.runs SET finished_at = NULL", "finished run without finished_at"),
    (
        "document of a failed run",
        "UPDATE ops.runs SET status = 'failed'",
        "document landed by a run that did not succeed",
    ),
    (
        "stale running run",
        "INSERT INTO ops.runs (run_id, started_at, status) VALUES ('stale', TIMESTAMP '2024-01-01', 'running')",
        "still 'running' although a later run has finished: stale",
    ),
]


@pytest.fixture(scope="module")
def upgraded_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("integrity") / "base.duckdb"
    build_old_db(path)
    open_warehouse(path).close()
    return path


@pytest.fixture
def upgraded(upgraded_file, db_path):
    """A fresh copy of a consistent, upgraded warehouse for each test to break."""
    shutil.copyfile(upgraded_file, db_path)
    con = connect(db_path)  # migrated already
    yield con
    con.close()


def test_a_consistent_warehouse_has_no_problems(upgraded):
    assert check_integrity(upgraded) == []


@pytest.mark.parametrize(("what", "sql", "expected"), INJECTIONS, ids=[i[0] for i in INJECTIONS])
def test_each_injected_problem_is_reported(upgraded, what, sql, expected):
    upgraded.execute(sql)
    problems = check_integrity(upgraded)
    assert any(expected in p for p in problems), f"{what}: {problems}"


def test_a_live_run_is_not_reported_as_stale(upgraded):
    upgraded.execute(
        "INSERT INTO ops.runs (run_id, started_at, status) VALUES ('live', TIMESTAMP '2024-01-01', 'running')"
    )
    assert any("live" in p for p in check_integrity(upgraded))
    assert check_integrity(upgraded, live_run_ids=["live"]) == []


def test_duplicates_in_tables_without_a_primary_key_are_reported(db_path):
    con = open_warehouse(db_path)  # current schema: child tables carry no key constraint
    has_pk = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE schema_name = 'clean' AND table_name = 'removed_lines' "
        "AND constraint_type = 'PRIMARY KEY'"
    ).fetchone()[0]
    if has_pk:
        pytest.skip("clean.removed_lines has a primary key in this schema: DuckDB refuses duplicates itself")
    for _ in range(2):
        con.execute("INSERT INTO clean.removed_lines (doc_id, line_no, line_text, rule) VALUES ('d', 0, 'x', 'byline')")
    problems = check_integrity(con)
    con.close()
    assert any("duplicate (doc_id, line_no) in clean.removed_lines" in p for p in problems)


def test_checksums_change_with_any_value_and_ignore_row_order(upgraded):
    before = table_checksums(upgraded)
    upgraded.execute("UPDATE clean.documents SET lang_score = lang_score + 1e-9 WHERE doc_id = ?", [DOC_B])
    after = table_checksums(upgraded)
    assert {t for t in before if before[t] != after[t]} == {"clean.documents"}
    upgraded.execute("CREATE TABLE ops.shuffled AS SELECT * FROM clean.paragraphs ORDER BY doc_id DESC")
    reordered = table_checksum(upgraded, "ops.shuffled")
    upgraded.execute("CREATE TABLE ops.sorted AS SELECT * FROM clean.paragraphs ORDER BY doc_id")
    # the table name is part of the checksum: compare the row part through a rename
    upgraded.execute("DROP TABLE ops.shuffled")
    upgraded.execute("ALTER TABLE ops.sorted RENAME TO shuffled")
    assert table_checksum(upgraded, "ops.shuffled") == reordered
