"""`sift`: a thin command line over the flows and the warehouse.

Exit codes: 0 success (quarantined inputs are reported, not failures),
1 the run or query failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

DEFAULT_DB = "sift.duckdb"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sift", description="Clean, deduplicate and land scraped text in DuckDB.")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="run the ingest flow over files and folders (recursive)")
    ing.add_argument("paths", nargs="+", help=".txt, .html/.htm, .jsonl files or folders")
    ing.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    ing.add_argument("--batch-size", type=int, default=200, help="documents per Prefect task (default: 200)")
    ing.add_argument("--verbose", action="store_true", help="show Prefect's logs")

    sql = sub.add_parser("sql", help="run a read-only SQL query on the warehouse")
    sql.add_argument("query")
    sql.add_argument("--db", default=DEFAULT_DB)
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "ingest":
        return _ingest(args)
    return _sql(args)


def _ingest(args: argparse.Namespace) -> int:
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


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from flows.render import print_result
    from warehouse.connection import WarehouseError, connect

    try:
        con = connect(args.db, read_only=True)
    except WarehouseError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    try:
        cur = con.execute(args.query)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except duckdb.Error as err:
        hint = " (sift sql is read-only: it never changes the warehouse)" if "read-only" in str(err) else ""
        print(f"sift: query failed: {err}{hint}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print_result(columns, rows, args.format)
    return 0


if __name__ == "__main__":
    sys.exit(main())
