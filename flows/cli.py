"""`sift`: a thin command line over the flows and the warehouse.

Each subcommand lives in its own `flows/cmd_*.py` module with a
`register(subparsers)` function that sets `handler`; heavy imports (Prefect,
DuckDB) happen inside the handlers so `sift --help` stays fast.

Exit codes: 0 success (quarantined inputs are reported, not failures),
1 the run or query failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import sys

from flows import (
    cmd_explain,
    cmd_export,
    cmd_ingest,
    cmd_migrate,
    cmd_reclean,
    cmd_refingerprint,
    cmd_report,
    cmd_schema,
    cmd_serve,
    cmd_sql,
)

COMMANDS = (
    cmd_ingest,
    cmd_sql,
    cmd_schema,
    cmd_migrate,
    cmd_export,
    cmd_serve,
    cmd_report,
    cmd_explain,
    cmd_reclean,
    cmd_refingerprint,
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sift", description="Clean, deduplicate and land scraped text in DuckDB.")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.handler(args)


def entry() -> None:
    """The `sift` console command: `main`, then exit without tearing the heap down.

    DuckDB 2.0's bindings (nanobind) print a screen of "nanobind: leaked N
    instances!" to stderr when the interpreter tears its modules down after a
    run that used Prefect's threads (seen on every `sift ingest`; not from a
    plain query): the OS frees the memory anyway, and it buried the run's
    summary. So once the atexit handlers have run (registered after this one,
    they run before it: Prefect stops its temporary server, tempfile and
    weakref finalizers) the process exits with its code. `main` stays a plain
    function for tests (an os._exit at their exit would end pytest with its code).
    """
    exit_code = [1]  # what an exception escaping main exits with (Python prints its traceback first)

    def exit_now() -> None:
        logging.shutdown()  # registered before this handler, so it would run after it
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe still gets the exit code
                stream.flush()
        os._exit(exit_code[0])

    atexit.register(exit_now)
    try:
        exit_code[0] = main()
    except SystemExit as stop:  # argparse's usage errors (2), --help (0)
        exit_code[0] = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        raise
    except KeyboardInterrupt:
        exit_code[0] = 130
        raise
    sys.exit(exit_code[0])


if __name__ == "__main__":  # python -m flows.cli (bench/ingest_timeline.py): as the `sift` script
    entry()
