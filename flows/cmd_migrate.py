"""`sift migrate [--db FILE]`: apply pending migrations now (opening does too)."""

from __future__ import annotations

import argparse
import sys

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    p = sub.add_parser("migrate", help="create or upgrade the warehouse schema in place")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from warehouse.connection import WarehouseError, connect, migrate, schema_version

    try:
        con = connect(args.db)
        try:
            applied = migrate(con)
            version = schema_version(con)
        finally:
            con.close()
    except WarehouseError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    if applied:
        print(f"{args.db}: applied {', '.join(applied)}; schema version {version}")
    else:
        print(f"{args.db}: up to date at schema version {version}")
    return 0
