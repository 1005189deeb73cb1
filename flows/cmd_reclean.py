"""`sift reclean [--db FILE] [--all] [--limit N] [--dry-run]`: clean landed documents again
under the current cleaning rules and print what changed (flows/reclean.py does the work).

Exit codes: 0 done (or nothing to do), 1 the run failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time

from flows.cli_common import DEFAULT_DB

SHOWN_CHANGES = 10


def register(sub) -> None:
    p = sub.add_parser("reclean", help="re-clean, from their raw inputs, the documents cleaned by older cleaning rules")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    p.add_argument("--all", action="store_true", help="every document, whatever rules cleaned it")
    p.add_argument("--limit", type=int, help="at most N documents (in doc_id order; run again for the rest)")
    p.add_argument("--dry-run", action="store_true", help="only count what would be re-cleaned; write nothing")
    p.set_defaults(handler=run)


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def render(result, wall_seconds: float) -> str:
    plan = result.plan
    n = len(plan.old_versions)
    if not n:
        return f"sift reclean -> {result.db}: nothing to re-clean: every document is at rules {plan.rules_version}\n"
    if result.dry_run:
        return (
            f"sift reclean -> {result.db} (dry run: nothing written)\n"
            f"  would re-clean      {n} documents to rules {plan.rules_version}\n"
            f"  now at rules        {_counts(plan.by_version)}\n"
        )
    c, d = result.counts, result.dedup
    out = [
        f"sift reclean {result.run_id} -> {result.db} (succeeded)",
        f"  rules               {plan.rules_version} (documents were at {_counts(plan.by_version)})",
        f"  examined            {c['examined']}",
        f"  changed             {c['changed']}   (clean text differs)",
        f"  unchanged           {c['unchanged']}   (of which metadata only changed: {c['metadata_changed']})",
        f"  quarantined         {c['quarantined']}   (kept as they were; see ops.quarantine)",
        f"  dedup               {d['reindexed']} documents re-indexed, pairs {_counts(d['pairs'])}; "
        f"clusters written {d['clusters_written']}, removed {d['clusters_removed']}",
        f"  wall time           {wall_seconds} s",
    ]
    shown = [x for x in result.changes if x.change != "metadata"]
    for x in shown[:SHOWN_CHANGES]:
        after = "quarantined: " + (x.reason or "") if x.new_len is None else f"{x.new_len} chars"
        out.append(f"    {x.change:<12} {x.doc_id}  {x.old_len} chars -> {after}")
    if result.changes:
        more = f"{len(shown) - SHOWN_CHANGES} more; " if len(shown) > SHOWN_CHANGES else ""
        out.append(f"  ({more}all: SELECT * FROM ops.reclean_changes WHERE run_id = '{result.run_id}')")
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        print("sift: --limit must be at least 1", file=sys.stderr)
        return 2
    from flows import allocators
    from flows.reclean import reclean
    from warehouse.connection import WarehouseError

    allocators.configure()

    started = time.perf_counter()
    try:
        result = reclean(args.db, all_docs=args.all, limit=args.limit, dry_run=args.dry_run)
    except WarehouseError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # the run failed: one line here; its runs row has the details
        print(f"sift: the reclean failed: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    sys.stdout.write(render(result, round(time.perf_counter() - started, 2)))
    return 0
