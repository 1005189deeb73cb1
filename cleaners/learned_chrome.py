"""Chrome learned per source: lines that recur across many of its documents.

A site's own boilerplate ("Follow @outlet for the latest news", a
disclaimer, a desk signature) is not in any rule list, but it shows itself
by recurring: the same line in a large share of one source's documents is
chrome, while a line of reporting appears in one story (or a few copies).

Statistics are counts of documents, per source, containing each normalised
line (`count_source_lines`); the warehouse keeps them across runs
(warehouse/source_stats.py). The rule `learned_chrome` drops a line when:
- its source has at least MIN_SOURCE_DOCS documents counted (before that,
  recurrence is chance), and
- the line recurs in at least max(MIN_LINE_DOCS, MIN_LINE_SHARE x documents
  of the source) of them, and
- it is at most MAX_LINE_WORDS words (only such lines are counted at all:
  chrome is short, and counting every paragraph would grow the table with
  the corpus);
- unless the matching lines hold more than MAX_DOC_SHARE of the document's
  words: then the document is a copy of other documents (dedup's business),
  not a page of chrome, and the rule leaves it alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cleaners import reasons
from cleaners.rules_context import LineContext, Verdict, strip_line

MIN_SOURCE_DOCS = 20
MIN_LINE_DOCS = 5
MIN_LINE_SHARE = 0.05
MAX_LINE_WORDS = 40
MAX_DOC_SHARE = 0.5

_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")


def normalize_line(line: str) -> str:
    """Case, NFKC, punctuation and whitespace folded; digit runs become "0"
    so that "[ 167 comments ]" and "[ 12 comments ]" are one line."""
    text = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_NON_WORD.sub(" ", _DIGITS.sub("0", text)).split())


def line_hash(line: str) -> str | None:
    """Hash of the normalised line, or None for lines that are not counted."""
    norm = normalize_line(line)
    if not norm or len(norm.split()) > MAX_LINE_WORDS:
        return None
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=10).hexdigest()


@dataclass
class SourceLineCounts:
    """Per source: documents counted, and documents containing each line hash."""

    n_docs: Counter[str] = field(default_factory=Counter)
    line_docs: dict[str, Counter[str]] = field(default_factory=dict)
    samples: dict[tuple[str, str], str] = field(default_factory=dict)  # one verbatim line per hash

    def add(self, source: str, text: str) -> None:
        self.n_docs[source] += 1
        seen: set[str] = set()
        for raw in text.split("\n"):
            line = strip_line(raw)
            h = line_hash(line) if line else None
            if h is not None and h not in seen:
                seen.add(h)
                self.line_docs.setdefault(source, Counter())[h] += 1
                self.samples.setdefault((source, h), line)


def count_source_lines(docs: Iterable[tuple[str, str]]) -> SourceLineCounts:
    """Counts for (source, text-before-cleaning) pairs, each document once."""
    counts = SourceLineCounts()
    for source, text in docs:
        counts.add(source, text)
    return counts


@dataclass(frozen=True)
class SourceStats:
    """What the rule knows about one source."""

    n_docs: int
    line_docs: Mapping[str, int]

    def merged(self, n_docs: int, line_docs: Mapping[str, int]) -> SourceStats:
        """These stats plus counts not yet stored (e.g. the current batch)."""
        total = Counter(self.line_docs)
        total.update(line_docs)
        return SourceStats(self.n_docs + n_docs, dict(total))

    def is_chrome(self, h: str | None) -> bool:
        if h is None or self.n_docs < MIN_SOURCE_DOCS:
            return False
        return self.line_docs.get(h, 0) >= max(MIN_LINE_DOCS, MIN_LINE_SHARE * self.n_docs)


def learned_chrome_ranks(nonblank: Sequence[str], stats: SourceStats | None) -> frozenset[int]:
    """Ranks of the non-blank lines the rule drops (see the module doc)."""
    if stats is None or stats.n_docs < MIN_SOURCE_DOCS:
        return frozenset()
    ranks = frozenset(i for i, line in enumerate(nonblank) if stats.is_chrome(line_hash(line)))
    words = sum(len(line.split()) for line in nonblank)
    chrome_words = sum(len(nonblank[i].split()) for i in ranks)
    if words and chrome_words > MAX_DOC_SHARE * words:
        return frozenset()
    return ranks


def learned_chrome_rule(ranks: frozenset[int]) -> Callable[[LineContext], Verdict | None]:
    """The `learned_chrome` rule for one document, given its chrome ranks."""

    def rule_learned_chrome(ctx: LineContext) -> Verdict | None:
        if ctx.nonblank_rank in ranks:
            return Verdict(reasons.LEARNED_CHROME, drop=True)
        return None

    return rule_learned_chrome
