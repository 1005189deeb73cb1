"""`sift ingest PATH... [--db FILE]`: run the ingest flow and print a summary."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    ing = sub.add_parser("ingest", help="run the ingest flow over files and folders (recursive)")
    ing.add_argument("paths", nargs="+", help=".txt, .html/.htm, .jsonl files or folders")
    ing.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    ing.add_argument("--batch-size", type=int, default=200, help="documents per Prefect task (default: 200)")
    ing.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    ing.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"sift: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.batch_size < 1:
        print("sift: --batch-size must be at least 1", file=sys.stderr)
        return 2
    from flows.prefect_env import configure

    configure(verbose=args.verbose)
    from flows.ingest import ingest_flow
    from flows.render import print_summary
    from warehouse.connection import WarehouseError, connect
    from warehouse.summary import run_summary

    started = time.perf_counter()
    try:
        result = ingest_flow(paths=[str(p) for p in args.paths], db=args.db, batch_size=args.batch_size)
    except WarehouseError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    con = connect(args.db, read_only=True)
    try:
        summary = run_summary(con, result["run_id"])
    finally:
        con.close()
    summary["wall_seconds"] = round(time.perf_counter() - started, 2)
    print_summary(summary, args.db)
    return 0
