"""`sift export --out DIR [--format parquet|jsonl] [--since RUN_ID] [--lang id,en]
[--canonical-only] [--db FILE]`: documents for downstream projects, with a manifest."""

from __future__ import annotations

import argparse
import sys

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="export documents partitioned by language and run date, with manifest.json (read-only)"
    )
    p.add_argument("--out", required=True, help="new or empty directory to write into")
    p.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    p.add_argument("--since", metavar="RUN_ID", help="only documents landed after this run (a manifest's watermark)")
    p.add_argument("--lang", help="comma-separated language codes, e.g. id,en")
    p.add_argument("--canonical-only", action="store_true", help="leave out non-canonical duplicate copies")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from warehouse.connection import WarehouseError, connect
    from warehouse.export import export_documents

    langs = [x.strip() for x in args.lang.split(",") if x.strip()] if args.lang else None
    if args.lang is not None and not langs:
        print("sift: --lang needs at least one language code, e.g. --lang id,en", file=sys.stderr)
        return 2
    try:
        con = connect(args.db, read_only=True)
        try:
            manifest = export_documents(con, args.out, args.format, args.since, langs, args.canonical_only)
        finally:
            con.close()
    except WarehouseError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    print(
        f"exported {manifest['row_count']} documents in {len(manifest['files'])} files to {args.out} "
        f"({args.format}, schema version {manifest['schema_version']})"
    )
    print(f"  next incremental export: --since {manifest['watermark_run_id']}")
    return 0
