"""The cheap check that decides which lines ftfy (and the re-decode) see.

ftfy's own "is this text bad?" check costs about as much as fixing, and
almost every document is clean: pure-ASCII lines are skipped outright, the
rest must match `_SUSPICIOUS`, a compiled regex of the character pairs
mojibake leaves behind (cleaners/repair.py says how it is used).
"""

from __future__ import annotations

import re


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


_MAC_CONT = "[" + re.escape(_chars(list(range(0x80, 0xC0)), "mac_roman")) + "]"
_MAC_CONT_SYMBOL = "[" + re.escape(_chars(list(range(0xA0, 0xC0)), "mac_roman")) + "]"

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
    # MacRoman Hangul (EA-ED leads "Í Î Ï Ì", letters in other text): only when
    # one of its two continuations is a MacRoman symbol, as in "Ïπº" for 칼
    ("\u00cd\u00ce\u00cf\u00cc", f"(?:{_MAC_CONT_SYMBOL}{_MAC_CONT}|{_MAC_CONT}{_MAC_CONT_SYMBOL})"),
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
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u206a-\u206f\ufff9-\ufffc]")


def suspicious(text: str) -> bool:
    # isascii() is a C-speed scan that clears most lines without the regex;
    # ESC is the one gate character inside ASCII.
    if text.isascii():
        return "\x1b" in text
    return _SUSPICIOUS.search(text) is not None
