"""HTML path: sift's cleaning chain vs trafilatura's defaults, token P/R/F1.

Truth: aeb `articleBody` and readability `expected.html` (flattened to text).
Systems, scored in the same run on the same pages:
- `trafilatura_default`: `trafilatura.extract(html, url=url)` with its defaults;
- `sift`: decode -> repair -> extract (cleaners.html_extract) -> line rules, i.e.
  the clean_text the warehouse would store.
`--variants` adds exploratory trafilatura settings (used while tuning) and
`sift_extraction_only`, sift's extraction before the line rules.
Scores are macro averages over pages (aeb's convention), for tokens and for
aeb's own 4-token shingles, reported per split (see bench/common.py).

    uv run python bench/eval_extraction.py [--shared ../shared] [--variants]
"""

from __future__ import annotations

import gzip
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import trafilatura
from common import HELD_OUT, TUNE, Scores, flatten_html, markdown_table, parse_args, split_of, write_report

from cleaners.decode import decode_bytes, decode_document
from cleaners.errors import InputRejected
from cleaners.html_extract import extract_document
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_HTML, Document, make_doc_id
from cleaners.repair import repair_document


def load_pages(shared: Path) -> list[dict]:
    """Every page as {dataset, key, split, raw bytes, url, truth text}."""
    pages = []
    aeb = shared / "data" / "aeb"
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((aeb / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        item = truth[key]
        raw = gzip.decompress(path.read_bytes())
        pages.append({"dataset": "aeb", "key": key, "raw": raw, "url": item.get("url"), "truth": item["articleBody"]})
    for folder in sorted((shared / "data" / "readability" / "test-pages").iterdir()):
        source, expected = folder / "source.html", folder / "expected.html"
        if not (source.is_file() and expected.is_file()):
            continue
        truth_text = flatten_html(expected.read_text(encoding="utf-8"))
        pages.append(
            {"dataset": "readability", "key": folder.name, "raw": source.read_bytes(), "url": None, "truth": truth_text}
        )
    for page in pages:
        page["split"] = split_of(page["key"])
    return pages


def sift_texts(raw: bytes, url: str | None) -> tuple[str, str]:
    """What sift's extraction gives for one HTML page, and the clean_text it
    stores after the line rules ("" for both when quarantined)."""
    uri = f"eval://{url or 'page'}"
    doc = Document(doc_id=make_doc_id(uri, raw), source_uri=uri, source="eval", body_kind=KIND_HTML, raw=raw, url=url)
    try:
        extracted = extract_document(repair_document(decode_document(doc)))
    except InputRejected:
        return "", ""
    return extracted.text, apply_line_rules(extracted).clean_text


VARIANTS = {
    "trafilatura_precision": {"favor_precision": True},
    "trafilatura_recall": {"favor_recall": True},
    "trafilatura_no_comments": {"include_comments": False},
    "trafilatura_fast": {"fast": True},
}


def run_page(page: dict, variants: bool) -> dict[str, str]:
    html, _ = decode_bytes(page["raw"], is_html=True)
    out = {"trafilatura_default": trafilatura.extract(html, url=page["url"]) or ""}
    if variants:
        for name, kwargs in VARIANTS.items():
            out[name] = trafilatura.extract(html, url=page["url"], **kwargs) or ""
    extracted, out["sift"] = sift_texts(page["raw"], page["url"])
    if variants:
        # the extraction alone: where the line rules' removals (teasers,
        # copyright lines) disagree with what a ground truth keeps
        out["sift_extraction_only"] = extracted
    return out


def main() -> None:
    args = parse_args(__doc__.split("\n")[0], [("--variants", {"action": "store_true"})])
    pages = load_pages(args.shared)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(run_page, pages, [args.variants] * len(pages), chunksize=4))
    elapsed = time.perf_counter() - started
    systems = list(outputs[0])
    scores: dict[tuple[str, str, str, int], Scores] = {}
    per_page = []
    for page, out in zip(pages, outputs, strict=True):
        row = {"dataset": page["dataset"], "key": page["key"], "split": page["split"]}
        for system, text in out.items():
            for n in (1, 4):
                p, r = scores.setdefault((page["dataset"], page["split"], system, n), Scores()).add(
                    page["truth"], text, n
                )
                if n == 1:
                    row[system] = {"p": round(p, 4), "r": round(r, 4)}
        per_page.append(row)
    rows, results = [], {"elapsed_s": round(elapsed, 1), "pages": per_page, "scores": []}
    for dataset in ("aeb", "readability"):
        for split in (TUNE, HELD_OUT):
            for system in systems:
                tok = scores[(dataset, split, system, 1)].summary()
                sh4 = scores[(dataset, split, system, 4)].summary()
                results["scores"].append(
                    {"dataset": dataset, "split": split, "system": system, "tokens": tok, "sh4": sh4}
                )
                rows.append((dataset, split, system, tok["n"], tok["precision"], tok["recall"], tok["f1"], sh4["f1"]))
    table = markdown_table(("data", "split", "system", "pages", "P", "R", "F1", "F1 (4-shingles)"), rows)
    write_report("eval_extraction", results, table + f"\n\n{len(pages)} pages in {elapsed:.0f} s (2 processes)")


if __name__ == "__main__":
    main()
