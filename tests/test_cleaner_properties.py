"""Properties of the text cleaner (repair, then the line rules) on any input.

- it never raises;
- it is idempotent: cleaning its own output changes nothing;
- what it keeps is the input's lines, in order: each kept line is an input
  line (rstripped) or, where a dateline prefix was trimmed, a suffix of one;
- its output is valid UTF-8 with no control characters but \\n and \\t.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.lines import classify_lines
from cleaners.repair import repair_text

# Lines shaped like what the rules look for, so that the examples exercise
# them (random text alone almost never starts with "Baca:" or "By ").
SHAPED = [
    "Baca: Jokowi Tidak Diundang Panitia Reuni",
    "Read more: The story of the day",
    "By Jane Doe |",
    "Penulis: Budi Santoso",
    "JAKARTA, KOMPAS.com - Presiden meresmikan jalan tol baru di kota itu.",
    "Security",
    "Do you like this article?",
    "Captcha *",
    "Advertisement",
    "Share this article",
    "© 2024 The Gazette. All rights reserved.",
    "Home",
    "News",
    "Foto: ANTARA/Reno",
    "A caption of the photo above. [Reuters]",
    "12 Comments",
    "The council voted late on Tuesday, and members argued about the cost of the plan for hours.",
    "Residents said they would watch how the money is spent over the coming year, and then decide.",
    "She is a journalist and writer based in Jakarta who covers politics and the economy.",
    "",
    "   ",
]
line_text = st.one_of(st.sampled_from(SHAPED), st.text(max_size=80).map(lambda s: s.replace("\n", " ")))
documents = st.one_of(st.text(max_size=400), st.lists(line_text, max_size=40).map("\n".join))
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def clean(text: str) -> str:
    repaired, _ = repair_text(text)
    return "\n".join(o.kept for o in classify_lines(repaired) if o.kept is not None)


@SETTINGS
@given(documents)
def test_never_raises_and_output_is_clean_utf8(text: str) -> None:
    out = clean(text)
    out.encode("utf-8")  # raises on lone surrogates
    assert not _CONTROL.search(out)


@SETTINGS
@given(documents)
def test_idempotent(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@SETTINGS
@given(documents)
def test_kept_lines_are_input_lines_in_order(text: str) -> None:
    repaired, _ = repair_text(text)
    inputs = [line.rstrip() for line in repaired.split("\n")]
    at = 0
    for outcome in classify_lines(repaired):
        if outcome.kept is None:
            continue
        # the outcome names its input line; it must come after the previous one
        assert outcome.line_no >= at
        at = outcome.line_no + 1
        source = inputs[outcome.line_no]
        assert outcome.kept == source or (outcome.verdict is not None and source.endswith(outcome.kept))


def test_lone_surrogate_and_controls_are_repaired() -> None:
    out = clean("Body text with a lone \ud800 surrogate and a \x07 bell.\r\nNext line")
    out.encode("utf-8")
    assert not _CONTROL.search(out)
