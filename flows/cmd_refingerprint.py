"""`sift refingerprint [--db FILE]`: recompute the stored LSH bands with this sift's band parameters.

Exit codes: 0 done, 1 it failed (nothing was changed), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    p = sub.add_parser(
        "refingerprint",
        help="recompute the stored LSH bands after the band parameters changed (an ingest says when it is needed)",
    )
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from warehouse.connection import WarehouseError
    from warehouse.refingerprint import refingerprint

    try:
        result = refingerprint(args.db)
    except WarehouseError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # one line here; nothing was committed
        print(f"sift: refingerprint failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    old = (result.old_params or {}).get("word_hash", "none recorded")
    print(
        f"sift refingerprint {result.run_id} -> {args.db} (succeeded)\n"
        f"  documents           {result.documents} fingerprinted again (one per normalised text)\n"
        f"  band rows           {result.band_rows}\n"
        f"  word hash           {old} -> {result.new_params['word_hash']}\n"
        f"  wall time           {result.seconds} s"
    )
    return 0
