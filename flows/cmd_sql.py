"""`sift sql "SELECT ..." [--db FILE] [--format table|csv|json]`, read-only."""

from __future__ import annotations

import argparse
import sys

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    sql = sub.add_parser("sql", help="run a read-only SQL query on the warehouse")
    sql.add_argument("query")
    sql.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
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
