"""Encoding repair: ftfy's own cases, false positives, injected mojibake, clean text.

- ftfy pass cases (synthetic, in-the-wild, language-names: every case marked
  `expect: pass`): `repair_text(original) == fixed`;
- negative.json: every case comes back unchanged;
- injected mojibake: paragraphs of clean text (aeb ground truth, lingua
  sentences of every language) encoded as UTF-8 and decoded as cp1252 (bytes
  cp1252 leaves undefined taken as Latin-1, as browsers do), Latin-1 or
  MacRoman; `repair_text` must restore the paragraph exactly;
- clean text: the same clean paragraphs, and readability's expected texts,
  must come back byte-identical with no repair recorded.
Paragraphs the source already holds as mojibake (ftfy's own `fix_encoding`
changes them: "gâ€™Omuzungu", "pďż˝nďż˝" in the lingua data) are not clean:
they are counted in their own row and left out of the two checks above.
The repair configuration predates this script; the single-sequence re-decode
rules (cleaners/redecode.py `_one_fold_is_enough`) were written against its
injected rows and ftfy's cases, and checked on every non-ASCII lingua line
(131,492, none changed that ftfy's `fix_encoding` leaves).

    uv run python bench/eval_encoding.py [--shared ../shared]
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ftfy
from common import flatten_html, markdown_table, parse_args, write_report
from ftfy import fixes

from cleaners.repair import repair_text


def typography_folded(text: str) -> str:
    """ftfy's expected outputs straighten quotes and fold full-width forms and
    ligatures (its defaults); sift keeps them on purpose (curly quotes are
    content, see cleaners/repair.py), so the check compares with those three
    folds applied to both sides. The strict row shows the unfolded count."""
    return fixes.uncurl_quotes(fixes.fix_latin_ligatures(fixes.fix_character_width(text)))


_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
PASS_FILES = ("synthetic.json", "in-the-wild.json", "language-names.json")
_LATIN1_FALLBACK = {b: bytes([b]).decode("latin-1") for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def sloppy_cp1252(data: bytes) -> str:
    return "".join(_LATIN1_FALLBACK.get(b) or bytes([b]).decode("cp1252") for b in data)


INJECTIONS = {
    "cp1252": sloppy_cp1252,
    "latin-1": lambda data: data.decode("latin-1"),
    "mac_roman": lambda data: data.decode("mac_roman"),
}


def clean_paragraphs(shared: Path) -> list[str]:
    """Clean paragraphs: aeb truth and 50 lingua sentences per language, less
    the few holding C0/C1 control characters (cp1252 bytes read as Latin-1 in
    the lingua French data: damaged, not clean, and repaired on purpose)."""
    paras = []
    truth = json.loads((shared / "data" / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    for item in truth.values():
        paras += [p for p in item["articleBody"].split("\n") if p.strip()]
    for path in sorted((shared / "data" / "lingua" / "sentences").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        paras += [line for line in lines[:50] if line.strip()]
    return [p for p in paras if not _CONTROL_CHARS.search(p)]


def damaged_in_source(para: str) -> bool:
    """Mojibake already in the data, by ftfy's judgment rather than ours."""
    return ftfy.fix_encoding(para) != para


def main() -> None:
    args = parse_args(__doc__.split("\n")[0])
    cases_dir = args.shared / "data" / "ftfy_cases"
    rows, results, failures = [], {}, {}

    def record(name: str, ok: int, total: int, bad: list) -> None:
        results[name] = {"ok": ok, "total": total, "rate": round(ok / total, 4) if total else None}
        failures[name] = bad[:20]
        rows.append((name, ok, total, f"{ok / total:.4f}" if total else "-"))

    ok, ok_typo, bad, total = 0, 0, [], 0
    for name in PASS_FILES:
        for case in json.loads((cases_dir / name).read_text(encoding="utf-8")):
            if case.get("expect") != "pass":
                continue
            total += 1
            fixed, _ = repair_text(case["original"])
            ok += fixed == case["fixed"]
            ok_typo += typography_folded(fixed) == typography_folded(case["fixed"])
            if typography_folded(fixed) != typography_folded(case["fixed"]):
                bad.append({"label": case["label"], "got": fixed, "want": case["fixed"]})
    record("ftfy pass cases fixed (strict)", ok, total, [])
    record("ftfy pass cases fixed (typography kept, see doc)", ok_typo, total, bad)

    negative = json.loads((cases_dir / "negative.json").read_text(encoding="utf-8"))
    # "unchanged" as the cases define it: `fixed` equals `original` in all but
    # one, whose stray C1 control character is the one thing to repair
    bad = [
        c["label"]
        for c in negative
        if typography_folded(repair_text(c["original"])[0]) != typography_folded(c["fixed"])
    ]
    record("negative.json as expected (unchanged)", len(negative) - len(bad), len(negative), bad)

    paras = clean_paragraphs(args.shared)
    damaged = {p for p in paras if damaged_in_source(p)}
    record("paragraphs already mojibake in the source (left out)", len(damaged), len(paras), sorted(damaged))
    paras = [p for p in paras if p not in damaged]
    non_ascii = [p for p in paras if not p.isascii()]
    for codec, inject in INJECTIONS.items():
        ok, bad, total = 0, [], 0
        for para in non_ascii:
            broken = inject(para.encode("utf-8"))
            if broken == para:
                continue
            total += 1
            fixed, _ = repair_text(broken)
            ok += fixed == para
            if fixed != para:
                bad.append({"want": para[:200], "got": fixed[:200]})
        record(f"injected {codec} mojibake restored exactly", ok, total, bad)

    readability = args.shared / "data" / "readability" / "test-pages"
    clean_docs = paras + [
        flatten_html(p.read_text(encoding="utf-8")) for p in sorted(readability.glob("*/expected.html"))
    ]
    bad = []
    for text in clean_docs:
        fixed, codes = repair_text(text)
        if fixed != text or codes:
            bad.append({"text": text[:200], "codes": codes})
    record("clean text byte-identical", len(clean_docs) - len(bad), len(clean_docs), bad)

    table = markdown_table(("check", "ok", "total", "rate"), rows)
    write_report("eval_encoding", {"results": results, "failures": failures}, table)


if __name__ == "__main__":
    main()
