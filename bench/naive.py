"""The naive baseline, side by side with sift's stages on the same documents.

Naive: ftfy.fix_text on every document, unseeded langdetect on the whole
text, datasketch `MinHash.update` once per shingle string, and an in-memory
`MinHashLSH` holding the corpus. sift: its own decode/repair, language and
fingerprint stages. Both run in this process on the same sample, one core.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from cleaners.readers import read_jsonl
from cleaners.record import Document


def _load(path: Path, n: int) -> list[Document]:
    with path.open("rb") as f:
        data = b"".join(line for _, line in zip(range(n), f, strict=False))
    return [d for d in read_jsonl(str(path), data) if isinstance(d, Document)]


def _timed(fn, items) -> tuple[list, float]:
    started = time.perf_counter()
    out = [fn(x) for x in items]
    return out, (time.perf_counter() - started) * 1000 / max(len(items), 1)


def _naive(docs: list[Document]) -> dict[str, float]:
    import ftfy
    from datasketch import MinHash, MinHashLSH
    from langdetect import detect
    from langdetect.lang_detect_exception import LangDetectException

    texts, repair_ms = _timed(lambda d: ftfy.fix_text(d.body), docs)

    def lang(text: str) -> str:
        try:
            return detect(text)
        except LangDetectException:
            return "und"

    _, lang_ms = _timed(lang, texts)

    def minhash(text: str) -> MinHash:
        words = text.lower().split()
        m = MinHash(num_perm=120, seed=1)
        for i in range(max(len(words) - 4, 1)):
            m.update(" ".join(words[i : i + 5]).encode("utf-8"))
        return m

    sigs, sig_ms = _timed(minhash, texts)
    lsh = MinHashLSH(threshold=0.8, num_perm=120)
    started = time.perf_counter()
    for i, m in enumerate(sigs):
        lsh.query(m)
        lsh.insert(str(i), m)
    lsh_ms = (time.perf_counter() - started) * 1000 / max(len(sigs), 1)
    return {"repair": repair_ms, "language": lang_ms, "signatures": sig_ms, "lsh": lsh_ms}


def _sift(docs: list[Document]) -> dict[str, float]:
    from cleaners.decode import decode_document
    from cleaners.html_extract import extract_document
    from cleaners.language import detect_document
    from cleaners.lines import apply_line_rules
    from cleaners.repair import repair_document
    from dedup.config import DedupConfig
    from dedup.fingerprint import fingerprint_document

    docs, decode_ms = _timed(decode_document, docs)
    docs, repair_ms = _timed(repair_document, docs)
    docs, extract_ms = _timed(extract_document, docs)
    docs, rules_ms = _timed(apply_line_rules, docs)
    docs, lang_ms = _timed(detect_document, docs)
    cfg = DedupConfig()
    _, sig_ms = _timed(lambda d: fingerprint_document(d, cfg), docs)
    return {
        "decode": decode_ms,
        "repair": repair_ms,
        "html_extraction (text inputs pass through)": extract_ms,
        "line_rules": rules_ms,
        "language": lang_ms,
        "signatures": sig_ms,
    }


def compare(corpus: Path, n: int) -> dict:
    docs = _load(corpus, n)
    naive, sift = _naive(docs), _sift(docs)
    ratios = {}
    for stage, ms in sift.items():
        naive_ms = naive.get(stage)
        ratios[stage] = {
            "sift_ms": round(ms, 3),
            "naive_ms": None if naive_ms is None else round(naive_ms, 3),
            "ratio": round(naive_ms / ms, 1) if naive_ms and ms else None,
        }
    ratios["lsh (naive in-memory index; sift joins bands in DuckDB)"] = {
        "sift_ms": None,
        "naive_ms": round(naive["lsh"], 3),
        "ratio": None,
    }
    naive_total = sum(naive.values())
    return {
        "n": len(docs),
        "docs_per_s": round(1000 / naive_total, 1),
        "sift_stage_ms": {k: round(v, 3) for k, v in sift.items()},
        "ratios": ratios,
    }


if __name__ == "__main__":
    import sys

    print(json.dumps(compare(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 500), indent=2))
