"""What the language stage costs a cleaning worker, per document.

    uv run python -m bench.bench_language CORPUS_DIR [--n 3000]

`cleaners.language.detect_language` on the `text` of each document of
CORPUS_DIR/corpus.jsonl (made by `bench.corpus`), as a worker calls it, one
core, one process. CPU time (process_time: the machine is shared) per
document, over two passes: the first from a fresh process after one warm-up
call (profiles, compiled loop), while the caches fill; the second over the
same documents, caches full. Also the process's peak RSS, how many
documents asked the word lists for a second opinion, and which lists loaded.
Runs on a checkout without language_words too (before it existed).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from cleaners import language


def _texts(path: Path, n: int) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for _, line in zip(range(n), f, strict=False)]


def _pass(texts: list[str]) -> tuple[list[float], list[str]]:
    """Per-document CPU ms, and the labels."""
    times, labels = [], []
    for text in texts:
        started = time.process_time()
        labels.append(language.detect_language(text)[0])
        times.append((time.process_time() - started) * 1000)
    return times, labels


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "mean_ms": round(statistics.fmean(times), 3),
        "median_ms": round(statistics.median(times), 3),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 3),
        "total_s": round(sum(times) / 1000, 2),
    }


def _count_second_opinions() -> dict[str, int] | None:
    """Wrap language_words.second_opinion to count its calls (None before it existed)."""
    words = getattr(language, "language_words", None)
    if words is None:
        return None
    counts = {"asked": 0, "answered": 0}
    inner = words.second_opinion

    def counted(*args, **kwargs):
        counts["asked"] += 1
        opinion = inner(*args, **kwargs)
        counts["answered"] += opinion is not None
        return opinion

    words.second_opinion = counted
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    texts = _texts(args.corpus / "corpus.jsonl", args.n)
    counts = _count_second_opinions()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    language.detect_language("warm-up: the profiles load and the compiled loop is read in")
    first_call_ms = (time.process_time() - started) * 1000
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cold, labels = _pass(texts)
    warm, again = _pass(texts)
    assert labels == again, "detection must not depend on what the caches hold"
    by_label: dict[str, int] = {}
    for label in labels:
        by_label[label] = by_label.get(label, 0) + 1
    words = getattr(language, "language_words", None)
    report = {
        "documents": len(texts),
        "first_call_ms": round(first_call_ms, 1),
        "cold": _summary(cold),
        "warm": _summary(warm),
        "labels": dict(sorted(by_label.items(), key=lambda kv: -kv[1])),
        "second_opinions_over_both_passes": counts,
        "word_lists_loaded": sorted(words._TABLES) if words is not None else None,
        "peak_rss_mb": {
            "after_warm_up": round(rss_loaded / 1024, 1),
            "after_passes": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "at_start": round(rss_before / 1024, 1),
        },
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
