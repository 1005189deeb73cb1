"""How the language thresholds were chosen: a sweep on the `tune` half only.

langdetect runs once per lingua line of the tune half (sentences, word
pairs, single words; held-out lines are never read). Its ranking is kept
(the best 8, which is all `cleaners.language.decide` looks at: checked
against `detect_language` on every 50th line), and `decide` then runs
again on it for each setting: one threshold at a time moved off the
module's value, the others as they are. Scores as in eval_language:
sentence accuracy, precision of the non-`und` labels and `und` share.

    uv run python bench/tune_language.py [--shared ../shared] [--limit 1000]
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import TUNE, markdown_table, parse_args, split_of, write_report
from eval_language import SETS, expected_labels

from cleaners import language, language_words

KEEP = 8
# (module, name, values tried): the module's own value is always among them;
# MAX_WORDS 1000 is no cap, SHORT_ALONE_PROBABILITY 1.1 never
SWEEP = (
    (language_words, "WORD_WEIGHT", (1.0, 2.0, 4.0)),
    (language_words, "PROB_FLOOR", (0.001, 0.01, 0.05)),
    (language_words, "MISSING_LOG10", (-6.5, -7.0, -8.0)),
    (language_words, "MAX_WORDS", (5, 10, 1000)),
    (language, "MIN_PROBABILITY", (0.5, 0.7, 0.9)),
    (language, "SECOND_OPINION_BELOW", (0.7, 0.8, 0.9, 0.99)),
    (language, "LONG_TEXT_LETTERS", (0, 100, 200, 500)),
    (language, "MIN_WORD_LETTERS", (6, 8, 10, 12)),
    (language, "SHORT_MIN_PROBABILITY", (0.9, 0.99, 0.999)),
    (language, "SHORT_MIN_KNOWN", (0.5, 0.67, 1.0)),
    (language, "SHORT_MIN_MEAN_LOG10", (-7.0, -6.0, -5.5, -5.0)),
    (language, "SHORT_ALONE_LETTERS", (12, 15, 20)),
    (language, "SHORT_ALONE_PROBABILITY", (0.999, 0.9999, 1.1)),
)


def rank_file(kind: str, path: Path, limit: int) -> list[tuple[str, int, list[tuple[str, float]]]]:
    """(sample, letters, langdetect's best KEEP) for each tune line of one file."""
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()][:limit]
    out = []
    for i, line in enumerate(lines):
        if split_of(f"{kind}/{path.stem}:{i}") != TUNE:
            continue
        sample = language.sample_text(line)
        letters = language._letter_count(sample)
        ranked = language._langdetect(sample)[:KEEP]
        if i % 50 == 0 and ranked:
            assert language.decide(ranked, sample, letters) == language.detect_language(line)
        out.append((sample, letters, ranked))
    return out


def score(rows: list[tuple[str, set[str], str, int, list]]) -> dict[str, tuple[float, float, float]]:
    """set -> (accuracy, precision of non-und labels, und share) with the module's current settings."""
    out = {}
    for kind in SETS:
        labels = [(language.decide(ranked, s, n)[0], exp) for k, exp, s, n, ranked in rows if k == kind]
        hits = sum(label in exp for label, exp in labels)
        labelled = sum(label != language.UNDETERMINED for label, _ in labels)
        out[kind] = (hits / len(labels), hits / max(labelled, 1), 1 - labelled / len(labels))
    return out


def main() -> None:
    args = parse_args(__doc__.split("\n")[0], [("--limit", {"type": int, "default": 1000})])
    root = args.shared / "data" / "lingua"
    jobs = [(kind, path) for kind in SETS for path in sorted((root / kind).glob("*.txt")) if expected_labels(path.stem)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        found = pool.map(rank_file, [k for k, _ in jobs], [p for _, p in jobs], [args.limit] * len(jobs))
        rows = [
            (kind, expected_labels(path.stem), sample, letters, ranked)
            for (kind, path), lines in zip(jobs, found, strict=True)
            for sample, letters, ranked in lines
        ]
    table, report = [], []
    for module, name, values in SWEEP:
        chosen = getattr(module, name)
        for value in values:
            setattr(module, name, value)
            result = score(rows)
            setattr(module, name, chosen)
            cells = [f"{a:.4f} / {p:.4f} / {u:.3f}" for a, p, u in result.values()]
            table.append((name, value, "yes" if value == chosen else "", *cells))
            report.append({"name": name, "value": value, "chosen": value == chosen, "tune": result})
            print(*table[-1], sep="  |  ", flush=True)
    head = ("setting", "value", "chosen", *(f"{kind}: accuracy / precision / und" for kind in SETS))
    write_report("tune_language", {"rows": len(rows), "sweep": report}, markdown_table(head, table))


if __name__ == "__main__":
    main()
