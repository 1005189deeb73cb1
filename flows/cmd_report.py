"""`sift report [--run RUN_ID] --out report.html [--db FILE]`: a static HTML report
with charts (read-only; the newest succeeded run unless --run names one)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    p = sub.add_parser("report", help="write an HTML report with charts about a run (read-only)")
    p.add_argument("--run", metavar="RUN_ID", help="the run to report on (default: the newest succeeded run)")
    p.add_argument("--out", required=True, help="HTML file to write, e.g. report.html")
    p.add_argument("--runs", type=int, default=20, help="how many recent runs the trend charts show (default: 20)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.runs < 1:
        print("sift: --runs must be at least 1", file=sys.stderr)
        return 2
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"sift: no folder {out.parent} to write {out.name} into", file=sys.stderr)
        return 2
    from flows.report import ReportError, render_html, report_data
    from warehouse.connection import WarehouseError, connect

    try:
        con = connect(args.db, read_only=True)
        try:
            data = report_data(con, args.run, args.runs)
        finally:
            con.close()
        page = render_html(data)
    except (WarehouseError, ReportError) as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)  # a reader never sees half a page
    print(f"report on run {data['run']['run_id']} -> {out} ({len(page) // 1024} KiB, {len(data['recent_runs'])} runs)")
    return 0
