"""Apply the line rules to a document: keep the article, record the rest.

Every line a rule removes (or trims) becomes a `RemovedLine` with its reason
code, so cleaning is auditable and nothing disappears silently. Blank lines
are layout, not content: they are neither kept nor recorded.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cleaners.record import Document, RemovedLine
from cleaners.rules import RULES, LineContext, Rule, Verdict, build_contexts


@dataclass(frozen=True)
class LineOutcome:
    """What happened to one line of the input text."""

    line_no: int  # 0-based index in text.split("\n")
    original: str  # the line as it was in the input
    kept: str | None  # text that goes to clean_text; None if blank or dropped
    verdict: Verdict | None  # the deciding rule's verdict, if any

    @property
    def removed_text(self) -> str | None:
        """The text removed from this line: all of it, or a trimmed prefix."""
        if self.verdict is None:
            return None
        stripped = self.original.strip()
        if self.verdict.drop or self.kept is None:
            return stripped
        # a trim keeps a suffix of the line; what was removed is what precedes it
        if stripped.endswith(self.kept):
            return stripped[: len(stripped) - len(self.kept)].strip()
        return stripped


def _decide(ctx: LineContext, rules: tuple[Rule, ...]) -> Verdict | None:
    for rule in rules:
        verdict = rule(ctx)
        # a verdict that neither drops nor replaces changes nothing; keep asking
        if verdict is not None and (verdict.drop or verdict.replacement is not None):
            return verdict
    return None


def classify_lines(text: str, rules: tuple[Rule, ...] = RULES) -> list[LineOutcome]:
    """One outcome per line of `text` (split on "\\n"), blank lines included."""
    lines = text.split("\n")
    outcomes: list[LineOutcome] = [
        LineOutcome(line_no=i, original=raw, kept=None, verdict=None) for i, raw in enumerate(lines)
    ]
    for ctx in build_contexts(lines):
        raw = lines[ctx.index]
        verdict = _decide(ctx, rules)
        if verdict is None:
            kept: str | None = raw.rstrip()
        elif verdict.drop:
            kept = None
        else:
            kept = verdict.replacement.rstrip() if verdict.replacement else None
        outcomes[ctx.index] = LineOutcome(line_no=ctx.index, original=raw, kept=kept or None, verdict=verdict)
    return outcomes


def apply_line_rules(doc: Document) -> Document:
    """Return `doc` with clean_text, removed lines and byline/dateline meta."""
    outcomes = classify_lines(doc.text)
    kept = [o.kept for o in outcomes if o.kept is not None]
    removed: list[RemovedLine] = []
    author: str | None = None
    published_at: str | None = None
    for o in outcomes:
        if o.verdict is None:
            continue
        removed.append(
            RemovedLine(
                line_no=o.line_no,
                line_text=o.removed_text or "",
                rule=o.verdict.rule,
            )
        )
        # the first byline / dated dateline in the document is the article's
        author = author or o.verdict.meta.get("author")
        published_at = published_at or o.verdict.meta.get("published_at")
    return dataclasses.replace(
        doc,
        clean_text="\n".join(kept),
        removed=tuple(removed),
        author=doc.author or author,
        published_at=doc.published_at or published_at,
    )
