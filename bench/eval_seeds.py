"""The five seed documents: every chrome/teaser line named in shared/README.md
removed, no content line lost.

The chrome each seed holds is written down here from shared/README.md as
line predicates (never copied text): 000's six `Baca: …` teasers; 002's
section label, both copies of the image caption, the byline, `Do you like
this article?` and `Captcha *`; 004's closing author biography. Every other
non-blank line is content and must be kept (a dateline prefix may be trimmed:
the line still counts as kept). Each seed goes through the plain-text chain
(decode -> repair -> line rules) and the removed and kept lines are compared.
The seeds were the specification the rules were written against: this is an
acceptance check on tuning data, not a held-out score.

    uv run python bench/eval_seeds.py [--shared ../shared]
"""

from __future__ import annotations

from collections.abc import Callable

from common import markdown_table, parse_args, write_report

from cleaners.decode import decode_document
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_TEXT, Document, make_doc_id
from cleaners.repair import repair_document

Chrome = Callable[[str, int, list[str]], bool]  # (line, rank among non-blank, all non-blank) -> chrome?

CHROME: dict[str, Chrome] = {
    "000": lambda line, rank, lines: line.startswith("Baca:"),
    "001": lambda line, rank, lines: False,
    "002": lambda line, rank, lines: (
        rank == 0  # the section label "Security"
        or (line.endswith("]") and lines.count(line) == 2)  # the caption, twice
        or line.startswith("By Al-Fassel")
        or line in ("Do you like this article?", "Captcha *")
    ),
    "003": lambda line, rank, lines: False,
    "004": lambda line, rank, lines: rank == len(lines) - 1,  # the author's biography
}


def main() -> None:
    args = parse_args(__doc__.split("\n")[0])
    rows, results = [], {}
    for path in sorted((args.shared / "seeds").glob("*.txt")):
        seed = path.name[:3]
        raw = path.read_bytes()
        doc = Document(
            doc_id=make_doc_id(str(path), raw), source_uri=str(path), source="seeds", body_kind=KIND_TEXT, raw=raw
        )
        doc = repair_document(decode_document(doc))
        doc = apply_line_rules(Document(**{**doc.__dict__, "text": doc.body}))
        all_lines = doc.text.split("\n")
        nonblank = [(i, line.strip()) for i, line in enumerate(all_lines) if line.strip()]
        texts = [t for _, t in nonblank]
        removed = {r.line_no: r for r in doc.removed if r.line_text == all_lines[r.line_no].strip()}
        chrome = [(i, t) for rank, (i, t) in enumerate(nonblank) if CHROME[seed](t, rank, texts)]
        content = [(i, t) for i, t in nonblank if (i, t) not in chrome]
        missed = [t for i, t in chrome if i not in removed]
        lost = [{"line": t[:120], "rule": removed[i].rule} for i, t in content if i in removed]
        results[seed] = {
            "chrome": len(chrome),
            "chrome_removed": len(chrome) - len(missed),
            "content": len(content),
            "content_lost": len(lost),
            "missed": missed,
            "lost": lost,
            "trimmed": [r.line_text for r in doc.removed if r.line_no not in removed],
            "rules": [r.rule for r in doc.removed],
        }
        rows.append((seed, f"{len(chrome) - len(missed)}/{len(chrome)}", f"{len(lost)}/{len(content)}"))
    table = markdown_table(("seed", "chrome lines removed", "content lines lost"), rows)
    write_report("eval_seeds", results, table)


if __name__ == "__main__":
    main()
