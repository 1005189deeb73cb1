import duckdb
import pytest

from flows.cli import main
from warehouse.connection import PAIRS_MEMORY_LIMIT, WarehouseError, connect, migrate, migrations, open_warehouse

CONTRACT = {
    "documents": {
        "doc_id",
        "source_uri",
        "title",
        "lang",
        "lang_score",
        "clean_text",
        "n_removed_lines",
        "cluster_id",
        "is_canonical",
        "run_id",
        "ingested_at",
    },
    "removed_lines": {"doc_id", "line_no", "line_text", "rule"},
    "similar_pairs": {"doc_id_a", "doc_id_b", "kind", "jaccard", "containment_a", "containment_b"},
    "quarantine": {"source_uri", "reason", "detail", "run_id"},
    "runs": {"run_id", "started_at", "finished_at", "status", "n_inputs", "n_documents", "n_quarantined"},
}


def test_migrations_apply_once_and_are_recorded(db_path):
    con = open_warehouse(db_path)
    versions = con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [v[0] for v in versions] == [m[0] for m in migrations()]
    assert migrate(con) == []  # nothing pending the second time
    con.close()


def test_consumer_views_have_the_contract_columns(db_path):
    open_warehouse(db_path).close()
    con = connect(db_path, read_only=True)
    for view, columns in CONTRACT.items():
        got = {r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()}
        assert columns <= got, f"{view} lacks {columns - got}"
    con.close()


def test_read_only_connection_refuses_writes(db_path):
    open_warehouse(db_path).close()
    con = connect(db_path, read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM ops.runs")
    con.close()


def test_read_only_open_of_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(WarehouseError, match="sift ingest"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_sift_sql_formats_and_refuses_writes(db_path, capsys):
    open_warehouse(db_path).close()
    assert main(["sql", "SELECT 1 AS one, 'x' AS two", "--db", str(db_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "one,two\n1,x\n"
    assert main(["sql", "SELECT 1 AS one", "--db", str(db_path), "--format", "json"]) == 0
    assert capsys.readouterr().out == '{"one": 1}\n'
    assert main(["sql", "SELECT 42 AS answer", "--db", str(db_path)]) == 0
    assert "answer" in capsys.readouterr().out
    assert main(["sql", "INSERT INTO ops.runs (run_id) VALUES ('x')", "--db", str(db_path)]) == 1
    assert "read-only" in capsys.readouterr().err


def test_connections_bound_duckdbs_memory_and_a_bad_limit_says_how_to_fix(db_path, monkeypatch):
    open_warehouse(db_path).close()
    con = connect(db_path, read_only=True)
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.close()
    assert limit == "488.2 MiB"  # DuckDB prints the default 512MB in binary units
    con = connect(db_path, read_only=True, memory=PAIRS_MEMORY_LIMIT)
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "244.1 MiB"
    con.close()
    monkeypatch.setenv("SIFT_DUCKDB_MEMORY_LIMIT", "1GB")  # the variable wins over both defaults
    for kwargs in ({}, {"memory": PAIRS_MEMORY_LIMIT}):
        con = connect(db_path, **kwargs)
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "953.6 MiB"
        con.close()
    monkeypatch.setenv("SIFT_DUCKDB_MEMORY_LIMIT", "lots")
    with pytest.raises(WarehouseError, match=r"SIFT_DUCKDB_MEMORY_LIMIT='lots'.*e\.g\. 1GB"):
        connect(db_path)
