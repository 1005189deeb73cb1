"""Where the CPU stages run: Prefect task runners for `--task-runner`.

Only the prepare-batch tasks (decode, clean, language, fingerprint) go to
the runner; pair finding, clustering and the load are called inline in the
flow, so the warehouse keeps a single writer on the flow's machine. What
travels to a worker is a batch of `Document`s and the dedup config (plain
dataclasses, bytes and numpy arrays: picklable); what comes back is the
cleaned batch and its quarantined records. Never a database connection.

- thread: Prefect's default ThreadPoolTaskRunner (one process; the GIL
  limits it to about one core of Python work).
- process: ProcessPoolTaskRunner, spawned processes on this machine.
- dask: prefect-dask's DaskTaskRunner, on a temporary local cluster or on
  the cluster at `--dask-address` (workers on other machines need the same
  code and dependencies, and network access to the Prefect API).
"""

from __future__ import annotations

import os
import re

RUNNERS = ("thread", "process", "dask")
_DASK_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")


class TaskRunnerConfigError(ValueError):
    """A task-runner option that cannot work; the message says how to fix it."""


def check_options(kind: str, workers: int | None = None, dask_address: str | None = None) -> None:
    """Refuse option combinations that cannot work, before anything starts."""
    if kind not in RUNNERS:
        raise TaskRunnerConfigError(f"unknown task runner {kind!r}: use one of {', '.join(RUNNERS)}")
    if workers is not None and workers < 1:
        raise TaskRunnerConfigError("--workers must be at least 1")
    if dask_address is not None:
        if kind != "dask":
            raise TaskRunnerConfigError("--dask-address needs --task-runner dask")
        if not _DASK_ADDRESS.match(dask_address):
            raise TaskRunnerConfigError(
                f"--dask-address {dask_address!r} is not a scheduler address: use tcp://HOST:PORT "
                "(what `dask scheduler` prints)"
            )
        if workers is not None:
            raise TaskRunnerConfigError(
                "--workers applies to the local cluster only: with --dask-address the cluster's workers run the tasks"
            )


def share_temporary_server() -> str | None:
    """Start Prefect's temporary server now and name it in PREFECT_API_URL; returns its URL.

    Task processes (process pool, local Dask workers) inherit the environment,
    not the flow's in-memory settings: with no server configured, each of them
    would start a temporary server of its own (~20 s each, measured), and
    their task runs would land in another server's view. The server started
    here is the one Prefect's client uses in this process too (one per
    process). Does nothing when PREFECT_API_URL already names a server.
    """
    from prefect.settings import get_current_settings

    if get_current_settings().api.url or os.environ.get("PREFECT_API_URL"):
        return None
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    return server.api_url


def make_task_runner(kind: str, workers: int | None = None, dask_address: str | None = None, verbose: bool = False):
    """A fresh Prefect task runner for `ingest_flow.with_options(task_runner=...)`."""
    check_options(kind, workers, dask_address)
    if kind == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers)
    if kind == "process":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=workers or os.cpu_count() or 1)
    if not verbose:
        # Dask logs every worker start and stop at INFO; read before distributed is imported,
        # and inherited by the worker processes of a local cluster
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as err:
        raise TaskRunnerConfigError(
            f"--task-runner dask needs the prefect-dask and distributed packages ({err}): "
            "install them in this environment, or use --task-runner process"
        ) from err
    if dask_address is not None:
        return DaskTaskRunner(address=dask_address)
    # one single-threaded process per worker: cleaning is pure-Python work that threads cannot spread
    n = workers or os.cpu_count() or 1
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )


def release_result(future) -> None:
    """Let a consumed future's result go as soon as the future is dropped.

    Prefect's PrefectConcurrentFuture (the thread and process runners) puts a
    bound method of itself among the done callbacks of the concurrent.futures
    Future it wraps, and a Future keeps its callbacks after running them:
    the two form a reference cycle that holds the task's result, a batch of
    500 cleaned documents, until a full garbage collection finds it. The
    flow process holds thousands of documents in flight, so full collections
    are expensive (~0.5 s each) and, made rare, let these batches pile up
    (100k bench: flow RSS 3.5 GB). The callbacks have all run once the
    result is taken, so clearing them breaks the cycle and changes nothing.
    Other futures (Dask's) have no such list, and are left as they are.
    """
    wrapped = getattr(future, "wrapped_future", None)
    callbacks = getattr(wrapped, "_done_callbacks", None)
    if isinstance(callbacks, list) and wrapped.done():
        callbacks.clear()
