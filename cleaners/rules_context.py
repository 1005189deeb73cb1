"""The values every line rule reads and returns, plus small shared helpers.

Rules are pure functions of a `LineContext`; everything a rule may look at
(neighbours, position in the document) is precomputed here once per document
so that no rule needs state or a second pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Zero-width characters that scrapers leave on otherwise empty lines; str.strip
# does not remove them, and a line holding only these is blank to a reader.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# Closing quotes and brackets are peeled off before looking at the last
# character, so that a quoted sentence (“No.”) still counts as punctuated.
_CLOSERS = "\"'”\u2019»)]"
# Sentence and clause ends, Latin and CJK (full-width) forms.
_TERMINAL = ".!?;:…,。\uff01\uff1f\uff1b\uff1a\uff0c、"


@dataclass(frozen=True)
class LineContext:
    """One non-blank line and what a rule may know about its surroundings."""

    lines: tuple[str, ...]  # every line of the document, verbatim
    index: int  # this line's index in `lines`
    line: str  # this line, stripped
    prev_nonblank: str | None  # previous non-blank line, stripped
    next_nonblank: str | None  # next non-blank line, stripped
    nonblank_rank: int  # 0-based rank among the non-blank lines
    nonblank_total: int
    # all non-blank lines, stripped, shared by every context of a document so
    # that window rules (navigation runs) can look several lines away cheaply
    nonblank: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Verdict:
    """A rule's opinion of one line."""

    rule: str  # a reason code from cleaners.reasons
    drop: bool
    replacement: str | None = None  # kept text when only a prefix is removed
    # metadata found on the line; excluded from hashing because dicts are not
    # hashable, but still compared
    meta: dict[str, Any] = field(default_factory=dict, hash=False)


def strip_line(raw: str) -> str:
    """Strip whitespace and invisible characters from both ends."""
    return raw.strip().strip(_INVISIBLE).strip()


def build_contexts(lines: Sequence[str]) -> list[LineContext]:
    """One context per non-blank line, in document order."""
    all_lines = tuple(lines)
    stripped = [strip_line(raw) for raw in all_lines]
    positions = [i for i, s in enumerate(stripped) if s]
    nonblank = tuple(stripped[i] for i in positions)
    total = len(nonblank)
    return [
        LineContext(
            lines=all_lines,
            index=i,
            line=nonblank[rank],
            prev_nonblank=nonblank[rank - 1] if rank > 0 else None,
            next_nonblank=nonblank[rank + 1] if rank + 1 < total else None,
            nonblank_rank=rank,
            nonblank_total=total,
            nonblank=nonblank,
        )
        for rank, i in enumerate(positions)
    ]


def word_count(text: str) -> int:
    return len(text.split())


def ends_with_terminal(text: str) -> bool:
    """True when the line ends like a sentence or clause, not like a label."""
    core = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(core) and core[-1] in _TERMINAL


def is_short_label(text: str, max_words: int = 3, max_chars: int = 40) -> bool:
    """A menu-item-like line: a few words, no sentence punctuation at the end."""
    return 0 < word_count(text) <= max_words and len(text) <= max_chars and not ends_with_terminal(text)
