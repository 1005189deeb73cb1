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
# ASCII bytes that are not letters or digits, all to a space: on ASCII text
# NFKC changes nothing and casefold is lower(), so this splits into the same
# words as normalize_line, without a regex pass over a long paragraph.
_ASCII_NON_WORD = bytes.maketrans(bytes(range(128)), bytes(c if chr(c).isalnum() else 32 for c in range(128)))
_ASCII_DIGITS = re.compile(rb"[0-9]+")
# Every ASCII byte that is neither a letter, a digit nor whitespace: deleted,
# so that what remains of each whitespace-separated token is empty unless
# the token holds an ASCII letter or digit (see _too_many_words).
_ASCII_NOISE = bytes(c for c in range(128) if not chr(c).isalnum() and chr(c) not in " \t\n\r\x0b\x0c")


def normalize_line(line: str) -> str:
    """Case, NFKC, punctuation and whitespace folded; digit runs become "0"
    so that "[ 167 comments ]" and "[ 12 comments ]" are one line."""
    text = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_NON_WORD.sub(" ", _DIGITS.sub("0", text)).split())


def line_hash(line: str) -> str | None:
    """Hash of the normalised line, or None for lines that are not counted."""
    if line.isascii():
        # most lines: words counted before any other work, so a paragraph
        # (too long to be counted) costs one translate and one split in C
        words = line.encode("ascii").translate(_ASCII_NON_WORD).split(None, MAX_LINE_WORDS)
        if not words or len(words) > MAX_LINE_WORDS:  # the split stopped: more words follow
            return None
        norm = _ASCII_DIGITS.sub(b"0", b" ".join(words).lower())
    else:
        if _too_many_words(line):
            return None
        text = normalize_line(line)
        if not text or len(text.split()) > MAX_LINE_WORDS:
            return None
        norm = text.encode("utf-8")
    return hashlib.blake2b(norm, digest_size=10).hexdigest()


def _too_many_words(line: str) -> bool:
    """True if normalize_line(line) surely has more than MAX_LINE_WORDS words.

    A lower bound, in C: each token between ASCII whitespace that holds an
    ASCII letter or digit keeps a word through normalisation (NFKC may
    compose that letter with an accent after it, still a letter; casefold
    may split a word, never join two), and those tokens stay apart. Non-ASCII
    characters are dropped, which can only join tokens, never add one.
    """
    tokens = line.encode("ascii", "ignore").translate(None, _ASCII_NOISE).split(None, MAX_LINE_WORDS)
    return len(tokens) > MAX_LINE_WORDS


def line_hashes(text: str) -> dict[str, str | None]:
    """line_hash of each distinct non-blank line of `text`, stripped as the rules see it."""
    out: dict[str, str | None] = {}
    for raw in text.split("\n"):
        line = strip_line(raw)
        if line and line not in out:
            out[line] = line_hash(line)
    return out


def counted_lines(hashes: Mapping[str, str | None]) -> tuple[tuple[str, str], ...]:
    """(hash, first line with it) per distinct hash: what one document adds to its source's counts."""
    seen: dict[str, str] = {}
    for line, h in hashes.items():
        if h is not None and h not in seen:
            seen[h] = line
    return tuple(seen.items())


@dataclass
class SourceLineCounts:
    """Per source: documents counted, and documents containing each line hash."""

    n_docs: Counter[str] = field(default_factory=Counter)
    line_docs: dict[str, Counter[str]] = field(default_factory=dict)
    samples: dict[tuple[str, str], str] = field(default_factory=dict)  # one verbatim line per hash

    def add(self, source: str, text: str) -> None:
        self.add_counted(source, counted_lines(line_hashes(text)))

    def add_counted(self, source: str, counted: Iterable[tuple[str, str]]) -> None:
        """One document, given its counted_lines (what cleaning recorded on it)."""
        self.n_docs[source] += 1
        per_line = self.line_docs.setdefault(source, Counter())
        for h, line in counted:
            per_line[h] += 1
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

    def chrome_only(self) -> SourceStats:
        """The same verdicts from only the lines that are chrome now: what a
        document carries to a cleaning worker (a few lines, not every count)."""
        return SourceStats(self.n_docs, {h: n for h, n in self.line_docs.items() if self.is_chrome(h)})


def learned_chrome_ranks(
    nonblank: Sequence[str], stats: SourceStats | None, hash_of: Callable[[str], str | None] = line_hash
) -> frozenset[int]:
    """Ranks of the non-blank lines the rule drops (see the module doc).

    `hash_of` is line_hash, or a cache of it (classify_lines hashes each text once).
    """
    if stats is None or stats.n_docs < MIN_SOURCE_DOCS or not stats.line_docs:
        return frozenset()
    ranks = frozenset(i for i, line in enumerate(nonblank) if stats.is_chrome(hash_of(line)))
    if not ranks:
        return ranks
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
