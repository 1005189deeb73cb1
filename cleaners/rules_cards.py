"""A teaser card that a text dump ran into one line: headline and summary glued.

A scraper that joins a card's elements without a separator leaves lines like
"Tape Gaffe Ends Hamlin's Title RunDenny Hamlin's championship run was
foiled by the tale of the tape.": a headline, then its summary. Such a line
reads as a paragraph by its length, so a list of them outweighs the article
it stands beside (cleaners/rules_block.py scores it as no evidence instead).
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


def _long_words(words: Sequence[str]) -> list[str]:
    return [w for w in words if len(w) >= 4 and w[0].isalpha()]


def is_glued_card(line: str) -> bool:
    """A title-case headline glued to a sentence-case summary (see _GLUE)."""
    words = line.split()
    # The glue lies in the title-case run before the first long lower-case
    # word. In prose that word comes second or third ("The council said"):
    # the check ends there, and the regex only reads the run's few words.
    run_end, capitalised = len(words), 0
    for j, word in enumerate(words):
        if len(word) >= 4 and word[0].isalpha():
            if word[0].islower():
                run_end = j
                break
            capitalised += 1
    if capitalised < GLUED_MIN_TITLE_WORDS:
        return False
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
