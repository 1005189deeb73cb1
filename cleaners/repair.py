"""Repair decoded text: mojibake (via ftfy) and stray control characters.

ftfy's own "is this text bad?" check costs about as much as fixing, and almost
every document is clean, so ftfy only sees lines that a cheap gate flags:
pure-ASCII lines are skipped outright, the rest must match a compiled regex
of the character pairs mojibake leaves behind (cleaners/mojibake_gate.py).
Lines ftfy leaves that are wholly UTF-8 misread as one code page are
re-decoded (cleaners/redecode.py). ftfy fixes text
one line at a time anyway (`ftfy.fix_text` splits on "\n"), so feeding it only
the flagged lines gives the same result as running it on the whole text.

The config keeps correct typography byte-identical: curly quotes, dashes,
U+2011, ligatures and full-width forms are content, not damage.
"""

from __future__ import annotations

import dataclasses

import ftfy

from cleaners.mojibake_gate import CONTROL, suspicious
from cleaners.record import Document
from cleaners.redecode import redecode_line

# Repair codes recorded in Document.repairs, in this fixed order.
MOJIBAKE = "mojibake"
TERMINAL_ESCAPES = "terminal_escapes"
SURROGATES = "surrogates"
CONTROL_CHARS = "control_chars"

# normalization=None: NFC would only ever be applied to the lines the gate
# flags, so two copies of the same text could differ in normal form depending
# on whether a mojibake byte sat on the line; NFC also rewrites CJK
# compatibility ideographs (U+F900 block), which changes content. Unicode
# normalisation for matching belongs to the dedup hashing, not to repair.
# fix_line_breaks=False: newlines are normalised for every document by decode,
# doing it again here only on flagged lines would be inconsistent.
# unescape_html=False: entities are HTML syntax, extraction resolves them;
# in plain text "&amp;" may be literal.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    normalization=None,
    explain=True,
)


# Vertical tab and form feed separate lines/pages: deleting them would glue
# the words on either side together, so they become newlines.
_LINE_SEPARATORS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})

# ftfy explanation step names -> our repair codes. Everything that re-decodes
# bytes (encode/decode/transcode, decode_inconsistent_utf8, fix_c1_controls)
# is a mojibake repair.
_STEP_CODES = {
    "remove_terminal_escapes": TERMINAL_ESCAPES,
    "fix_surrogates": SURROGATES,
    "remove_control_chars": CONTROL_CHARS,
}


def _fix_line(line: str, found: set[str]) -> str:
    fixed, steps = ftfy.fix_and_explain(line, FTFY_CONFIG)
    if fixed != line:
        for step in steps or ():
            found.add(_STEP_CODES.get(step.parameter, MOJIBAKE))
    if suspicious(fixed):
        redecoded = redecode_line(fixed)
        if redecoded is not None:
            found.add(MOJIBAKE)
            return redecoded
    return fixed


_MAX_PASSES = 3


def repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Fix mojibake and strip control characters.

    Returns the repaired text and the repair codes applied (empty when the
    text came back unchanged), in the order MOJIBAKE, TERMINAL_ESCAPES,
    SURROGATES, CONTROL_CHARS.
    """
    found: set[str] = set()
    # Removing a control character can join the two halves of a mojibake
    # pair ("Â\x08¡"), so a pass that removed any is followed by another:
    # repairing repaired text must change nothing.
    for _ in range(_MAX_PASSES):
        if suspicious(text):
            text = "\n".join(_fix_line(line, found) if suspicious(line) else line for line in text.split("\n"))
        if not CONTROL.search(text):
            break
        if "\x0b" in text or "\x0c" in text:
            text = text.translate(_LINE_SEPARATORS)
        text = CONTROL.sub("", text)
        found.add(CONTROL_CHARS)
    order = (MOJIBAKE, TERMINAL_ESCAPES, SURROGATES, CONTROL_CHARS)
    return text, tuple(code for code in order if code in found)


def repair_document(doc: Document) -> Document:
    """`doc` with `body` repaired and the new repair codes appended to `repairs`."""
    if not doc.body:
        return doc
    body, codes = repair_text(doc.body)
    if not codes:
        return doc
    repairs = doc.repairs + tuple(c for c in codes if c not in doc.repairs)
    return dataclasses.replace(doc, body=body, repairs=repairs)
