"""The values every line rule reads and returns, plus small shared helpers.

Rules are pure functions of a `LineContext`; everything a rule may look at
(neighbours, position in the document) is precomputed here once per document
so that no rule needs state or a second pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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
# CJK radicals; kana, Hangul and ideographs all follow. Scripts written
# without spaces between words start here.
CJK_START = 0x2E80
_BELOW_CJK = re.compile(r"[\x00-\u2e7f]+")  # every character before CJK_START
_ASCII_DIGIT = re.compile(r"[0-9]")


class _computed_once:  # lower case: used as a decorator, like functools.cached_property
    """An attribute computed at its first read and stored on the instance.

    functools.cached_property does the same, but before Python 3.12 it takes
    a lock at every first read, which costs more than the value it caches.
    Storing in __dict__ also works on a frozen dataclass.
    """

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.name = func.__name__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


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

    def __init__(
        self,
        lines: tuple[str, ...],
        index: int,
        line: str,
        prev_nonblank: str | None,
        next_nonblank: str | None,
        nonblank_rank: int,
        nonblank_total: int,
        nonblank: tuple[str, ...] = (),
    ) -> None:
        # The fields above, set in one step: the __init__ a frozen dataclass
        # generates calls object.__setattr__ once per field, and building the
        # contexts of every pass then cost as much as asking half the rules.
        self.__dict__.update(
            lines=lines,
            index=index,
            line=line,
            prev_nonblank=prev_nonblank,
            next_nonblank=next_nonblank,
            nonblank_rank=nonblank_rank,
            nonblank_total=nonblank_total,
            nonblank=nonblank,
        )

    @_computed_once
    def n_words(self) -> int:
        """word_count(self.line), counted once: a dozen rules compare it to their caps."""
        return word_count(self.line)


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


def has_digit(text: str) -> bool:
    """any(ch.isdigit() for ch in text), without a Python step per character
    on ASCII text (where the only digits are 0-9)."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(ch.isdigit() for ch in text)


def cjk_letters(text: str) -> int:
    """How many letters of `text` are at or after CJK_START."""
    # Most lines are ASCII or Latin with a few accents or curly quotes: skip
    # them whole instead of testing every character in Python.
    if text.isascii():
        return 0
    high = _BELOW_CJK.sub("", text)
    return sum(map(str.isalpha, high)) if high else 0


def ends_with_terminal(text: str) -> bool:
    """True when the line ends like a sentence or clause, not like a label."""
    core = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(core) and core[-1] in _TERMINAL


# A sentence ending inside a line, then the next one starting: Latin script
# (a space, then a letter), or a CJK full stop, which needs no space.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)\]]*\s+[\"'“‘«(\[]?[^\W\d_]|[。！？]\S")


def has_sentence_break(text: str) -> bool:
    """True when `text` holds more than one sentence."""
    return _SENTENCE_BREAK.search(text) is not None


def is_short_label(text: str, max_words: int = 3, max_chars: int = 40) -> bool:
    """A menu-item-like line: a few words, no sentence punctuation at the end."""
    # the length test first: it is free, and most lines fail it
    return len(text) <= max_chars and 0 < word_count(text) <= max_words and not ends_with_terminal(text)
