"""Rules that judge a line by its place in the document, not its words.

Shortness alone never drops a line: subheadings and short quotes are
content. A short line goes only when its position marks it as chrome: the
section label above the headline, or one item of a menu-like run.
"""

from __future__ import annotations

from cleaners import reasons
from cleaners.rules_context import (
    LineContext,
    Verdict,
    cjk_letters,
    ends_with_terminal,
    has_digit,
    has_sentence_break,
    is_short_label,
    word_count,
)

# A section label is a word or three ("Security", "Middle East").
_LABEL_MAX_WORDS = 3
_LABEL_MAX_CHARS = 30
# The headline under it is a phrase, not a paragraph: a handful of words and
# no full stop. A body sentence after a short first line means that line is a
# subheading opening an excerpt (as in a document that starts mid-article).
_HEADLINE_MIN_WORDS = 4
_HEADLINE_MAX_WORDS = 25

# Five or more short lines in a row read as a menu (Home / News / Sports ...);
# four subheadings in a row do not happen in articles.
_NAV_MIN_RUN = 5
_NAV_MAX_WORDS = 3
_NAV_MAX_CHARS = 40
_NAV_MAX_CJK_CHARS = 8

# A repeated caption, heading or label is chrome (a page shows an image's
# caption twice, a scraper doubles a heading), but a paragraph of several
# sentences written twice is the text as its author left it: "never removed
# for being repeated". A paragraph: this many words, ending like a sentence,
# with a sentence break inside.
_PARAGRAPH_MIN_WORDS = 20


def rule_section_label(ctx: LineContext) -> Verdict | None:
    """'Security' as the first line, above a longer headline."""
    if ctx.nonblank_rank != 0 or ctx.next_nonblank is None:
        return None
    line = ctx.line
    if ctx.n_words > _LABEL_MAX_WORDS or len(line) > _LABEL_MAX_CHARS or ends_with_terminal(line) or has_digit(line):
        return None
    headline = ctx.next_nonblank
    words = word_count(headline)
    if not _HEADLINE_MIN_WORDS <= words <= _HEADLINE_MAX_WORDS:
        return None
    if headline.rstrip().endswith(".") or len(headline) <= len(line):
        return None
    return Verdict(reasons.SECTION_LABEL, drop=True)


def rule_doubled_line(ctx: LineContext) -> Verdict | None:
    """The second copy of a line repeated verbatim (not a paragraph); the first copy stays."""
    if ctx.prev_nonblank is not None and ctx.line == ctx.prev_nonblank and not _is_paragraph(ctx):
        return Verdict(reasons.DOUBLED_LINE, drop=True)
    return None


def _is_paragraph(ctx: LineContext) -> bool:
    """Several sentences of prose (asked only of a repeated line: rare)."""
    line = ctx.line
    return ctx.n_words >= _PARAGRAPH_MIN_WORDS and ends_with_terminal(line) and has_sentence_break(line)


def _is_nav_item(text: str) -> bool:
    """A menu entry: short, unpunctuated, capitalised (or uncased), no digits.

    Digits mark prices, scores and vote counts, and a lowercase start marks a
    list item ("капуста", "garlic"): both are content that happens to be short.
    """
    if not is_short_label(text, max_words=_NAV_MAX_WORDS, max_chars=_NAV_MAX_CHARS):
        return False
    if has_digit(text):
        return False
    # Chinese and Japanese write without spaces: a 30-character line is one
    # "word" but a whole sentence. A menu item is a few characters.
    if cjk_letters(text) > _NAV_MAX_CJK_CHARS:
        return False
    first = next((ch for ch in text if ch.isalpha()), None)
    return first is not None and not first.islower()


def rule_navigation_run(ctx: LineContext) -> Verdict | None:
    """One item of a run of >= 5 consecutive short menu-like lines."""
    if not _is_nav_item(ctx.line):
        return None
    items = ctx.nonblank
    rank = ctx.nonblank_rank
    # a hand-built context without the neighbour lines cannot show a run
    if len(items) != ctx.nonblank_total:
        return None
    # A run of at least N through this line fits in the N-1 lines either side,
    # so the scan is bounded however long the document is.
    reach = _NAV_MIN_RUN - 1
    before = 0
    while before < reach and rank - before - 1 >= 0:
        if not _is_nav_item(items[rank - before - 1]):
            break
        before += 1
    after = 0
    while after < reach and rank + after + 1 < len(items):
        if not _is_nav_item(items[rank + after + 1]):
            break
        after += 1
    if before + after + 1 >= _NAV_MIN_RUN:
        return Verdict(reasons.NAVIGATION_RUN, drop=True)
    return None
