"""What every evaluation script shares: arguments, the data split, scoring, output.

The split is fixed and documented so that tuning never sees the held-out half:
an item (an aeb page, a readability test page, a lingua line) belongs to the
`tune` half when the first byte of sha256(its key) is even, else to `held_out`.
The key is the page's file stem, the readability folder name, or
"<lang>:<line number>" for lingua lines. Rules and thresholds were tuned on
`tune` only; the numbers that judge a target are the `held_out` ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/eval_x.py` from the checkout
    sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
TUNE = "tune"
HELD_OUT = "held_out"

# The aeb benchmark's own tokenizer (evaluate.py): runs of word characters.
_TOKEN = re.compile(r"\w+", re.UNICODE)


def split_of(key: str) -> str:
    """`tune` or `held_out`, fixed by the key's hash (see the module doc)."""
    return TUNE if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else HELD_OUT


def parse_args(description: str, extra: Sequence[tuple[str, dict]] = ()) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared",
        help="the shared/ folder beside the checkout (default: ../shared)",
    )
    for flag, kwargs in extra:
        parser.add_argument(flag, **kwargs)
    args = parser.parse_args()
    if not (args.shared / "data").is_dir():
        parser.error(f"no data/ under {args.shared}: pass --shared PATH to the shared folder")
    return args


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def tp_fp_fn(truth: str, pred: str, n: int = 1) -> tuple[float, float, float]:
    """Matched, extra and missed token n-grams (bag semantics), as counts."""
    t_tok, p_tok = tokens(truth), tokens(pred)
    t = Counter(tuple(t_tok[i : i + n]) for i in range(max(0, len(t_tok) - n + 1)))
    p = Counter(tuple(p_tok[i : i + n]) for i in range(max(0, len(p_tok) - n + 1)))
    tp = sum((t & p).values())
    return float(tp), float(sum(p.values()) - tp), float(sum(t.values()) - tp)


@dataclass
class Scores:
    """Per-page precision and recall, macro-averaged like the aeb benchmark."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)

    def add(self, truth: str, pred: str, n: int = 1) -> tuple[float, float]:
        tp, fp, fn = tp_fp_fn(truth, pred, n)
        # aeb's convention: an empty truth matched by an empty prediction is perfect
        p = 1.0 if fp == fn == 0 else (tp / (tp + fp) if tp + fp else 0.0)
        r = 1.0 if fp == fn == 0 else (tp / (tp + fn) if tp + fn else 0.0)
        self.precisions.append(p)
        self.recalls.append(r)
        return p, r

    def summary(self) -> dict[str, float]:
        if not self.precisions:
            return {"n": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
        p, r = statistics.mean(self.precisions), statistics.mean(self.recalls)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"n": len(self.precisions), "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return f"{v:.4f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write_report(name: str, results: dict, table: str) -> None:
    """bench/out/<name>.json and .md, and the table on stdout."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    (OUT / f"{name}.md").write_text(table + "\n", encoding="utf-8")
    print(table)


# Elements whose text a reader never sees, and block elements that start a new
# line in a text dump (what a scraper's "get all text, one block per line" gives).
_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table"),
        *("tbody", "td", "tfoot", "th", "thead", "tr", "ul", "option", "select", "button", "label", "html"),
    }
)


def flatten_html(html: str) -> str:
    """The page as a text dump: one line per block, chrome and all, no markup."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _INVISIBLE_TAGS or not tag:
            # comments and processing instructions carry no visible text, but the
            # text after them (their tail) is the parent's
            if el.tail:
                current.append(el.tail)
            return
        block = tag.lower() in _BLOCK_TAGS
        if block or tag.lower() == "br":
            flush()
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return "\n".join(lines)
