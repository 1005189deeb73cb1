"""Language identification on the lingua test data, per split.

For every language langdetect has a profile for (nb/nn map to `no`, zh to
either Chinese profile), `--limit` lines of each file (sentences, word
pairs, single words) go through `cleaners.language.detect_language` exactly
as the pipeline calls it. langdetect runs once per text with both thresholds
at zero; MIN_LETTERS and MIN_PROBABILITY are then applied to the recorded
(letters, label, probability), which is what the module does, so `--grid`
can score other thresholds without running langdetect again.

- sentences: accuracy (`und` counts as wrong);
- word pairs, single words: precision of the non-`und` labels, and the
  share labelled `und`;
- Malay (`ms`, no langdetect profile): what its sentences are labelled.
Thresholds were tuned on the `tune` half (sha256 of "<set>/<lang>:<line>").

    uv run python bench/eval_language.py [--shared ../shared] [--limit 300] [--grid]
"""

from __future__ import annotations

import itertools
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


def raw_detect(text: str) -> tuple[int, str, float]:
    """(letters in the sample, top label, its probability), no thresholds."""
    letters = language._letter_count(language.sample_text(text))
    language.MIN_LETTERS, language.MIN_PROBABILITY = 0, 0.0
    label, prob = language.detect_language(text)
    return letters, label, prob


def detect_file(path: Path, limit: int) -> list[tuple[int, str, int, str, float]]:
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()][:limit]
    return [(i, line, *raw_detect(line)) for i, line in enumerate(lines)]


def label_with(letters: int, label: str, prob: float, min_letters: int, min_prob: float) -> str:
    return "und" if letters < min_letters or prob < min_prob else label


def score(rows: list[dict], min_letters: int, min_prob: float) -> dict:
    out: dict[str, dict] = {}
    for kind in SETS:
        for split in (TUNE, HELD_OUT):
            sel = [r for r in rows if r["set"] == kind and r["split"] == split and r["expected"]]
            labels = [label_with(r["letters"], r["label"], r["prob"], min_letters, min_prob) for r in sel]
            hits = sum(lab in r["expected"] for lab, r in zip(labels, sel, strict=True))
            labelled = sum(lab != "und" for lab in labels)
            out[f"{kind}/{split}"] = {
                "n": len(sel),
                "accuracy": round(hits / len(sel), 4) if sel else 0.0,
                "precision_non_und": round(hits / labelled, 4) if labelled else 0.0,
                "und_share": round(1 - labelled / len(sel), 4) if sel else 0.0,
            }
    return out


def main() -> None:
    args = parse_args(
        __doc__.split("\n")[0],
        [("--limit", {"type": int, "default": 300}), ("--grid", {"action": "store_true"})],
    )
    min_letters, min_prob = language.MIN_LETTERS, language.MIN_PROBABILITY
    root = args.shared / "data" / "lingua"
    jobs = [(kind, path) for kind in SETS for path in sorted((root / kind).glob("*.txt"))]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(detect_file, [p for _, p in jobs], [args.limit] * len(jobs)))
    rows = []
    for (kind, path), found in zip(jobs, results, strict=True):
        code = path.stem
        for i, _line, letters, label, prob in found:
            rows.append(
                {
                    "set": kind,
                    "lang": code,
                    "split": split_of(f"{kind}/{code}:{i}"),
                    "expected": sorted(expected_labels(code) or ()),
                    "letters": letters,
                    "label": label,
                    "prob": prob,
                }
            )
    report = {"min_letters": min_letters, "min_probability": min_prob, "scores": score(rows, min_letters, min_prob)}
    ms = [r for r in rows if r["lang"] == "ms" and r["set"] == "sentences"]
    ms_labels = Counter(label_with(r["letters"], r["label"], r["prob"], min_letters, min_prob) for r in ms)
    report["ms_sentences_labelled"] = dict(ms_labels.most_common(5))
    per_lang: dict[str, Counter] = {}
    for r in rows:
        if r["set"] == "sentences" and r["expected"]:
            lab = label_with(r["letters"], r["label"], r["prob"], min_letters, min_prob)
            per_lang.setdefault(r["lang"], Counter())["ok" if lab in r["expected"] else lab] += 1
    report["sentence_errors_by_lang"] = {
        k: dict(v.most_common(4)) for k, v in sorted(per_lang.items(), key=lambda kv: kv[1]["ok"]) if len(v) > 1
    }
    if args.grid:
        grid = []
        for letters, prob in itertools.product((10, 15, 20, 25, 30, 40), (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)):
            s = score(rows, letters, prob)
            tune = [s[f"{k}/{TUNE}"] for k in SETS]
            grid.append({"min_letters": letters, "min_probability": prob, "tune": tune})
            print(letters, prob, [(t["accuracy"], t["precision_non_und"], t["und_share"]) for t in tune])
        report["grid"] = grid
    table_rows = [
        (key, v["n"], v["accuracy"], v["precision_non_und"], v["und_share"]) for key, v in report["scores"].items()
    ]
    table = markdown_table(("set/split", "n", "accuracy", "precision (non-und)", "und share"), table_rows)
    table += f"\n\nMIN_LETTERS={min_letters}, MIN_PROBABILITY={min_prob}; `ms` sentences labelled: {dict(ms_labels)}"
    write_report("eval_language", report, table)


if __name__ == "__main__":
    main()
