"""`sift explain DOC_ID [--db FILE] [--format text|json]`: why a document is (or is not) a duplicate.

DOC_ID may be a full doc_id, a unique prefix of one (6+ characters) or a
source_uri. Read-only: it never changes the warehouse.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from flows.cli_common import DEFAULT_DB


def register(sub) -> None:
    ex = sub.add_parser("explain", help="why a document is (or is not) a duplicate, and what cleaning removed")
    ex.add_argument("doc_id", help="a doc_id, a unique doc_id prefix (6+ characters) or a source_uri")
    ex.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})")
    ex.add_argument("--format", choices=("text", "json"), default="text")
    ex.add_argument("--width", type=int, default=60, help="characters of paragraph text shown (default: 60)")
    ex.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from dedup.explain import ExplainError, explain
    from warehouse.connection import WarehouseError, connect

    if args.width < 10:
        print("sift: --width must be at least 10", file=sys.stderr)
        return 2
    try:
        con = connect(args.db, read_only=True)
    except WarehouseError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    try:
        result = explain(con, args.doc_id, width=args.width)
    except ExplainError as err:
        print(f"sift: {err}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps(dataclasses.asdict(result), default=str, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(render(result))
    return 0


def _f(value, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render(e) -> str:
    d = e.document
    out = [
        f"document {d['doc_id']}  {d['source_uri']}",
        f"  source {d['source']}, lang {d['lang']}, {d['n_words']} words, published {d['published_at'] or '-'}, "
        f"ingested {d['ingested_at']} (run {d['run_id']})",
        f"  {'indexed for near-duplicate search' if d['indexed'] else 'not indexed: an exact copy of another text'}",
        "",
        f"verdict: {e.verdict}",
    ]
    if e.cluster:
        c = e.cluster
        out += [
            "",
            f"cluster {c['cluster_id']}  canonical {c['canonical_doc_id']}  size {c['size']}  "
            f"first seen {c['first_seen_at']}  last seen {c['last_seen_at']}",
            "  canonical = earliest published, then earliest ingested, then longest text, then smallest id",
        ]
        for m in c["members"]:
            mark = "*" if m["is_canonical"] else " "
            this = "  <- this document" if m["doc_id"] == d["doc_id"] else ""
            out.append(
                f"  {mark} {m['doc_id']}  {m['source']:<14} published {m['published_at'] or '-'}  "
                f"ingested {m['ingested_at']}  {m['text_length']} chars  {m['source_uri']}{this}"
            )
    if e.history:
        out += ["", "cluster history (oldest first)"]
        for h in e.history:
            about = h["doc_id"] or ""
            other = f" (cluster {h['other_cluster_id']})" if h["other_cluster_id"] else ""
            out.append(f"  {h['happened_at']}  run {h['run_id']}  {h['event']:<17} {about}{other}  size {h['size']}")
    if e.matches:
        out += [
            "",
            "verified pairs (jaccard: exact, word 5-grams; estimate: MinHash; containment: share in shared paragraphs)",
        ]
        out.append(
            f"  {'kind':<8} {'other document':<22} {'jaccard':>7} {'estimate':>8} {'this':>5} {'other':>5}  source"
        )
        for m in e.matches:
            out.append(
                f"  {m['kind']:<8} {m['other_id']:<22} {_f(m['jaccard']):>7} {_f(m['jaccard_estimate']):>8} "
                f"{_f(m['containment_this'], 2):>5} {_f(m['containment_other'], 2):>5}  {m['other_uri']}"
            )
    for other, paras in e.shared.items():
        out += ["", f"shared paragraphs with {other} ({len(paras)}): this #i <-> other #j, paragraph Jaccard"]
        for p in paras:
            out.append(f"  #{p.para_this:<3} <-> #{p.para_other:<3} J={p.jaccard:.2f}  this : {p.text_this}")
            out.append(f"  {'':<20}  other: {p.text_other}")
    if e.candidates:
        out += ["", "closest candidates (share LSH bands, not verified as pairs) and the thresholds they missed"]
        for c in e.candidates:
            out.append(
                f"  {c.other_id}  {c.doc_bands} document band(s), {c.paragraphs_hit} paragraph(s) hit, "
                f"{c.shared_paragraphs} shared: {c.missed}  {c.other_uri}"
            )
    out += ["", f"lines removed by cleaning ({len(e.removed_lines)}; line numbers count from 0 before cleaning)"]
    for r in e.removed_lines:
        text = r["line_text"] if len(r["line_text"]) <= 70 else r["line_text"][:69] + "…"
        out.append(f"  line {r['line_no']:<4} {r['rule']:<18} {text}")
    return "\n".join(out) + "\n"
