"""The repository's prefect.yaml against real Prefect machinery, no mocks.

Starts `prefect server start` on 127.0.0.1 with a temporary PREFECT_HOME,
creates the process work pool, runs `prefect deploy` from prefect.yaml
(parameters pointed at a temporary copy of examples/corpus and a temporary
warehouse), starts a worker and triggers the deployment twice at once
(`prefect deployment run`, then the API). One run lands the examples; the
other waits in AwaitingConcurrencySlot meanwhile (concurrency limit 1,
ENQUEUE) and is then cancelled, since a second ingest of the same files
would only cost the time budget. Everything is stopped in a finally.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from flows.cmd_serve import free_port, local_server, stop_process_group
from tests.conftest import EXAMPLES, ROOT
from warehouse.connection import connect

pytestmark = pytest.mark.slow

DEPLOYMENT = "sift-ingest/sift-hourly"
POOL = "sift-process"
TEST_BUDGET_S = 170  # everything below, server start to the last run, under 3 minutes
_UUID = re.compile(r"UUID: ([0-9a-f-]{36})")


def _prefect(args: list[str], env: dict, timeout: float) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "prefect", "--no-prompt", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise AssertionError(f"prefect {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def _api(url: str, body: dict | None = None):
    """One API call; a 503 (the server's SQLite busy on a loaded machine) is retried
    a few times, as Prefect's own client does, since the server rolled it back."""
    data = None if body is None else json.dumps(body).encode()
    for attempt in range(4):
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as err:
            if err.code != 503 or attempt == 3:
                raise
            time.sleep(2)
    return None


FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


def _wait_for_one_run(api: str, ids: list[str], deadline: float, took: dict) -> str:
    """Poll until one of the runs is final; returns its id. Fails on time out."""
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        states = {i: _api(f"{api}/flow_runs/{i}")["state"]["type"] for i in ids}
        done = [i for i, t in states.items() if t in FINAL]
        if done:
            return done[0]
        time.sleep(2)
    raise AssertionError(f"no flow run finished within {TEST_BUDGET_S} s: {states}; seconds per step: {took}")


def _state_names(api: str, flow_run_id: str) -> list[str]:
    return [s["name"] for s in _api(f"{api}/flow_run_states/?flow_run_id={flow_run_id}")]


def _q(db: Path, sql: str) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_deploy_from_prefect_yaml_and_run_it_on_a_process_worker(tmp_path):
    deadline = time.monotonic() + TEST_BUDGET_S
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    db = tmp_path / "scheduled.duckdb"
    home = tmp_path / "prefect-home"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "2",  # poll often: the test waits for the worker
        "PYTHONUNBUFFERED": "1",
    }
    worker = None
    worker_log = tmp_path / "worker.log"
    took: dict[str, float] = {}  # seconds per step, for the failure message when the budget runs out
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        took[step] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    try:
        with local_server(home, port):
            lap("server start")
            _prefect(["work-pool", "create", POOL, "--type", "process"], env, 60)
            lap("work-pool create")
            with worker_log.open("wb") as log:  # started now, so it boots while we deploy
                worker = subprocess.Popen(
                    [sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--type", "process"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            params = json.dumps({"paths": [str(corpus)], "db": str(db)})
            out = _prefect(["deploy", "--name", "sift-hourly", "--params", params], env, 90)
            assert DEPLOYMENT in out
            lap("deploy")
            deployment = _api(f"{api}/deployments/name/{DEPLOYMENT}")
            assert deployment["global_concurrency_limit"]["limit"] == 1
            assert deployment["concurrency_options"]["collision_strategy"] == "ENQUEUE"
            assert deployment["work_pool_name"] == POOL
            assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 * * * *"]
            assert deployment["parameters"]["incremental"] is True
            assert deployment["parameters"]["paths"] == [str(corpus)]

            # two runs at once: one waits for the other (DuckDB allows one writer per file)
            ids = [_UUID.search(_prefect(["deployment", "run", DEPLOYMENT], env, 60)).group(1)]
            ids.append(_api(f"{api}/deployments/{deployment['id']}/create_flow_run", {})["id"])
            lap("deployment run")
            done = _wait_for_one_run(api, ids, deadline, took)
            lap("first run")
            waiting = next(i for i in ids if i != done)
            log_tail = worker_log.read_text(errors="replace")[-3000:]
            assert _api(f"{api}/flow_runs/{done}")["state"]["type"] == "COMPLETED", log_tail
            waited = _state_names(api, waiting)
            assert "AwaitingConcurrencySlot" in waited, waited
            runs = _q(
                db,
                "SELECT run_id, status, n_inputs, n_documents, started_at, finished_at FROM runs "
                "WHERE status <> 'running' ORDER BY started_at",
            )
            artifacts = _api(f"{api}/artifacts/filter", {"artifacts": {"key": {"any_": ["sift-run"]}}})
            _api(f"{api}/flow_runs/{waiting}/set_state", {"state": {"type": "CANCELLED"}, "force": True})
    finally:
        if worker is not None:
            stop_process_group(worker)

    # The run that finished first landed the examples. The queued one waited for its slot;
    # on a quick machine it may already have run by now, after the first ended, and (the
    # deployment is incremental) found nothing new to land. They never overlapped.
    assert len(runs) in (1, 2), runs
    run_id, status, n_inputs, n_documents, _, first_finished = runs[0]
    assert (status, n_inputs, n_documents) == ("succeeded", 18, 13)
    if len(runs) == 2:
        _, status, _, n_documents, second_started, _ = runs[1]
        assert (status, n_documents) == ("succeeded", 0) and second_started >= first_finished, runs
    assert _q(db, "SELECT count(*) FROM documents")[0][0] == 13
    assert _q(db, "SELECT count(*) FROM ops.source_files WHERE status = 'present'")[0][0] == 14
    published = sorted(a["data"] for a in artifacts if f"`{run_id}`" in a["data"])
    assert len(published) == 1 and published[0].startswith(f"# sift run `{run_id}` (succeeded)")


def test_sift_serve_runs_on_its_interval_and_stops_on_ctrl_c(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    db = tmp_path / "served.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PYTHONUNBUFFERED": "1"}
    err_log = tmp_path / "serve.err"
    sift = [sys.executable, "-c", "from flows.cli import entry; entry()"]  # what the `sift` script runs
    deadline = time.monotonic() + TEST_BUDGET_S
    with err_log.open("wb") as err:
        serve = subprocess.Popen(
            [*sift, "serve", str(corpus), "--db", str(db), "--interval", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        landed = []
        while time.monotonic() < deadline and not landed:
            time.sleep(2)
            assert serve.poll() is None, err_log.read_text(errors="replace")[-3000:]
            if db.exists():
                landed = _q(db, "SELECT n_inputs, n_documents FROM runs WHERE status = 'succeeded'")
        assert landed[:1] == [(18, 13)], err_log.read_text(errors="replace")[-3000:]
        serve.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert serve.wait(60) == 0
    finally:
        stop_process_group(serve)
    port = re.search(r"Prefect server at http://127\.0\.0\.1:(\d+)", err_log.read_text()).group(1)
    with pytest.raises(OSError):  # the server it started is gone with it
        socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
