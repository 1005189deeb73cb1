"""The article's main block in a whole-page text dump, and the rule that uses it.

A scraper that dumps a whole page as text (one line per block) leaves the
menus, footers and lists of other stories around the article. The article
is the run of lines with the most prose: each line scores its words when it
reads as a paragraph (long, or ending like a sentence) and a fixed cost when
it reads as a label (short, unpunctuated: menu items, link titles, widget
text), and the main block is the run with the highest total (the maximum-sum
subarray, as in Finn et al.'s Body Text Extraction). Short lines inside the
block (subheadings, short quotes) stay: only position outside it drops a line.

Most inputs are an article already, not a page: the rule only applies when
at least MIN_OUTSIDE_LINES lines (besides the headline) lie outside the
block, so a title, a deck and a sign-off around a clean article
are never cut; lines the named rules removed do not count, except menus
as long as that (see main_block). `outside_article` runs last (cleaners/lines.py): lines the
named rules removed count as chrome in the scoring and are not judged again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cleaners import reasons
from cleaners.rules_cards import excerpt_runs, is_glued_card, list_runs
from cleaners.rules_chrome import SHARE_BAR_ITEM
from cleaners.rules_context import cjk_letters, has_sentence_break

if TYPE_CHECKING:
    from cleaners.rules_context import LineContext, Verdict

# A paragraph of body text: this many words ending a sentence, or
# LONG_LINE_WORDS words however it ends (a paragraph cut off by the dump).
PROSE_MIN_WORDS = 10
LONG_LINE_WORDS = 25
# An unpunctuated line this long is a list item or a headline, not a label.
NEUTRAL_MIN_WORDS = 10
# One line counts at most this much: a single long block (a footer of
# contact details, a legal notice) must not outweigh a short article.
LINE_SCORE_CAP = 40
# What a label-like line costs, in words of prose: about one short sentence.
# Lower keeps more of a page's chrome; higher splits an article at a run of
# subheadings or photo captions.
LABEL_COST = 3
# What a line the named rules removed costs: a teaser, a share bar or a
# timestamp is surer chrome than an unknown label.
DROPPED_COST = 10
# Fewer lines than this outside the block: the input is an article, not a
# page dump, and nothing is cut.
MIN_OUTSIDE_LINES = 12
# The headline: the nearest headline-like line among this many lines before
# the block. It goes to the document's title (`headline`), not its text: so
# a page reaches the warehouse as from the HTML path, where extraction
# returns the title beside the text (the ground truth of both benchmarks
# leaves it out of the article too).
HEADLINE_LOOKBACK = 4
_HEADLINE_WORDS = (4, 25)
# A list of other stories as cards: a headline, a summary of a sentence or
# two, the next headline ("Auch auf heise online", a "Company Town" list).
# Each summary is prose, so a list long enough outweighs the article, or
# joins it across the few labels between. A card's summary: at most
# CARD_MAX_WORDS words right under a headline-like line (one phrase, no
# sentence in it), with no prose after it. In a run of CARD_MIN_RUN cards,
# each at most CARD_MAX_GAP lines after the last with no prose between, the
# summaries count as no evidence either way. One or two such paragraphs are
# an article's subheadings and short sections, and are left alone.
CARD_MAX_WORDS = 40
CARD_MIN_RUN = 3
CARD_MAX_GAP = 6
# The heading over reader comments, in the languages of the teaser rules.
_COMMENTS_HEADING = re.compile(
    r"^[\[(]?\s*(?:\d+\s+)?(?:top\s+rated\s+|reader\s+|latest\s+|show\s+|view\s+(?:all\s+)?)?"
    r"(?:comments?|responses?|replies|komentar|kommentare?|commentaires?|comentarios?|comentários?)"
    r"(?:\s*\(\d+\))?\s*[\])]?\s*:?$"
    r"|^(?:leave\s+a\s+(?:comment|reply)|join\s+the\s+(?:discussion|conversation)|add\s+(?:a\s+)?comment"
    r"|post\s+a\s+comment|tulis\s+komentar|discussion)\s*[:.!]*$",
    re.IGNORECASE,
)
# WordPress's heading over the comments, which quotes the post's title: "12
# thoughts on “Title”", "One response to “Title”", "3 Gedanken zu „Title“".
_COMMENTS_ON_TITLE = re.compile(
    r"^(?:\d+|one|two|three|ein|eine|un|une|uno|um|uma|satu)\s+"
    r"(?:thoughts?|responses?|repl(?:y|ies)|comments?|gedanken|kommentare?|antworten"
    r"|réflexions?|commentaires?|réponses?|comentarios?|comentários?|respostas?|respuestas?"
    r"|tanggapan|komentar|balasan)\s+"
    r"(?:on|to|zu|sur|à|en|em|a|para|pada|untuk|di)\s+[\"'“”‘’„«‹]",
    re.IGNORECASE,
)
_COMMENTS_ON_TITLE_MAX_WORDS = 30
# One item of a share bar, a line each ("Facebook", "Twitter", "Comments",
# "Print", "Email"): a "Comments" beside one links to the comments, it does
# not open them.
_SHARE_ITEM = re.compile(rf"^{SHARE_BAR_ITEM}$", re.IGNORECASE)
# Prose words that must come before a comments heading for it to count.
COMMENTS_AFTER_WORDS = 50
# A menu or a footer flattened onto one line: items between pipes or spaced
# bullets ("Terms | Privacy | Cookies", "HomeKit • Datenrettung • iPad").
# Spaces are asked around a bullet or a middle dot: Catalan writes "l·l".
_ITEM_SEPARATOR = re.compile(r"\s[•·]\s|\|")
# At least this many items, of at most this many words on average: a label
# each, however long the line. A sentence with a pipe or two is still prose.
LIST_MIN_ITEMS = 4
LIST_MAX_ITEM_WORDS = 6
_TERMINAL = ".!?…。！？:;"
_CLOSERS = "\"'”’»)]"


def word_equivalents(line: str, n_words: int | None = None) -> int:
    """Words, counting two CJK letters as one word (no spaces there).

    `n_words`: len(line.split()), when the caller has counted them already.
    """
    return (len(line.split()) if n_words is None else n_words) + cjk_letters(line) // 2


def _ends_sentence(line: str) -> bool:
    core = line.rstrip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in _TERMINAL


def _is_item_list(line: str, words: int) -> bool:
    # the separator test first: most lines hold none
    if "|" not in line and "•" not in line and "·" not in line:
        return False
    items = sum(1 for item in _ITEM_SEPARATOR.split(line) if item.strip())
    return items >= LIST_MIN_ITEMS and words <= items * LIST_MAX_ITEM_WORDS


def line_score(line: str, n_words: int | None = None) -> int:
    words = word_equivalents(line, n_words)
    if words >= NEUTRAL_MIN_WORDS and _is_item_list(line, words):
        return -LABEL_COST
    if words >= LONG_LINE_WORDS or (words >= PROSE_MIN_WORDS and _ends_sentence(line)):
        # a teaser card (headline and summary) is no evidence either way
        return 0 if is_glued_card(line) else min(words, LINE_SCORE_CAP)
    if _ends_sentence(line) or words >= NEUTRAL_MIN_WORDS:
        # a short sentence ("Thanks!", a one-line quote) or a long unpunctuated
        # line (a list item, a headline): no evidence either way
        return 0
    return -LABEL_COST


def _is_headline(line: str) -> bool:
    words = word_equivalents(line)
    return _HEADLINE_WORDS[0] <= words <= _HEADLINE_WORDS[1] and not _ends_sentence(line)


def _is_comments_heading(line: str) -> bool:
    if len(line) <= 60 and _COMMENTS_HEADING.match(line):
        return True
    # the anchored match fails at once on almost every line; split() is a string per word
    return _COMMENTS_ON_TITLE.match(line) is not None and len(line.split()) <= _COMMENTS_ON_TITLE_MAX_WORDS


def _in_share_bar(nonblank: Sequence[str], i: int) -> bool:
    return any(0 <= j < len(nonblank) and _SHARE_ITEM.match(nonblank[j]) for j in (i - 1, i + 1))


def _comments_start(nonblank: Sequence[str], scores: Sequence[int]) -> int:
    """Rank of the heading that opens the reader comments, after the article's
    first prose (a "Comments" menu or share-bar item is not one); len() if none."""
    prose = 0
    for i, line in enumerate(nonblank):
        if prose >= COMMENTS_AFTER_WORDS and _is_comments_heading(line) and not _in_share_bar(nonblank, i):
            return i
        prose += max(0, scores[i])
    return len(nonblank)


def _is_card_summary(nonblank: Sequence[str], dropped: frozenset[int], values: Sequence[int], i: int) -> bool:
    if values[i] <= 0 or i == 0 or i - 1 in dropped or values[i - 1] > 0:
        return False
    if i + 1 < len(values) and values[i + 1] > 0:
        return False
    headline = nonblank[i - 1]
    return (
        word_equivalents(nonblank[i]) <= CARD_MAX_WORDS and _is_headline(headline) and not has_sentence_break(headline)
    )


def _card_summaries(nonblank: Sequence[str], dropped: frozenset[int], values: Sequence[int]) -> list[int]:
    """Ranks of the summaries in runs of at least CARD_MIN_RUN cards."""
    summaries = [i for i in range(len(nonblank)) if _is_card_summary(nonblank, dropped, values, i)]
    # the next card continues the run unless prose stands between them
    return list_runs(summaries, values, CARD_MAX_GAP, CARD_MIN_RUN)


def _block_values(nonblank: Sequence[str], dropped: frozenset[int], scores: Sequence[int]) -> list[int]:
    """What each line adds to a block: its score, -DROPPED_COST, or 0 for a
    card's summary or an excerpt in a list of them."""
    values = [-DROPPED_COST if i in dropped else scores[i] for i in range(len(nonblank))]
    for i in _card_summaries(nonblank, dropped, values):
        values[i] = 0
    for i in excerpt_runs(nonblank, values):
        values[i] = 0
    return values


def main_block(
    nonblank: Sequence[str],
    dropped: frozenset[int] = frozenset(),
    scores: Sequence[int] | None = None,
    menu: frozenset[int] = frozenset(),
) -> tuple[int, int, int | None] | None:
    """(start, end, headline): keep [start, end) and the headline (None when
    no line before the block looks like one); None when nothing is cut.

    `dropped`: ranks the named rules already removed. They cost DROPPED_COST
    whatever their length (a teaser or a timestamp is chrome, and chrome
    between the article and the comments is what separates them), but they
    neither count towards MIN_OUTSIDE_LINES nor serve as the headline.
    `scores`: line_score of each line, when the caller has them already
    (cleaners/lines.py keeps them between its passes over a document).
    `menu`: those of `dropped` removed as menu items (navigation_run). A
    scraped article carries a header menu of a few items; a whole page's
    header, section and footer menus run to dozens. So menu items outside
    the block count towards MIN_OUTSIDE_LINES once there are as many of
    them as that: then they alone show a page dump.
    """
    if scores is None:
        scores = [line_score(line) for line in nonblank]
    values = _block_values(nonblank, dropped, scores)
    best, best_span = 0, None
    running, start = 0, 0
    # reader comments are prose too, and can outweigh the article: the block
    # ends at the heading that opens them
    for i in range(_comments_start(nonblank, scores)):
        if running <= 0:
            running, start = 0, i
        running += values[i]
        if running > best:
            best, best_span = running, (start, i + 1)
    if best_span is None:
        return None
    start, end = best_span
    lookback = range(start - 1, max(-1, start - 1 - HEADLINE_LOOKBACK), -1)
    headline = next((i for i in lookback if i not in dropped and _is_headline(nonblank[i])), None)
    outside = sum(1 for i in range(len(nonblank)) if not start <= i < end and i not in dropped and i != headline)
    menu_outside = sum(1 for i in menu if not start <= i < end)
    if menu_outside >= MIN_OUTSIDE_LINES:
        outside += menu_outside
    if outside < MIN_OUTSIDE_LINES:
        return None
    return start, end, headline


def outside_ranks(
    nonblank: Sequence[str],
    dropped: frozenset[int],
    scores: Sequence[int] | None = None,
    menu: frozenset[int] = frozenset(),
) -> tuple[frozenset[int], int | None]:
    """Ranks of the lines the named rules kept that lie outside the main
    block, besides the headline; and the headline's rank (None if none)."""
    block = main_block(nonblank, dropped, scores, menu)
    if block is None:
        return frozenset(), None
    start, end, headline = block
    outside = frozenset(i for i in range(len(nonblank)) if i not in dropped and not (start <= i < end or i == headline))
    return outside, headline


def outside_article_rule(ranks: frozenset[int], headline: int | None = None) -> Callable[[LineContext], Verdict | None]:
    """The `outside_article` rule for one document, given its outside ranks;
    the headline's line goes with a `headline` verdict carrying it as title."""
    from cleaners.rules_context import Verdict

    def rule_outside_article(ctx: LineContext) -> Verdict | None:
        if ctx.nonblank_rank in ranks:
            return Verdict(reasons.OUTSIDE_ARTICLE, drop=True)
        if ctx.nonblank_rank == headline:
            return Verdict(reasons.HEADLINE, drop=True, meta={"title": ctx.line})
        return None

    return rule_outside_article
