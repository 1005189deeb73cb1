"""Migrations: from an empty file, from a database made by the previous
migration set, one transaction each, recorded with checksums."""

import duckdb
import pytest

from flows.cli import main
from tests.fixtures_old_db import ROWS, build_old_db
from warehouse import connection
from warehouse.connection import (
    WarehouseError,
    connect,
    migrate,
    migration_checksum,
    migrations,
    open_warehouse,
    pending_migrations,
    schema_version,
)
from warehouse.integrity import check_integrity, table_checksum


def _spine_columns(con, table):
    """The columns the spine's table had (later migrations may add more)."""
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_empty_file_gets_every_migration_recorded_with_its_checksum(db_path):
    con = open_warehouse(db_path)
    rows = con.execute("SELECT version, name, checksum FROM schema_migrations ORDER BY version").fetchall()
    assert [(v, n) for v, n, _ in rows] == [(v, n) for v, n, _ in migrations()]
    assert [c for _, _, c in rows] == [migration_checksum(sql) for _, _, sql in migrations()]
    assert schema_version(con) == migrations()[-1][0] >= 2
    assert migrate(con) == []  # nothing pending the second time
    con.close()


def test_older_database_upgrades_in_place_without_losing_rows(db_path):
    counts = build_old_db(db_path)
    old = duckdb.connect(str(db_path))
    before = {t: table_checksum(old, t, columns=_spine_columns(old, t)) for t in ROWS}
    spine_cols = {t: _spine_columns(old, t) for t in ROWS}
    old.close()

    ro = connect(db_path, read_only=True)
    assert schema_version(ro) == 1
    assert pending_migrations(ro) == [name for version, name, _ in migrations() if version > 1]
    ro.close()

    con = open_warehouse(db_path)
    assert pending_migrations(con) == []
    for table, n in counts.items():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, table
        assert table_checksum(con, table, columns=spine_cols[table]) == before[table], f"{table} rows changed"
    # the 0001 row, applied before checksums existed, now carries one
    assert con.execute("SELECT checksum FROM schema_migrations WHERE version = 1").fetchone()[0] is not None
    # the spine's views were replaced by the current ones, over the old rows
    docs = con.execute("SELECT doc_id, is_canonical FROM documents ORDER BY doc_id").fetchall()
    assert docs == [("a" * 20, True), ("b" * 20, False)]
    assert check_integrity(con) == []
    con.close()


def test_sift_migrate_upgrades_then_reports_up_to_date(db_path, capsys):
    build_old_db(db_path)
    assert main(["migrate", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "applied 0002_comments.sql" in out
    assert main(["migrate", "--db", str(db_path)]) == 0
    assert f"up to date at schema version {migrations()[-1][0]}" in capsys.readouterr().out


def test_a_failing_migration_is_rolled_back_whole_and_not_recorded(db_path, monkeypatch):
    open_warehouse(db_path).close()
    broken = (9001, "9001_broken.sql", "CREATE TABLE ops.half_done (a INTEGER); SELECT * FROM no_such_table;")
    known = migrations()
    monkeypatch.setattr(connection, "migrations", lambda: [*known, broken])
    con = connect(db_path)
    with pytest.raises(WarehouseError, match=r"9001_broken\.sql failed and was rolled back"):
        migrate(con)
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half_done'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM schema_migrations WHERE version = 9001").fetchone()[0] == 0
    con.close()


def test_an_applied_migration_that_was_edited_is_refused(db_path, monkeypatch):
    open_warehouse(db_path).close()
    edited = [(v, n, sql + "\n-- edited") if v == 1 else (v, n, sql) for v, n, sql in migrations()]
    monkeypatch.setattr(connection, "migrations", lambda: edited)
    with pytest.raises(WarehouseError, match=r"0001_layers\.sql was edited"):
        open_warehouse(db_path)


def test_a_database_from_a_newer_sift_is_refused(db_path):
    con = open_warehouse(db_path)
    con.execute("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', now()::TIMESTAMP, 'x')")
    con.close()
    with pytest.raises(WarehouseError, match="newer sift"):
        open_warehouse(db_path)


def test_migration_numbers_must_be_unique(monkeypatch):
    monkeypatch.setattr(connection, "_sql_files", lambda folder: [("0001_a.sql", ""), ("0001_b.sql", "")])
    with pytest.raises(WarehouseError, match="share a number"):
        migrations()


def _compression(con, table, column):
    rows = con.execute(
        f"SELECT DISTINCT compression FROM pragma_storage_info('{table}') "
        "WHERE column_name = ? AND segment_type = 'VARCHAR' AND compression <> 'Constant'",
        [column],
    ).fetchall()
    return {r[0] for r in rows}


def test_columns_read_by_the_dedup_joins_keep_their_pinned_compression(db_path):
    """0008 and 0009 pin how three columns are stored, against the zstd the
    connection forces on other text: a warehouse upgraded from the spine (whose
    tables were rebuilt) and a new one both keep it after a checkpoint."""
    build_old_db(db_path)
    con = open_warehouse(db_path)
    ids = "'doc' || lpad((i // 150)::VARCHAR, 17, '0')"
    con.execute(f"INSERT INTO dedup.bands SELECT {ids}, i % 150 - 1, (i % 20)::SMALLINT, i FROM range(30000) r(i)")
    con.execute(f"INSERT INTO clean.paragraphs SELECT {ids}, i % 150, 9, md5(i::VARCHAR) FROM range(30000) r(i)")
    con.execute("CHECKPOINT")
    assert _compression(con, "dedup.bands", "doc_id") == {"DICT_FSST"}
    assert _compression(con, "clean.paragraphs", "doc_id") == {"DICT_FSST"}
    assert _compression(con, "clean.paragraphs", "norm_hash") == {"ZSTD"}  # the connection's default
    assert _compression(con, "clean.documents", "clean_text") <= {"Uncompressed"}
    con.close()
