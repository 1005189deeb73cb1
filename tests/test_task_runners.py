"""`--task-runner thread|process|dask`: where the CPU stages run, and that it changes no row."""

from __future__ import annotations

import concurrent.futures
import gc
import os
import uuid
import weakref

import pytest

from flows.cli import main
from flows.task_runners import (
    TaskRunnerConfigError,
    check_options,
    make_task_runner,
    release_result,
    share_temporary_server,
)
from tests.conftest import EXAMPLES
from warehouse.connection import connect


@pytest.mark.parametrize(
    ("kind", "workers", "address", "message"),
    [
        ("gpu", None, None, "unknown task runner"),
        ("thread", 0, None, "at least 1"),
        ("process", None, "tcp://h:8786", "needs --task-runner dask"),
        ("dask", None, "h:8786", "tcp://HOST:PORT"),
        ("dask", None, "tcp://h:port", "tcp://HOST:PORT"),
        ("dask", 2, "tcp://h:8786", "local cluster only"),
    ],
)
def test_options_that_cannot_work_are_refused(kind, workers, address, message):
    with pytest.raises(TaskRunnerConfigError, match=message):
        check_options(kind, workers, address)


def test_valid_options_pass():
    check_options("dask", None, "tcp://10.0.0.5:8786")
    check_options("dask", 3, None)
    check_options("process", 2, None)


class _Batch:
    """Stands in for a batch task's result (weakly referable, unlike a list)."""


def _finished_prefect_future():
    from prefect.futures import PrefectConcurrentFuture

    wrapped: concurrent.futures.Future = concurrent.futures.Future()
    future = PrefectConcurrentFuture(uuid.uuid4(), wrapped)
    batch = _Batch()
    wrapped.set_result(batch)  # runs Prefect's done callback, which it keeps
    return future, weakref.ref(batch)


def test_a_released_future_lets_its_result_go_without_a_garbage_collection():
    gc.disable()
    try:
        kept, kept_batch = _finished_prefect_future()
        released, released_batch = _finished_prefect_future()
        release_result(released)
        del kept, released
        # the cycle Prefect makes holds an unreleased result until a full collection
        assert kept_batch() is not None
        assert released_batch() is None
    finally:
        gc.enable()
    release_result(object())  # futures without the cycle (Dask's) are left alone


def test_thread_and_process_runners_are_prefects():
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    thread = make_task_runner("thread", workers=3)
    assert isinstance(thread, ThreadPoolTaskRunner) and thread._max_workers == 3
    process = make_task_runner("process", workers=2)
    assert isinstance(process, ProcessPoolTaskRunner) and process._max_workers == 2


def test_dask_runner_points_at_the_given_scheduler():
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed")
    from prefect_dask import DaskTaskRunner

    runner = make_task_runner("dask", dask_address="tcp://10.0.0.5:8786")
    assert isinstance(runner, DaskTaskRunner) and runner.address == "tcp://10.0.0.5:8786"
    local = make_task_runner("dask", workers=2)
    assert local.address is None and local.cluster_kwargs["n_workers"] == 2


def test_a_configured_server_is_left_alone(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://10.0.0.5:4200/api")
    assert share_temporary_server() is None
    assert os.environ["PREFECT_API_URL"] == "http://10.0.0.5:4200/api"  # not replaced by a temporary one


@pytest.mark.parametrize(
    "extra",
    [
        ["--dask-address", "tcp://h:8786"],
        ["--task-runner", "dask", "--dask-address", "nowhere"],
        ["--workers", "0"],
        ["--batch-size", "0"],
        ["--chunk-size", "100"],  # smaller than the 500-document batches
    ],
)
def test_cli_usage_errors_exit_2_before_any_run(extra, tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    assert main(["ingest", str(EXAMPLES), "--db", str(db), *extra]) == 2
    assert capsys.readouterr().err.startswith("sift: ")
    assert not db.exists()


def test_cli_rejects_an_unknown_runner_name(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(EXAMPLES), "--task-runner", "gpu"])
    assert exit_info.value.code == 2


# Every landed row that does not name the run, the time or the Prefect machinery.
_ROWS = {
    "documents": "SELECT doc_id, source_uri, source, title, lang, round(lang_score, 6), clean_text, n_words, "
    "n_removed_lines, cluster_id, is_canonical, encoding, repairs FROM documents ORDER BY doc_id",
    "removed_lines": "SELECT * FROM removed_lines ORDER BY ALL",
    "similar_pairs": "SELECT doc_id_a, doc_id_b, kind, jaccard, jaccard_estimate, containment_a, containment_b "
    "FROM similar_pairs ORDER BY ALL",
    "quarantine": "SELECT source_uri, reason, detail, raw_sha256, size FROM quarantine ORDER BY ALL",
    "paragraphs": "SELECT * FROM clean.paragraphs ORDER BY ALL",
    "bands": "SELECT * FROM dedup.bands ORDER BY ALL",
}


def _rows(db) -> dict[str, list[tuple]]:
    con = connect(db, read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in _ROWS.items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def default_runner_rows(prefect_harness, tmp_path_factory):
    from flows.ingest import ingest_flow

    db = tmp_path_factory.mktemp("default-runner") / "a.duckdb"
    ingest_flow(paths=[str(EXAMPLES)], db=str(db), batch_size=4)
    rows = _rows(db)
    assert len(rows["documents"]) == 13
    return rows


@pytest.mark.slow
@pytest.mark.prefect
def test_a_local_dask_cluster_lands_the_same_rows(default_runner_rows, tmp_path):
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed")
    distributed = pytest.importorskip("distributed", reason="distributed is not installed")
    from flows.ingest import ingest_flow

    db = tmp_path / "dask.duckdb"
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        runner = make_task_runner("dask", dask_address=cluster.scheduler_address)
        ingest_flow.with_options(task_runner=runner)(paths=[str(EXAMPLES)], db=str(db), batch_size=4)
        # 13 documents in batches of 4: 4 prepare-batch tasks completed on the cluster's worker processes
        done = {name: prefix.state_counts["memory"] for name, prefix in cluster.scheduler.task_prefixes.items()}
    assert done.get("prepare_batch_task") == 4, done
    assert _rows(db) == default_runner_rows


@pytest.mark.slow
@pytest.mark.prefect
def test_the_process_pool_lands_the_same_rows(default_runner_rows, tmp_path):
    from flows.ingest import ingest_flow

    db = tmp_path / "process.duckdb"
    ingest_flow.with_options(task_runner=make_task_runner("process", workers=2))(
        paths=[str(EXAMPLES)], db=str(db), batch_size=4
    )
    assert _rows(db) == default_runner_rows


@pytest.mark.prefect
def test_small_chunks_cleaned_ahead_land_the_same_rows(default_runner_rows, tmp_path):
    """Chunks of 3: each chunk cleans while the previous one's pairs are found,
    and copies that straddle chunks still pair and cluster as in one chunk."""
    from flows.ingest import ingest_flow

    db = tmp_path / "chunks.duckdb"
    ingest_flow(paths=[str(EXAMPLES)], db=str(db), batch_size=2, chunk_size=3)
    assert _rows(db) == default_runner_rows
