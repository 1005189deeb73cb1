"""Printing summaries and query results for people (table) and tools (csv, json)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value).replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def print_result(columns: list[str], rows: list[tuple], fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        for row in rows:
            out.write(
                json.dumps(dict(zip(columns, row, strict=True)), default=_json_default, ensure_ascii=False) + "\n"
            )
    else:
        cells = [[_cell(v) for v in row] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"


def print_summary(s: dict, db: str, out=None) -> None:
    out = out or sys.stdout
    out.write(f"sift run {s['run_id']} -> {db} ({s['status']})\n")
    out.write(f"  inputs read         {s['n_inputs']}\n")
    out.write(f"  documents landed    {s['n_documents']}   (already landed, skipped: {s['n_skipped']})\n")
    out.write(f"  duplicates          {s['n_duplicates']} non-canonical copies\n")
    out.write(f"  lines removed       {_counts(s['removed_by_rule'])}\n")
    out.write(f"  languages           {_counts(s['languages'])}\n")
    pairs = {k: s["pairs"].get(k, 0) for k in ("exact", "near", "overlap")}
    out.write(f"  similar pairs       {_counts(pairs)}\n")
    out.write(f"  quarantined         {s['n_quarantined']}   ({_counts(s['quarantined_by_reason'])})\n")
    if s.get("sources"):
        out.write(f"  source files        {_counts(_source_counts(s['sources']))}\n")
    out.write(f"  wall time           {s['wall_seconds']} s\n")


# Display order of source-file changes (flows/sources.py); zero counts are left out.
_SOURCE_ORDER = ("new", "changed", "grown", "touched", "unchanged", "reappeared", "missing", "unstable", "unchecked")


def _source_counts(counts: dict) -> dict:
    known = {k: counts[k] for k in _SOURCE_ORDER if counts.get(k)}
    return known | {k: v for k, v in sorted(counts.items()) if k not in known and v}
