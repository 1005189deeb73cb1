"""Language identification on the lingua test data, per split.

For every language langdetect has a profile for (nb/nn map to `no`, zh to
either Chinese profile), `--limit` lines of each file (sentences, word
pairs, single words) go through `cleaners.language.detect_language` exactly
as the pipeline calls it (no hint):

- sentences: accuracy (`und` counts as wrong);
- word pairs, single words: precision of the non-`und` labels, and the
  share labelled `und`;
- Malay (`ms`, no langdetect profile): what its sentences are labelled.
Thresholds were tuned on the `tune` half (sha256 of "<set>/<lang>:<line>")
with bench/tune_language.py.

    uv run python bench/eval_language.py [--shared ../shared] [--limit 1000]
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import HELD_OUT, TUNE, markdown_table, parse_args, split_of, write_report
from langdetect.detector_factory import PROFILES_DIRECTORY

from cleaners import language

SETS = ("sentences", "word-pairs", "single-words")
_ALIASES = {"nb": "no", "nn": "no"}


def expected_labels(code: str) -> set[str] | None:
    known = {p.name for p in Path(PROFILES_DIRECTORY).iterdir()}
    if code == "zh":
        return {"zh-cn", "zh-tw"}
    code = _ALIASES.get(code, code)
    return {code} if code in known else None


def detect_file(path: Path, limit: int) -> list[str]:
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()][:limit]
    return [language.detect_language(line)[0] for line in lines]


def score(rows: list[dict]) -> dict:
    out: dict[str, dict] = {}
    for kind in SETS:
        for split in (TUNE, HELD_OUT):
            sel = [r for r in rows if r["set"] == kind and r["split"] == split and r["expected"]]
            hits = sum(r["label"] in r["expected"] for r in sel)
            labelled = sum(r["label"] != "und" for r in sel)
            out[f"{kind}/{split}"] = {
                "n": len(sel),
                "accuracy": round(hits / len(sel), 4) if sel else 0.0,
                "precision_non_und": round(hits / labelled, 4) if labelled else 0.0,
                "und_share": round(1 - labelled / len(sel), 4) if sel else 0.0,
            }
    return out


def main() -> None:
    args = parse_args(__doc__.split("\n")[0], [("--limit", {"type": int, "default": 1000})])
    root = args.shared / "data" / "lingua"
    jobs = [(kind, path) for kind in SETS for path in sorted((root / kind).glob("*.txt"))]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(detect_file, [p for _, p in jobs], [args.limit] * len(jobs)))
    rows = []
    for (kind, path), labels in zip(jobs, results, strict=True):
        code = path.stem
        for i, label in enumerate(labels):
            split = split_of(f"{kind}/{code}:{i}")
            rows.append({"set": kind, "lang": code, "split": split, "expected": expected_labels(code), "label": label})
    thresholds = {
        name: getattr(language, name)
        for name in ("MIN_LETTERS", "MIN_PROBABILITY", "MIN_WORD_LETTERS", "SHORT_MIN_PROBABILITY")
    }
    report = {"limit": args.limit, "thresholds": thresholds, "scores": score(rows)}
    ms_labels = Counter(r["label"] for r in rows if r["lang"] == "ms" and r["set"] == "sentences")
    report["ms_sentences_labelled"] = dict(ms_labels.most_common(5))
    per_lang: dict[str, Counter] = {}
    for r in rows:
        if r["set"] == "sentences" and r["expected"]:
            per_lang.setdefault(r["lang"], Counter())["ok" if r["label"] in r["expected"] else r["label"]] += 1
    report["sentence_errors_by_lang"] = {
        k: dict(v.most_common(4)) for k, v in sorted(per_lang.items(), key=lambda kv: kv[1]["ok"]) if len(v) > 1
    }
    table_rows = [
        (key, v["n"], v["accuracy"], v["precision_non_und"], v["und_share"]) for key, v in report["scores"].items()
    ]
    table = markdown_table(("set/split", "n", "accuracy", "precision (non-und)", "und share"), table_rows)
    settings = ", ".join(f"{k}={v}" for k, v in thresholds.items())
    table += f"\n\n{settings}; `ms` sentences labelled: {dict(ms_labels)}"
    write_report("eval_language", report, table)


if __name__ == "__main__":
    main()
