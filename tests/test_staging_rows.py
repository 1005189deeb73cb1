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


def test_staged_texts_of_a_sliced_chunked_column_are_its_own(tmp_path):
    # the sidecar is written from the column's Arrow buffers: a slice's offsets
    # start inside them, and several chunks are combined first
    full = _documents(30, "u")
    table = pa.table(
        {
            "doc_id": full.column("doc_id").slice(3, 20),
            "clean_text": pa.chunked_array(
                [
                    full.column("clean_text").combine_chunks().slice(3, 12),
                    full.column("clean_text").combine_chunks().slice(15, 8),
                ]
            ),
        }
    )
    staging = Staging(tmp_path / "staging", "run-1")
    try:
        staging.write("documents", table)
        # one chunk, sliced, already large_string (the cast leaves it as it is)
        staging.write(
            "documents", full.cast(pa.schema([("doc_id", pa.string()), ("clean_text", pa.large_string())])).slice(5, 10)
        )
        first, second = sorted(str(p) for p in (staging.dir / "documents").glob("*.parquet"))
        texts = full.column("clean_text").to_pylist()
        assert read_texts([(first, i) for i in range(20)]) == texts[3:23]
        assert read_texts([(second, i) for i in range(10)]) == texts[5:15]
    finally:
        staging.remove()


def test_the_index_finds_staged_documents_and_their_texts(tmp_path):
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
            index = WarehouseIndex(con, staging)
            texts = index.clean_texts(["s00001", "s00600", "s00007", "t00004", "nowhere"])
            staged = index.landed_doc_ids(["t00004", "nowhere", "s00699", "s00700"])
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
    assert staged == {"t00004", "s00699"}


def test_a_parts_offsets_are_loaded_once_for_many_reads(tmp_path, monkeypatch):
    import numpy as np

    from warehouse import staging as staging_module

    staging = Staging(tmp_path / "staging", "run-1")
    try:
        staging.write("documents", _documents(50, "s"))
        staging.write("documents", _documents(9, "t"))
        first, second = sorted(str(p) for p in (staging.dir / "documents").glob("*.parquet"))
        loads = []
        real_load = np.load
        monkeypatch.setattr(staging_module.np, "load", lambda path: loads.append(path) or real_load(path))
        for block in ([(first, 3), (second, 8)], [(second, 1), (first, 48)], [(first, 8)]):
            texts = read_texts(block, staging.text_offsets)
            assert texts == [f"text of {'s' if part == first else 't'} {row} é\u0301 ✓" for part, row in block]
        assert sorted(loads) == sorted([first + ".offsets.npy", second + ".offsets.npy"])
    finally:
        staging.remove()
