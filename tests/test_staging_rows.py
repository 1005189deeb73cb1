"""Reading a few staged texts back by position (what a later chunk's candidates need)."""

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.staging import Staging, read_texts


def _documents(n: int, tag: str) -> pa.Table:
    return pa.table(
        {
            "doc_id": pa.array([f"{tag}{i:05d}" for i in range(n)]),
            "clean_text": pa.array([f"text of {tag} {i} é\u0301 ✓" if i % 7 else "" for i in range(n)]),
        }
    )


def test_staged_texts_are_read_back_by_row_in_any_order(tmp_path):
    staging = Staging(tmp_path / "staging", "run-1")
    try:
        staging.write("documents", _documents(700, "s"))
        staging.write("documents", _documents(5, "t"))
        first, second = sorted(str(p) for p in (staging.dir / "documents").glob("*.parquet"))
        wanted = [(first, 699), (second, 4), (first, 0), (first, 1), (first, 351)]
        assert read_texts(wanted) == [
            "text of s 699 é\u0301 ✓",
            "text of t 4 é\u0301 ✓",
            "",
            "text of s 1 é\u0301 ✓",
            "text of s 351 é\u0301 ✓",
        ]
        assert read_texts([]) == []
        # the Parquet part stays the table that lands
        assert (
            pq.read_table(first).column("clean_text").to_pylist()
            == _documents(700, "s").column("clean_text").to_pylist()
        )
    finally:
        staging.remove()


def test_clean_texts_reads_staged_texts_beside_landed_ones(tmp_path):
    from warehouse.connection import connect, open_warehouse
    from warehouse.lookup import WarehouseIndex

    db = tmp_path / "w.duckdb"
    open_warehouse(db).close()
    staging = Staging(tmp_path / "staging", "run-1")
    try:
        staging.write("documents", _documents(700, "s"))
        staging.write("documents", _documents(5, "t"))
        con = connect(db, read_only=True)
        try:
            texts = WarehouseIndex(con, staging).clean_texts(["s00001", "s00600", "s00007", "t00004", "nowhere"])
        finally:
            con.close()
    finally:
        staging.remove()
    assert texts == {
        "s00001": "text of s 1 é\u0301 ✓",
        "s00600": "text of s 600 é\u0301 ✓",
        "s00007": "",
        "t00004": "text of t 4 é\u0301 ✓",
    }
