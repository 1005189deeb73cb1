"""One writer at a time: a second process holding the file makes sift wait
(bounded, saying so) and, when it gives up, say who holds the lock. The
holder is a real separate process with its own DuckDB connection."""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from flows import steps
from tests.fixtures_landed import land_folder, write_corpus
from warehouse.connection import WarehouseError, connect, open_warehouse
from warehouse.integrity import check_integrity

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[3] == "ro")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@contextmanager
def holding(db: Path, seconds: float, mode: str = "rw"):
    """Another process holds `db` for `seconds` (or until the block ends)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(seconds), mode], stdout=subprocess.PIPE, text=True
    )
    try:
        if proc.stdout.readline().strip() != "locked":
            raise RuntimeError("the lock holder did not start")
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_gives_up_after_bounded_retries_naming_the_holder(db_path):
    open_warehouse(db_path).close()
    waits = []
    with holding(db_path, 60) as proc:
        started = time.monotonic()
        with pytest.raises(WarehouseError) as info:
            connect(db_path, retries=3, wait_s=0.05, on_wait=lambda *a: waits.append(a[1]))
        elapsed = time.monotonic() - started
    message = str(info.value)
    assert f"PID {proc.pid}" in message and "after 4 attempts" in message
    assert "one writer per file" in message and "nothing was written" in message
    assert waits == [1, 2, 3]
    assert elapsed < 5  # bounded: 3 waits of 0.05 s, not the 30 s default


def test_waits_for_the_holder_to_finish_and_says_so(db_path, capsys):
    open_warehouse(db_path).close()
    with holding(db_path, 1.0):
        con = connect(db_path, retries=100, wait_s=0.05)  # default on_wait: one line on stderr
        con.execute("CREATE TABLE ops.after_wait AS SELECT 1 AS x")
        con.close()
    err = capsys.readouterr().err
    assert err.count("is locked by") == 1 and "waiting for it" in err


def test_a_reader_waits_for_a_writer_too(db_path):
    open_warehouse(db_path).close()
    waits = []
    with holding(db_path, 0.8):
        con = connect(db_path, read_only=True, retries=100, wait_s=0.05, on_wait=lambda *a: waits.append(a))
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
        con.close()
    assert waits, "the reader should have waited for the writer"


def test_readers_do_not_block_each_other(db_path):
    open_warehouse(db_path).close()
    with holding(db_path, 60, mode="ro"):
        con = connect(db_path, read_only=True, retries=0)
        con.close()


def test_environment_overrides_and_bad_values_say_how_to_fix(db_path, monkeypatch):
    open_warehouse(db_path).close()
    monkeypatch.setenv("SIFT_LOCK_RETRIES", "0")
    with holding(db_path, 60), pytest.raises(WarehouseError, match="after 1 attempts"):
        connect(db_path)
    monkeypatch.setenv("SIFT_LOCK_RETRIES", "many")
    with pytest.raises(WarehouseError, match=r"SIFT_LOCK_RETRIES=.many.*fix or unset"):
        connect(db_path)


def test_the_load_waits_for_another_writer_and_lands_the_whole_run(tmp_path, monkeypatch):
    """The lock is taken by another process just before the load; the run
    waits and lands everything once it is released."""
    db = tmp_path / "w.duckdb"
    corpus = write_corpus(tmp_path / "corpus")
    monkeypatch.setenv("SIFT_LOCK_WAIT_S", "0.05")
    monkeypatch.setenv("SIFT_LOCK_RETRIES", "200")
    real_cluster_run = steps.cluster_run
    holders = []

    def cluster_then_lock(*args, **kwargs):
        result = real_cluster_run(*args, **kwargs)
        holders.append(holding(db, 1.5))
        holders[-1].__enter__()  # held from here until its process sleeps out
        return result

    monkeypatch.setattr(steps, "cluster_run", cluster_then_lock)
    try:
        run_id = land_folder(db, [corpus])
    finally:
        for h in holders:
            h.__exit__(None, None, None)
    assert holders, "the lock was never taken"
    con = connect(db, read_only=True)
    status, n_docs = con.execute("SELECT status, n_documents FROM runs WHERE run_id = ?", [run_id]).fetchone()
    assert (status, n_docs) == ("succeeded", 5)
    assert check_integrity(con) == []
    con.close()


def test_when_the_load_gives_up_nothing_is_lost_the_next_run_lands_it(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    corpus = write_corpus(tmp_path / "corpus")
    monkeypatch.setenv("SIFT_LOCK_WAIT_S", "0.05")
    monkeypatch.setenv("SIFT_LOCK_RETRIES", "3")
    real_cluster_run = steps.cluster_run
    holder = holding(db, 60)

    def cluster_then_lock(*args, **kwargs):
        result = real_cluster_run(*args, **kwargs)
        holder.__enter__()
        return result

    monkeypatch.setattr(steps, "cluster_run", cluster_then_lock)
    try:
        with pytest.raises(WarehouseError, match="still locked"):
            land_folder(db, [corpus])
    finally:
        holder.__exit__(None, None, None)
    monkeypatch.setattr(steps, "cluster_run", real_cluster_run)
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM clean.documents").fetchone()[0] == 0  # no partial rows
    con.close()
    run_id = land_folder(db, [corpus])
    con = connect(db, read_only=True)
    assert con.execute("SELECT n_documents FROM runs WHERE run_id = ?", [run_id]).fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
    assert check_integrity(con) == []
    con.close()


def test_marking_a_run_failed_never_hides_the_runs_own_error(tmp_path, monkeypatch, capsys):
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("SIFT_LOCK_WAIT_S", "0.05")
    run, staging = steps.start_run(db, {})
    staging.remove()
    with holding(db, 60):
        steps.fail_run(db, run, ValueError("the run's own error"), steps.RunCounters())  # returns, no raise
    assert f"could not mark run {run.run_id} failed" in capsys.readouterr().err
    con = connect(db, read_only=True)
    assert con.execute("SELECT status FROM ops.runs WHERE run_id = ?", [run.run_id]).fetchone()[0] == "running"
    con.close()
    steps.fail_run(db, run, ValueError("the run's own error"), steps.RunCounters())  # unlocked: recorded
    con = connect(db, read_only=True)
    row = con.execute("SELECT status, error FROM ops.runs WHERE run_id = ?", [run.run_id]).fetchone()
    con.close()
    assert row == ("failed", "ValueError: the run's own error")


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
print(n_docs, con.execute("SELECT status FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()[0])
"""


def test_another_process_reads_while_a_run_works_and_sees_no_partial_rows(tmp_path, monkeypatch):
    """The write lock is held only for the load: during cleaning and pair
    finding another process can query, and sees the warehouse as before the run."""
    db = tmp_path / "w.duckdb"
    land_folder(db, [write_corpus(tmp_path / "first")])
    more = tmp_path / "second"
    more.mkdir()
    (more / "new.txt").write_text("A new story about the harbour, long enough to keep. " * 5, encoding="utf-8")
    seen = []
    real_find = steps.find_chunk_pairs

    def find_then_read(*args, **kwargs):
        found = real_find(*args, **kwargs)  # the run's chunk is cleaned and staged, not landed
        reader = subprocess.run([sys.executable, "-c", READER, str(db)], capture_output=True, text=True, timeout=60)
        seen.append(reader.stdout.split() or [reader.stderr[-300:]])
        return found

    monkeypatch.setattr(steps, "find_chunk_pairs", find_then_read)
    land_folder(db, [more])
    assert seen == [["5", "running"]]  # before: 5 documents; the new one is not visible mid-run
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 6
    con.close()
