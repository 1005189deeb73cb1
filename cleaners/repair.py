"""Repair decoded text: mojibake (via ftfy) and stray control characters.

ftfy's own "is this text bad?" check costs about as much as fixing, and almost
every document is clean, so ftfy only sees lines that a cheap gate flags:
pure-ASCII lines are skipped outright, the rest must match `_SUSPICIOUS`, a
compiled regex of the character pairs mojibake leaves behind. ftfy fixes text
one line at a time anyway (`ftfy.fix_text` splits on "\n"), so feeding it only
the flagged lines gives the same result as running it on the whole text.

The config keeps correct typography byte-identical: curly quotes, dashes,
U+2011, ligatures and full-width forms are content, not damage.
"""

from __future__ import annotations

import dataclasses
import re

import ftfy

from cleaners.record import Document

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


def _chars(byte_values: list[int], encoding: str) -> str:
    """The characters `encoding` maps these byte values to."""
    return "".join(sorted(set(bytes(byte_values).decode(encoding, errors="ignore"))))


def _misread_utf8(encoding: str, leads: str | None = None, letter_cont: bool = True) -> list[tuple[str, str]]:
    """Gate parts for one UTF-8 sequence whose bytes were decoded as `encoding`.

    A lead byte C2-DF is followed by one continuation byte (80-BF), E0-EF by
    two, F0-F4 by three; requiring the full count keeps accented letters
    followed by one punctuation mark ("é”", "ó" + "ł") out of the gate.
    `leads` keeps only lead characters matching that class, for code pages
    whose lead bytes are ordinary letters in other scripts. `letter_cont`
    False drops letters from the continuation set, where they are letters
    of real alphabets (Ukrainian і, ї, є; Serbian ј; Greek accented capitals)
    and the symbols alone still catch every misread word.
    """
    cont = _chars(list(range(0x80, 0xC0)), encoding)
    if not letter_cont:
        cont = "".join(ch for ch in cont if not ch.isalpha())
    # Bytes a code page leaves undefined come through as C1 controls when
    # decoded sloppily (cp1252 0x9D in "â€\x9d"), so they count as continuations.
    cont_class = "[\x80-\x9f" + re.escape(cont) + "]"
    parts = []
    for first, last, n_cont in ((0xC2, 0xDF, 1), (0xE0, 0xEF, 2), (0xF0, 0xF4, 3)):
        lead = _chars(list(range(first, last + 1)), encoding)
        if leads is not None:
            lead = "".join(ch for ch in lead if re.fullmatch(leads, ch))
        if lead:
            parts.append((re.escape(lead), f"{cont_class}{{{n_cont}}}"))
    return parts


# Each part is (first character class body, pattern for what follows it).
# The legacy code pages UTF-8 is most often misread as on the web. Cyrillic
# and Greek UTF-8 use only the lead bytes D0/D1 and CE/CF, i.e. cp1251 "Р С"
# and cp1253 "Ξ Ο"; other lead letters are plain Cyrillic/Greek text, except
# cp1251 "В Г" (C2/C3: Latin-1 range, "Г©" for é). For MacRoman and cp437
# only their symbol/box-drawing leads count: their letter leads (À, Ó, α, ß)
# followed by accented letters are normal text.
_GATE_PARTS = [
    *_misread_utf8("cp1252"),  # cp1252 and Latin-1 agree on A0-FF: "Ã©", "â€™"
    *_misread_utf8("cp1250"),  # Central European: "Ä…", "Ĺ‚"
    *_misread_utf8("cp1251", "[ВГРС]", letter_cont=False),  # "РџСЂРёРІРµС‚"
    *_misread_utf8("cp1253", "[ΞΟ]", letter_cont=False),  # "Ξ±"
    # MacRoman: also the dashes, its lead bytes D0/D1 ("–ù" for Cyrillic Н),
    # and "· ‚ „" (E1-E3) and U+F8FF (F0: "\uf8ffüôÇ" for an emoji)
    *_misread_utf8(
        "mac_roman", "[\u00ac\u00b7\u0192\u2013\u2014\u201a\u201e\u2020-\u2044\u2200-\u25ff\uf8ff\ufb01\ufb02]"
    ),
    *_misread_utf8("cp437", "[\u2200-\u25ff]"),  # "├⌐", "╨┐"
    ("\u00df", "[\u2500-\u257f]"),  # cp437 E1 lead ("ß║" for ế): ß before box drawing is never text
    # E2 80 starts ’ “ ” – …: "â€" cp1252, "вЂ" cp1251, "β€" cp1253,
    # "‚Ä" MacRoman, "ΓÇ" cp437.
    ("\u00e2", "\u20ac"),
    ("\u0432", "\u0402"),
    ("\u03b2", "\u20ac"),
    ("\u201a", "\u00c4"),
    ("\u0393", "\u00c7"),
    ("\x80-\x9f", ""),  # C1 controls: Latin-1 decode of cp1252 bytes (\x92 for ’)
    ("\xc2\xc3\xc5\xce\xd0\xd9", " "),  # lead byte whose A0 became a space
    ("\ufffd", ""),  # replacement char: ftfy can fold lossy sequences into one
    ("\ud800-\udfff", ""),  # surrogates from bad JSON escapes / UCS-2
    ("\x1b", ""),  # ANSI terminal escapes: ftfy removes the whole sequence
]
# One leading character class, then a lookbehind per part to say which part
# the character started: a pattern that opens with a plain class lets `re`
# skip ahead at C speed to the next candidate character, about 10x faster on
# non-Latin text than an alternation of the parts.
_SUSPICIOUS = re.compile(
    "["
    + "".join(first for first, _ in _GATE_PARTS)
    + "](?:"
    + "|".join(f"(?<=[{first}]){rest}" for first, rest in _GATE_PARTS)
    + ")"
)

# C0 controls except \t and \n, DEL, C1 controls (those ftfy did not read as
# cp1252 punctuation first: bytes cp1252 leaves undefined), and the invisible
# format characters ftfy
# also treats as junk (BOM, deprecated Arabic shaping, interlinear annotation,
# object replacement). Applied to every document, not only gated lines.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u206a-\u206f\ufff9-\ufffc]")
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


def _suspicious(text: str) -> bool:
    # isascii() is a C-speed scan that clears most lines without the regex;
    # ESC is the one gate character inside ASCII.
    if text.isascii():
        return "\x1b" in text
    return _SUSPICIOUS.search(text) is not None


def _sloppy_cp1252(text: str) -> bytes:
    """cp1252 bytes of `text`, with its five undefined bytes taken as Latin-1
    (browsers decode them that way, so mojibake contains them as C1 chars)."""
    return bytes(_SLOPPY_CP1252[ch] for ch in text)


_SLOPPY_CP1252 = {bytes([b]).decode("cp1252", errors="ignore") or chr(b): b for b in range(256)}
# Code pages whose misreading of UTF-8 we undo when ftfy declines: ftfy judges
# a line by how odd it looks, and leaves short or rare-letter lines ("60,000â‚©",
# Esperanto "aÅ­", MacRoman Cyrillic) as they are.
_REDECODERS = (
    ("sloppy-cp1252", _sloppy_cp1252),
    ("latin-1", lambda text: text.encode("latin-1")),
    ("mac_roman", lambda text: text.encode("mac_roman")),
)


REDECODE_MIN_FOLDED = 2
# MacRoman misreads UTF-8 with symbols as lead bytes (C2 "¬", C3 "√", C4
# "ƒ", C5 "≈", C6 "∆"; E0-E4 "‡·‚„‰"; F0 U+F8FF), so one misread sequence
# can be told from text: "Calend√°rio", "60,000‚Ç©", "‚Äã" (U+200B), "¬Ω".
# One is enough when such a lead opens a 3- or 4-byte sequence (a symbol then
# two or three exact continuation characters), or when a 2-byte sequence
# folds into a letter that touches a letter ("h√§user"). Left as they are: a
# letter alone ("x = √π" -> "ù"), a symbol (ftfy's negative case "`¬´" is a
# face, not "«"), and the dash and quote leads (D0-D5: "Paris–Évry" decodes).
_MAC_SYMBOL_LEADS = frozenset("¬√ƒ≈∆‡·‚„‰\uf8ff")


def _one_fold_is_enough(line: str, candidate: str) -> bool:
    """Whether the single folded sequence of a MacRoman misreading is evidence
    (see _MAC_SYMBOL_LEADS); `candidate` is `line` re-decoded."""
    i = next(k for k, ch in enumerate(candidate) if ord(ch) > 0x7F)
    ch, lead = candidate[i], line[i]  # everything before i is ASCII, the same in both
    if lead not in _MAC_SYMBOL_LEADS:
        return False
    if len(ch.encode("utf-8")) >= 3:
        return True
    return ch.isalpha() and any(0 <= k < len(candidate) and candidate[k].isalpha() for k in (i - 1, i + 1))


# Blocks no prose of any language is written in (IPA, spacing modifiers,
# combining marks alone, phonetic extensions, private use): a re-decode that
# produces them ("lá´´" -> "lᴴ") found a coincidence, not the text. Except
# schwa (U+0259), a letter of Azerbaijani's alphabet ("ənənə").
_UNLIKELY = re.compile("[\u0250-\u0258\u025a-\u036f\u1d00-\u1dbf\ue000-\uf8ff]")


def redecode_line(line: str) -> str | None:
    """The line as UTF-8, when ALL of it is UTF-8 read as one legacy code page.

    Every non-ASCII character must encode in that code page, the bytes must
    decode as strict UTF-8 into a line the gate no longer flags, and at
    least REDECODE_MIN_FOLDED multi-byte sequences (not counting no-break
    spaces) must fold: one odd group ("4288×…", "Brontë…”" -> a Hangul
    syllable) or a capital before a no-break space ("SELKÄ\xa0") is ordinary
    text that happens to decode, while real mojibake repeats.
    """
    for name, encode in _REDECODERS:
        try:
            candidate = encode(line).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError, KeyError):
            continue
        # strict UTF-8 left every non-ASCII character of the candidate as one
        # folded sequence; a no-break space folded into one is no evidence
        folded = sum(1 for ch in candidate if ord(ch) > 0x7F) - (line.count("\xa0") - candidate.count("\xa0"))
        enough = folded >= REDECODE_MIN_FOLDED or (
            folded == 1 and name == "mac_roman" and "\xa0" not in line and _one_fold_is_enough(line, candidate)
        )
        if enough and not _suspicious(candidate) and not _CONTROL.search(candidate) and not _UNLIKELY.search(candidate):
            return candidate
    return None


def _fix_line(line: str, found: set[str]) -> str:
    fixed, steps = ftfy.fix_and_explain(line, FTFY_CONFIG)
    if fixed != line:
        for step in steps or ():
            found.add(_STEP_CODES.get(step.parameter, MOJIBAKE))
    if _suspicious(fixed):
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
        if _suspicious(text):
            text = "\n".join(_fix_line(line, found) if _suspicious(line) else line for line in text.split("\n"))
        if not _CONTROL.search(text):
            break
        if "\x0b" in text or "\x0c" in text:
            text = text.translate(_LINE_SEPARATORS)
        text = _CONTROL.sub("", text)
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
