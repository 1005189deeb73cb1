"""Apply the line rules to a document: keep the article, record the rest.

Every line a rule removes (or trims) becomes a `RemovedLine` with its reason
code, so cleaning is auditable and nothing disappears silently. Blank lines
are layout, not content: they are neither kept nor recorded.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from cleaners import reasons
from cleaners.learned_chrome import (
    SourceStats,
    counted_lines,
    learned_chrome_ranks,
    learned_chrome_rule,
    line_hash,
    line_hashes,
)
from cleaners.record import KIND_TEXT, Document, RemovedLine
from cleaners.rules import LINE_ONLY_RULES, RULES, LineContext, Rule, Verdict, build_contexts
from cleaners.rules_block import line_score, outside_article_rule, outside_ranks
from cleaners.rules_context import strip_line


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


# A plan is the rules in order, cut into groups: (rules, by_text). A by_text
# group holds only LINE_ONLY_RULES, so its verdict can be remembered per text.
Plan = tuple[tuple[tuple[Rule, ...], bool], ...]


@functools.lru_cache(maxsize=64)
def _plan(rules: tuple[Rule, ...]) -> Plan:
    groups = itertools.groupby(rules, key=LINE_ONLY_RULES.__contains__)
    return tuple((tuple(group), by_text) for by_text, group in groups)


class _Memo:
    """What classify_lines learned about a document's texts, kept between passes.

    Each fixpoint pass asks the rules again about every line still kept, and
    nearly all of those are the text they were in the previous pass: the
    verdicts of line-only rules and the block scores depend on the text alone,
    so each is computed once per distinct text, whatever the pass. So is
    each text's learned_chrome line hash.
    """

    def __init__(self, plan: Plan, hashes: dict[str, str | None] | None = None) -> None:
        self.verdicts: list[dict[str, Verdict | None]] = [{} for _ in plan]
        self.scores: dict[str, int] = {}
        self.hashes: dict[str, str | None] = {} if hashes is None else dict(hashes)

    def line_hash(self, line: str) -> str | None:
        if line in self.hashes:
            return self.hashes[line]
        h = self.hashes[line] = line_hash(line)
        return h

    def score(self, ctx: LineContext) -> int:
        score = self.scores.get(ctx.line)
        if score is None:
            score = self.scores[ctx.line] = line_score(ctx.line, ctx.n_words)
        return score


def _first_verdict(ctx: LineContext, rules: tuple[Rule, ...]) -> Verdict | None:
    for rule in rules:
        verdict = rule(ctx)
        # a verdict that neither drops nor replaces changes nothing; keep asking
        if verdict is not None and (verdict.drop or verdict.replacement is not None):
            return verdict
    return None


def _decide(ctx: LineContext, plan: Plan, memo: _Memo) -> Verdict | None:
    """The first dropping or replacing verdict of the rules in `plan`, in order."""
    for group, (rules, by_text) in enumerate(plan):
        if by_text:
            seen = memo.verdicts[group]
            if ctx.line in seen:
                verdict = seen[ctx.line]
            else:
                verdict = seen[ctx.line] = _first_verdict(ctx, rules)
        else:
            verdict = _first_verdict(ctx, rules)
        if verdict is not None:
            return verdict
    return None


def _one_pass(
    texts: list[str], plan: Plan, memo: _Memo, source_stats: SourceStats | None, find_article_block: bool
) -> list[Verdict | None]:
    """A verdict (or None) for each of `texts`, all of which are non-blank."""
    contexts = build_contexts(texts)
    nonblank = contexts[0].nonblank
    if source_stats is not None:
        ranks = learned_chrome_ranks(nonblank, source_stats, memo.line_hash)
        if ranks:
            # asked last, after the named rules; its ranks change every pass,
            # so it is not a by_text group and memo.verdicts has no slot for it
            plan = (*plan, ((learned_chrome_rule(ranks),), False))
    verdicts = [_decide(ctx, plan, memo) for ctx in contexts]
    if find_article_block:
        dropped = frozenset(ctx.nonblank_rank for ctx, v in zip(contexts, verdicts, strict=True) if v and v.drop)
        menu = frozenset(
            ctx.nonblank_rank
            for ctx, v in zip(contexts, verdicts, strict=True)
            if v and v.drop and v.rule == reasons.NAVIGATION_RUN
        )
        scores = [memo.score(ctx) for ctx in contexts]
        outside = outside_article_rule(*outside_ranks(nonblank, dropped, scores, menu))
        verdicts = [v if v is not None else outside(ctx) for ctx, v in zip(contexts, verdicts, strict=True)]
    return verdicts


def classify_lines(
    text: str,
    rules: tuple[Rule, ...] = RULES,
    source_stats: SourceStats | None = None,
    find_article_block: bool = True,
    hashes: dict[str, str | None] | None = None,
) -> list[LineOutcome]:
    """One outcome per line of `text` (split on "\\n"), blank lines included.

    With `source_stats` (the document's source), `learned_chrome` is asked
    after the named rules (`hashes`: line hashes already known, by text;
    cleaners.learned_chrome.line_hashes). Then, unless `find_article_block` is False,
    `outside_article` judges what all of them kept (cleaners/rules_block.py).

    The rules are asked again about what they kept until nothing changes, so
    cleaning clean text changes nothing: a rule that looks at neighbours
    ("the first line", "the previous line") must see the text as it will be
    stored, not with a teaser that is about to go between two lines. Every
    pass removes or shortens a line, so this ends; almost always the second
    pass only confirms the first.
    """
    lines = text.split("\n")
    # (line number, current text) of the lines still kept, and their verdicts so far
    alive = [(i, raw.rstrip()) for i, raw in enumerate(lines) if strip_line(raw)]
    decided: dict[int, Verdict] = {}
    kept_text = dict(alive)
    plan = _plan(tuple(rules))
    memo = _Memo(plan, hashes)
    while alive:
        verdicts = _one_pass([t for _, t in alive], plan, memo, source_stats, find_article_block)
        survivors = []
        for (i, current), verdict in zip(alive, verdicts, strict=True):
            if verdict is None:
                survivors.append((i, current))
                continue
            replacement = None if verdict.drop else (verdict.replacement or "").rstrip()
            if replacement == current:  # a "trim" that removes nothing is no verdict
                survivors.append((i, current))
                continue
            decided[i] = verdict
            if replacement and strip_line(replacement):
                kept_text[i] = replacement
                survivors.append((i, replacement))
            else:
                kept_text.pop(i, None)
        if survivors == alive:
            break
        alive = survivors
    return [
        LineOutcome(line_no=i, original=raw, kept=kept_text.get(i), verdict=decided.get(i))
        for i, raw in enumerate(lines)
    ]


def apply_line_rules(doc: Document, source_stats: SourceStats | None = None) -> Document:
    """Return `doc` with clean_text, removed lines, byline/dateline/headline meta and counted lines.

    `source_stats`: what the warehouse learned about `doc.source` (see
    cleaners/learned_chrome.py), by default `doc.source_stats` (the flow
    sets it); None applies the named rules only. Every document's short
    lines are hashed once, here, for its source's counts (`counted_lines`)
    and for the rule.
    """
    stats = doc.source_stats if source_stats is None else source_stats
    hashes = line_hashes(doc.text)
    # HTML was cut to its article by extraction already; the page-dump block
    # finder is for text inputs (a scraper's dump of a whole page). On
    # extracted text it would only misread code, tables and reference lists.
    outcomes = classify_lines(
        doc.text, source_stats=stats, find_article_block=doc.body_kind == KIND_TEXT, hashes=hashes
    )
    kept = [o.kept for o in outcomes if o.kept is not None]
    removed: list[RemovedLine] = []
    author: str | None = None
    published_at: str | None = None
    title: str | None = None
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
        title = title or o.verdict.meta.get("title")
    return dataclasses.replace(
        doc,
        clean_text="\n".join(kept),
        removed=tuple(removed),
        author=doc.author or author,
        published_at=doc.published_at or published_at,
        title=doc.title or title,
        source_stats=None,  # used: no need to carry it back from the worker
        counted_lines=counted_lines(hashes),
    )


def apply_line_rules_by_source(doc: Document, stats_by_source: Mapping[str, SourceStats]) -> Document:
    """apply_line_rules with the stats of `doc.source`, for a batch's stage list.

    `functools.partial(apply_line_rules_by_source, stats_by_source=...)` is a
    picklable stage: the flow loads the stats of a batch's sources once
    (warehouse.source_stats.load_source_stats) and binds them here.
    """
    return apply_line_rules(doc, stats_by_source.get(doc.source))
