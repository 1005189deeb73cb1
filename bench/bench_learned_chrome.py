"""What learned_chrome costs the line rules, per document.

Reads documents from a corpus.jsonl made by bench/corpus.py, counts their
lines per source as the warehouse would (every document landed), and times
`apply_line_rules` on each document without statistics and with its
source's (chrome lines only, as the flow sends them to a worker), plus the
counting alone. CPU time of this process, best of --repeat.

    uv run python -m bench.corpus /tmp/lc --n 3000 --seed 1 --chrome 0.5 --teasers 0.5
    uv run python bench/bench_learned_chrome.py /tmp/lc/corpus.jsonl --n 3000
    uv run python bench/bench_learned_chrome.py /tmp/lc/corpus.jsonl --n 3000 --curly  # non-ASCII lines
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from cleaners.learned_chrome import SourceStats, count_source_lines
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_TEXT, Document


def read_docs(path: Path, n: int, curly: bool) -> list[Document]:
    docs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            # --curly: a closing quote on every sentence, so no line takes the ASCII path
            text = record["text"].replace(". ", "\u2019 ") if curly else record["text"]
            docs.append(
                Document(
                    doc_id=record["id"],
                    source_uri=record["id"],
                    source=record["source"],
                    body_kind=KIND_TEXT,
                    raw=b"",
                    text=text,
                )
            )
            if len(docs) >= n:
                break
    return docs


def best_ms_per_doc(work: Callable[[], object], n_docs: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return round(best / n_docs * 1000, 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--curly", action="store_true")
    args = parser.parse_args(argv)

    docs = read_docs(args.corpus, args.n, args.curly)
    counts = count_source_lines((d.source, d.text) for d in docs)
    stats = {
        source: SourceStats(n, dict(counts.line_docs.get(source, {}))).chrome_only()
        for source, n in counts.n_docs.items()
    }
    with_stats = [apply_line_rules(d, stats[d.source]) for d in docs]
    removed = Counter(r.rule for d in with_stats for r in d.removed)
    result = {
        "documents": len(docs),
        "sources": len(stats),
        "sources_with_chrome": sum(1 for s in stats.values() if s.line_docs),
        "learned_chrome_lines_removed": removed["learned_chrome"],
        "ms_per_doc": {
            "line_rules_without_stats": best_ms_per_doc(
                lambda: [apply_line_rules(d) for d in docs], len(docs), args.repeat
            ),
            "line_rules_with_stats": best_ms_per_doc(
                lambda: [apply_line_rules(d, stats[d.source]) for d in docs], len(docs), args.repeat
            ),
            "counting_alone": best_ms_per_doc(
                lambda: count_source_lines((d.source, d.text) for d in docs), len(docs), args.repeat
            ),
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
