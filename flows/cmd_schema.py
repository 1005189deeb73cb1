"""`sift schema [--db FILE] [--format markdown|json]`: print the data dictionary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    p = sub.add_parser("schema", help="print every table, view and column of the warehouse with its description")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.connection import WarehouseError, connect, migrate, pending_migrations
    from warehouse.schema import to_json, to_markdown

    if Path(args.db).exists():
        try:
            con = connect(args.db, read_only=True)
        except WarehouseError as err:
            print(f"sift: {err}", file=sys.stderr)
            return 1
        pending = pending_migrations(con)
        if pending:
            print(
                f"sift: {args.db} lacks migrations {', '.join(pending)}; run `sift migrate --db {args.db}`",
                file=sys.stderr,
            )
    else:
        # no file yet: describe the warehouse this version of sift creates
        print(f"sift: no warehouse at {args.db}; showing the schema sift creates", file=sys.stderr)
        con = duckdb.connect()
        migrate(con)
    try:
        sys.stdout.write(to_json(con) if args.format == "json" else to_markdown(con))
    finally:
        con.close()
    return 0
