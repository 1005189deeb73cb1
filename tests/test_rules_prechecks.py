"""The shortcuts that make the line rules fast change no verdict.

- each cheap pre-check a rule runs before an expensive pattern holds for
  every line the pattern matches (strings generated from the pattern itself,
  so a pattern edited later is checked against its pre-check again);
- the fast helpers equal the plain definitions they replace;
- a rule listed in LINE_ONLY_RULES reads nothing but the line, and
  classify_lines gives the same outcomes whether or not it remembers their
  verdicts between passes.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.lines import classify_lines
from cleaners.rules import LINE_ONLY_RULES, RULES, build_contexts
from cleaners.rules_chrome import _AFFILIATE, _AFFILIATE_WORDS, _RIGHTS, _RIGHTS_WORDS, _may_hold
from cleaners.rules_context import cjk_letters, has_digit, word_count
from cleaners.rules_dateline import _CAPITALS, _DATELINE
from cleaners.rules_media import _CAPTION_AGENCY, _CAPTION_CREDIT, _CAPTION_SQUARE, _closing_char
from cleaners.rules_teaser import _MORE_ARROWS, _TRAILING_MORE
from cleaners.rules_time import _MAX_TOKENS, _READING_TIME, _RELATIVE

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def matching(pattern: re.Pattern[str]) -> st.SearchStrategy[str]:
    """Strings the pattern finds a match in, and a few that are merely close."""
    return st.one_of(st.from_regex(pattern), st.from_regex(pattern).map(lambda s: "x " + s + " "))


@SETTINGS
@given(matching(_TRAILING_MORE))
def test_trailing_more_ends_with_an_arrow(line: str) -> None:
    if _TRAILING_MORE.match(line):
        assert line.rstrip().endswith(_MORE_ARROWS)


@SETTINGS
@given(st.one_of(matching(_CAPTION_SQUARE), matching(_CAPTION_CREDIT), matching(_CAPTION_AGENCY)))
def test_captions_close_with_their_bracket(line: str) -> None:
    if _CAPTION_SQUARE.match(line):
        assert _closing_char(line) == "]"
    if _CAPTION_CREDIT.match(line) or _CAPTION_AGENCY.match(line):
        assert _closing_char(line) == ")"


@SETTINGS
@given(matching(_DATELINE))
def test_dateline_starts_with_a_capital_and_holds_a_dash(line: str) -> None:
    if _DATELINE.match(line):
        assert line[:1] in _CAPITALS
        assert "-" in line or "\u2013" in line or "—" in line


@SETTINGS
@given(st.one_of(matching(_RIGHTS), matching(_AFFILIATE)))
def test_rights_and_affiliate_words(line: str) -> None:
    if _RIGHTS.search(line):
        assert _may_hold(line, _RIGHTS_WORDS)
    if _AFFILIATE.match(line):
        assert _may_hold(line, _AFFILIATE_WORDS)


def test_unicode_case_folding_goes_to_the_pattern() -> None:
    # "ı" and "ſ" match "i" and "s" under IGNORECASE, not under str.lower
    for line in ("All rıghts reserved", "Wired may earn a commiſſion"):
        assert _may_hold(line, _RIGHTS_WORDS) and _may_hold(line, _AFFILIATE_WORDS)


@SETTINGS
@given(st.one_of(matching(_RELATIVE), matching(_READING_TIME)))
def test_timestamps_are_short_and_hold_a_digit(line: str) -> None:
    if _RELATIVE.match(line) or _READING_TIME.match(line):
        assert word_count(line) <= _MAX_TOKENS
        assert has_digit(line)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_helpers_equal_their_definitions(text: str) -> None:
    assert has_digit(text) == any(ch.isdigit() for ch in text)
    assert cjk_letters(text) == sum(1 for ch in text if ord(ch) >= 0x2E80 and ch.isalpha())


SHAPED = [
    "Baca juga: Jokowi Tidak Diundang",
    "JAKARTA, KOMPAS.com - Presiden meresmikan jalan tol baru di kota itu.",
    "By Jane Doe |",
    "Advertisement",
    "Home",
    "News",
    "Sport",
    "Security",
    "A caption of the photo above. [Reuters]",
    "17H ago",
    "She is a journalist and writer based in Jakarta who covers politics.",
    "The council voted late on Tuesday, and members argued about the cost of the plan for hours.",
    "",
]
documents = st.lists(st.one_of(st.sampled_from(SHAPED), st.text(max_size=40)), max_size=30).map("\n".join)


@SETTINGS
@given(documents, st.sampled_from(SHAPED[:-1]), st.integers(0, 3))
def test_line_only_rules_read_only_the_line(text: str, line: str, at: int) -> None:
    lines = text.split("\n")
    contexts = build_contexts([*lines[:at], line, *lines[at:]])
    here = next(ctx for ctx in contexts if ctx.line == line)
    alone = build_contexts([line])[0]
    for rule in LINE_ONLY_RULES:
        assert rule(here) == rule(alone), rule.__name__


@SETTINGS
@given(documents, st.booleans())
def test_remembered_verdicts_change_nothing(text: str, block: bool) -> None:
    # wrapped rules are not in LINE_ONLY_RULES: every pass asks them afresh
    def fresh(rule):
        return lambda ctx: rule(ctx)

    asked_afresh = tuple(fresh(rule) for rule in RULES)
    assert classify_lines(text, find_article_block=block) == classify_lines(
        text, rules=asked_afresh, find_article_block=block
    )
