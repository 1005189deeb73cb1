"""Teasers of other stories that read as prose by their length.

A list of other stories beside the article holds prose-like lines, and
enough of them outweigh the article (cleaners/rules_block.py scores these as
no evidence either way instead):
- a card that a text dump ran into one line, headline and summary glued
  ("Tape Gaffe Ends Hamlin's Title RunDenny Hamlin's championship run was
  foiled by the tale of the tape.");
- excerpts cut off after so many characters ("... residents of the state
  may soon..."), several in a row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The glue: two lower-case letters (not "McPherson") or a digit, then a
# capital starting a word ("SteakhouseA party", "250,000The").
# Before it, a headline in title case: at least GLUED_MIN_TITLE_WORDS words
# of four letters or more, every one capitalised (English and Indonesian
# headlines; a sentence has lower-case words that long). After it, a summary
# in sentence case: GLUED_MIN_SUMMARY_WORDS words or more, most of the long
# ones lower case. A brand inside a sentence ("Apple's AirPods") or a
# citation ("Harper" "Collins (New Zealand) Limited") fails one side.
_GLUE = re.compile(r"(?<=[a-zß-ÿ]{2})(?=[A-ZÀ-Þ][a-zß-ÿ]|A$)|(?<=[0-9])(?=[A-ZÀ-Þ][a-zß-ÿ])")
GLUED_MIN_TITLE_WORDS = 3
GLUED_TITLE_CAPITALS = 0.75
GLUED_MIN_SUMMARY_WORDS = 6
# A line whose first or second word of four characters or more starts in
# lower case opens as a sentence: no title-case run of GLUED_MIN_TITLE_WORDS
# long words can precede its first lower-case one.
_OPENS_IN_LOWER_CASE = re.compile(r"(?:\S{1,3}\s+)*(?:\S{4,}\s+(?:\S{1,3}\s+)*)?[a-zß-ÿ]\S{3}")


def _long_words(words: Sequence[str]) -> list[str]:
    return [w for w in words if len(w) >= 4 and w[0].isalpha()]


def _title_run(words: Sequence[str]) -> tuple[int | None, int]:
    """(index of the first long lower-case word or None, capitalised long words before it)."""
    capitalised = 0
    for j, word in enumerate(words):
        if len(word) >= 4 and word[0].isalpha():
            if word[0].islower():
                return j, capitalised
            capitalised += 1
    return None, capitalised


def is_glued_card(line: str) -> bool:
    """A title-case headline glued to a sentence-case summary (see _GLUE)."""
    # The glue lies in the title-case run before the first long lower-case
    # word. In prose that word comes first or second ("The council said"):
    # the check ends there, at the line's first words.
    if _OPENS_IN_LOWER_CASE.match(line):
        return False
    words = line.split()
    run_end, capitalised = _title_run(words)
    if capitalised < GLUED_MIN_TITLE_WORDS:
        return False
    if run_end is None:
        run_end = len(words)
    for j in range(run_end):
        glue = _GLUE.search(words[j])
        if glue is not None:
            break
    else:
        return False
    title = [w for w in (*words[:j], words[j][: glue.end()]) if w[0].isalpha()]
    if len(_long_words(title)) < GLUED_MIN_TITLE_WORDS:
        return False
    # short words too: "Jane Doe is the Senior Editor of 9to5Toys" is a sentence
    if sum(1 for w in title if w[0].isupper()) < GLUED_TITLE_CAPITALS * len(title):
        return False
    summary = [words[j][glue.end() :], *words[j + 1 :]]
    long_words = _long_words(summary)
    lower = sum(1 for w in long_words if w[0].islower())
    return len(summary) >= GLUED_MIN_SUMMARY_WORDS and 2 * lower > len(long_words)


# An excerpt cut off mid-phrase: a letter or digit (a comma, a full stop),
# then an ellipsis ending the line. Latin script only: Chinese and Japanese
# bloggers end sentence after sentence with "..." as a pause.
_EXCERPT_END = re.compile(r"[0-9A-Za-z\u00c0-\u024f][.,;]?\s?(?:\.{3,}|…)$")
# A list of excerpts: at least EXCERPT_MIN_RUN prose lines cut off so, each
# at most EXCERPT_MAX_GAP lines after the last with no other prose between
# (a headline, a date, a "Read more" may stand between). An article's own
# "and then..." or a quote trailing off is one line among whole paragraphs.
EXCERPT_MIN_RUN = 3
EXCERPT_MAX_GAP = 6


def excerpt_runs(nonblank: Sequence[str], values: Sequence[int]) -> list[int]:
    """Ranks of the prose lines (values > 0) in runs of cut-off excerpts."""
    # the end test first, on every line at C speed: most documents have no
    # line ending in an ellipsis, and the regex reads only the last characters
    ends = [i for i, line in enumerate(nonblank) if line.endswith(("...", "…"))]
    if len(ends) < EXCERPT_MIN_RUN:
        return []
    cut_off = [i for i in ends if values[i] > 0 and _EXCERPT_END.search(nonblank[i][-8:])]
    return list_runs(cut_off, values, EXCERPT_MAX_GAP, EXCERPT_MIN_RUN)


def list_runs(ranks: Sequence[int], values: Sequence[int], max_gap: int, min_run: int) -> list[int]:
    """The `ranks` (ascending) in runs of at least `min_run` items, each at most
    `max_gap` lines after the last with no prose (value > 0) between them:
    whole prose between two items means they are not one list."""
    found: list[int] = []
    run: list[int] = []
    for i in ranks:
        if run and i - run[-1] <= max_gap and all(values[j] <= 0 for j in range(run[-1] + 1, i)):
            run.append(i)
            continue
        if len(run) >= min_run:
            found += run
        run = [i]
    if len(run) >= min_run:
        found += run
    return found
