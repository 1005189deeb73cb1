"""`sift`: a thin command line over the flows and the warehouse.

Each subcommand lives in its own `flows/cmd_*.py` module with a
`register(subparsers)` function that sets `handler`; heavy imports (Prefect,
DuckDB) happen inside the handlers so `sift --help` stays fast.

Exit codes: 0 success (quarantined inputs are reported, not failures),
1 the run or query failed, 2 usage error.
"""

from __future__ import annotations

import argparse
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


if __name__ == "__main__":
    sys.exit(main())
