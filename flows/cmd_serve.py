"""`sift serve SOURCE... --cron "..." | --interval SECONDS [--db FILE]`: one long-running
process that runs incremental ingests on a schedule (Prefect's `flow.serve`).

Schedules are turned into runs by a Prefect server's scheduler, which the
temporary server `sift ingest` uses does not run. So unless PREFECT_API_URL
names a server, `sift serve` starts `prefect server start` on 127.0.0.1 as a
child process (state in PREFECT_HOME, `.prefect/` by default) and stops it
when it stops. Runs never overlap: the runner takes one at a time and the
deployment's concurrency limit is 1 (ENQUEUE).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from flows.cmd_ingest import add_run_options, configured_flow, usage_problem
from flows.early_server import free_port, wait_until_healthy

SERVER_START_TIMEOUT_S = 120.0  # a cold server takes 10-20 s on 2 cores; more under load


def register(sub) -> None:
    p = sub.add_parser("serve", help="run incremental ingests on a schedule in one long-running process")
    p.add_argument("paths", nargs="+", help="source folders or files, read recursively")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='a cron schedule, e.g. "*/15 * * * *" (UTC)')
    when.add_argument("--interval", type=float, metavar="SECONDS", help="seconds between runs")
    p.add_argument("--name", default="sift-serve", help="deployment name shown in Prefect (default: sift-serve)")
    add_run_options(p)
    p.set_defaults(handler=run)


def _schedule_problem(args: argparse.Namespace) -> str | None:
    if args.interval is not None and args.interval <= 0:
        return "--interval must be a positive number of seconds"
    if args.cron is not None:
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=args.cron, timezone="UTC")
        except ValueError as err:
            return f"--cron {args.cron!r} is not a valid cron schedule ({err}); e.g. --cron '0 * * * *'"
    return None


def stop_process_group(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Stop a child started with start_new_session=True, and everything it started."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(grace_s)


@contextlib.contextmanager
def local_server(home: Path, port: int | None = None) -> Iterator[str]:
    """`prefect server start` on 127.0.0.1 as a child process; yields its API URL."""
    port = port or free_port()
    home.mkdir(parents=True, exist_ok=True)
    log = home / f"server-{port}.log"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so stopping it stops its children too
        )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        wait_until_healthy(api_url, proc, SERVER_START_TIMEOUT_S, log)
        yield api_url
    finally:
        stop_process_group(proc)


def run(args: argparse.Namespace) -> int:
    problem = usage_problem(args)
    from flows.prefect_env import configure

    configure(verbose=args.verbose)
    problem = problem or _schedule_problem(args)
    if problem:
        print(f"sift: {problem}", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        if not os.environ.get("PREFECT_API_URL"):
            print("sift: starting a local Prefect server (set PREFECT_API_URL to use yours) ...", file=sys.stderr)
            try:
                api_url = stack.enter_context(local_server(Path(os.environ["PREFECT_HOME"])))
            except RuntimeError as err:
                print(f"sift: {err}", file=sys.stderr)
                return 1
            os.environ["PREFECT_API_URL"] = api_url
            print(f"sift: Prefect server at {api_url.removesuffix('/api')}", file=sys.stderr)
        code = _serve(args)
    return code


def _serve(args: argparse.Namespace) -> int:
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    flow = configured_flow(args)
    parameters = {
        "paths": [str(Path(p)) for p in args.paths],
        "db": args.db,
        "batch_size": args.batch_size,
        "chunk_size": args.chunk_size,
        "incremental": True,
    }
    schedule = f"cron {args.cron!r} (UTC)" if args.cron else f"every {args.interval:g} s"
    print(f"sift: serving {args.name}: incremental ingest of {', '.join(args.paths)} -> {args.db}, {schedule}")
    flow.serve(
        name=args.name,
        cron=args.cron,
        interval=args.interval,
        parameters=parameters,
        limit=1,  # this process runs one ingest at a time
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        print_starting_message=args.verbose,
    )
    return 0
