"""`sift ingest PATH... [--db FILE] [--incremental] [--task-runner thread|process|dask]`:
run the ingest flow once and print a summary.

Exit codes: 0 the run landed (quarantined inputs are reported, not a
failure), 1 the run failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from flows.cli_common import DEFAULT_DB


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that runs the ingest flow (ingest, serve)."""
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    p.add_argument("--batch-size", type=int, default=500, help="documents per Prefect task (default: 500)")
    p.add_argument(
        "--chunk-size",
        type=int,
        default=5000,
        help="documents read, deduplicated and staged together (default: 5000); the flow holds up to "
        "three chunks, so a smaller one lowers its memory",
    )
    p.add_argument(
        "--task-runner",
        choices=("thread", "process", "dask"),
        default="thread",
        help="where the CPU stages run: threads (default), local processes, or a Dask cluster",
    )
    p.add_argument("--workers", type=int, help="threads/processes/local Dask workers (default: CPU count)")
    p.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="an existing Dask scheduler (with dask)")
    p.add_argument("--verbose", action="store_true", help="show Prefect's logs (and no progress bars)")


def register(sub) -> None:
    ing = sub.add_parser("ingest", help="run the ingest flow over files and folders (recursive)")
    ing.add_argument("paths", nargs="+", help=".txt, .html/.htm, .jsonl files or folders")
    ing.add_argument(
        "--incremental",
        action="store_true",
        help="read only files new or changed since the last run, and grown JSONL files from where it stopped",
    )
    add_run_options(ing)
    ing.set_defaults(handler=run)


def usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the run options, for exit code 2; None when they can work."""
    from flows.task_runners import TaskRunnerConfigError, check_options

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        return f"no such file or folder: {', '.join(missing)}"
    if args.batch_size < 1:
        return "--batch-size must be at least 1"
    if args.chunk_size < args.batch_size:
        return f"--chunk-size ({args.chunk_size}) must be at least --batch-size ({args.batch_size})"
    try:
        check_options(args.task_runner, args.workers, args.dask_address)
    except TaskRunnerConfigError as err:
        return str(err)
    return None


def configured_flow(args: argparse.Namespace):
    """The ingest flow with the task runner the options ask for (raises TaskRunnerConfigError)."""
    from flows.ingest import ingest_flow
    from flows.task_runners import make_task_runner, share_temporary_server

    if args.task_runner == "thread" and args.workers is None:
        return ingest_flow  # the flow's default runner
    if args.task_runner != "thread" and args.dask_address is None:
        share_temporary_server()  # local task processes report to this process's server
    runner = make_task_runner(args.task_runner, args.workers, args.dask_address, verbose=args.verbose)
    return ingest_flow.with_options(task_runner=runner)


def band_params_problem(db: str) -> str | None:
    """Why the warehouse cannot take this sift's documents (it cannot be opened,
    or its bands differ), if it cannot. The run checks again when it starts;
    this says it before Prefect's start-up."""
    from dedup.config import DedupConfig
    from dedup.scheme import mismatch, recorded_params
    from warehouse.connection import WarehouseError, WarehouseLocked, connect

    if not Path(db).exists():
        return None
    try:
        con = connect(db, read_only=True, retries=0, on_wait=None)
    except WarehouseLocked:  # another run writes it: the run itself waits for the lock
        return None
    except WarehouseError as err:  # not a DuckDB file, unreadable: say it before Prefect starts
        return str(err)
    try:
        recorded = recorded_params(con)
    finally:
        con.close()
    error = mismatch(recorded, DedupConfig(), db)
    return None if error is None else str(error)


def run(args: argparse.Namespace) -> int:
    problem = usage_problem(args)
    if problem:
        print(f"sift: {problem}", file=sys.stderr)
        return 2
    from flows import allocators
    from flows.prefect_env import configure

    allocators.configure()  # before any thread starts
    configure(verbose=args.verbose)
    from flows import progress
    from flows.render import print_summary
    from flows.task_runners import TaskRunnerConfigError
    from warehouse.connection import WarehouseError, connect
    from warehouse.summary import run_summary

    error = band_params_problem(args.db)
    if error:  # before Prefect's server starts: the run could not land anything
        print(f"sift: {error}", file=sys.stderr)
        return 1
    from flows import early_server

    server = early_server.start()  # before Prefect is imported: it comes up while the rest starts
    started = time.perf_counter()
    if args.task_runner == "thread":  # batches run in this process: its cleaning workers warm up meanwhile
        from cleaners.worker_pool import prestart
        from dedup.config import DedupConfig
        from flows.steps import prepare_stages

        prestart(prepare_stages(DedupConfig()))
    try:
        flow = configured_flow(args)
    except TaskRunnerConfigError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 2
    allocators.collect_less()  # Prefect and the flow are imported now
    show_progress = not args.verbose and sys.stderr.isatty()
    if show_progress and not os.environ.get("PREFECT_API_URL"):
        print("sift: starting Prefect's temporary server (10-20 s on a cold start) ...", file=sys.stderr, flush=True)
    reporter = progress.for_stream(sys.stderr) if show_progress else progress.NullReporter()
    if args.dask_address and not os.environ.get("PREFECT_API_URL"):
        print(
            "sift: warning: with --dask-address, set PREFECT_API_URL to a Prefect server the Dask workers can "
            "reach; otherwise each worker starts a temporary server of its own for its task runs",
            file=sys.stderr,
        )
    try:
        if server is not None:
            server.wait_ready(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
        with progress.reporting(reporter):
            result = flow(
                paths=[str(p) for p in args.paths],
                db=args.db,
                batch_size=args.batch_size,
                chunk_size=args.chunk_size,
                incremental=args.incremental,
            )
    except (WarehouseError, early_server.ServerStartError) as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # the run failed: say why in one line; the runs row has the details
        print(f"sift: the run failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    con = connect(args.db, read_only=True)
    try:
        summary = run_summary(con, result["run_id"])
    finally:
        con.close()
    summary["wall_seconds"] = round(time.perf_counter() - started, 2)
    summary["sources"] = result.get("sources") or {}
    print_summary(summary, args.db)
    return 0
