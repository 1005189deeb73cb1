"""Plain-text path: whole pages flattened to text dumps, cleaned by the line rules.

Each aeb page (and readability source page) is flattened to what a scraper's
text dump looks like: one line per block, menus, footers, related stories and
all (`common.flatten_html`). sift cleans it as a `.txt` input (decode ->
repair -> line rules, no HTML extraction) and the clean text is scored
against the ground truth with token P/R/F1 (macro over pages), per split.
`raw_dump` scores the uncleaned dump, the floor the rules start from.

    uv run python bench/eval_plaintext.py [--shared ../shared]
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

from common import HELD_OUT, TUNE, Scores, flatten_html, markdown_table, parse_args, write_report
from eval_extraction import load_pages

from cleaners.decode import decode_bytes
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_TEXT, Document, make_doc_id
from cleaners.repair import repair_document


def dump_of(raw: bytes) -> str:
    html, _ = decode_bytes(raw, is_html=True)
    return flatten_html(html)


def sift_clean_dump(dump: str) -> str:
    raw = dump.encode("utf-8")
    uri = "eval://dump.txt"
    doc = Document(doc_id=make_doc_id(uri, raw), source_uri=uri, source="eval", body_kind=KIND_TEXT, raw=raw, body=dump)
    doc = repair_document(doc)
    return apply_line_rules(Document(**{**doc.__dict__, "text": doc.body})).clean_text


def run_page(raw: bytes) -> tuple[str, str]:
    dump = dump_of(raw)
    return dump, sift_clean_dump(dump)


def main() -> None:
    args = parse_args(__doc__.split("\n")[0])
    pages = load_pages(args.shared)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(run_page, [p["raw"] for p in pages], chunksize=8))
    elapsed = time.perf_counter() - started
    scores: dict[tuple[str, str, str], Scores] = {}
    per_page = []
    for page, (dump, clean) in zip(pages, outputs, strict=True):
        row = {"dataset": page["dataset"], "key": page["key"], "split": page["split"]}
        for system, text in (("raw_dump", dump), ("sift_text_rules", clean)):
            p, r = scores.setdefault((page["dataset"], page["split"], system), Scores()).add(page["truth"], text)
            row[system] = {"p": round(p, 4), "r": round(r, 4)}
        per_page.append(row)
    rows, results = [], {"elapsed_s": round(elapsed, 1), "pages": per_page, "scores": []}
    for dataset in ("aeb", "readability"):
        for split in (TUNE, HELD_OUT):
            for system in ("raw_dump", "sift_text_rules"):
                s = scores[(dataset, split, system)].summary()
                results["scores"].append({"dataset": dataset, "split": split, "system": system, **s})
                rows.append((dataset, split, system, s["n"], s["precision"], s["recall"], s["f1"]))
    table = markdown_table(("data", "split", "system", "pages", "P", "R", "F1"), rows)
    write_report("eval_plaintext", results, table + f"\n\n{len(pages)} pages in {elapsed:.0f} s (2 processes)")


if __name__ == "__main__":
    main()
