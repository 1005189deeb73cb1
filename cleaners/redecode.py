"""Whole-line re-decode: UTF-8 that one legacy code page misread, where ftfy declines.

ftfy judges a line by how odd it looks and leaves short or rare-letter lines
("60,000â‚©", Esperanto "aÅ­", MacRoman Cyrillic) as they are. A line that
is ALL such a misreading can be undone exactly; the rules below say when
that is evidence and when text only happens to decode.
"""

from __future__ import annotations

import re
import unicodedata

from cleaners.mojibake_gate import CONTROL, suspicious


def _sloppy_cp1252(text: str) -> bytes:
    """cp1252 bytes of `text`, with its five undefined bytes taken as Latin-1
    (browsers decode them that way, so mojibake contains them as C1 chars)."""
    return bytes(_SLOPPY_CP1252[ch] for ch in text)


_SLOPPY_CP1252 = {bytes([b]).decode("cp1252", errors="ignore") or chr(b): b for b in range(256)}
# Code pages whose misreading of UTF-8 is undone, tried in this order.
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
# folds into a letter that touches a letter ("h√§user"), a fraction or
# superscript ("¬Ω"), or a symbol or punctuation beside a letter or digit
# ("25¬∞C", "¬´Non"). Left as they are: a letter alone ("x = √π" -> "ù"), a
# symbol alone (ftfy's negative case "`¬´" is a face, not "«"), and the dash
# and quote leads (D0-D5: "Paris–Évry" decodes).
_MAC_SYMBOL_LEADS = frozenset("¬√ƒ≈∆‡·‚„‰\uf8ff")


def _is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ")


def _one_fold_is_enough(name: str, line: str, candidate: str) -> bool:
    """Whether a line's single folded sequence is evidence; `candidate` is
    `line` re-decoded from code page `name`.

    MacRoman: see _MAC_SYMBOL_LEADS. cp1252 and Latin-1 read every lead byte
    as a capital letter (C2-DF "Â".."ß", E0-EF "à".."ï"), so the fold must fit
    where it sits: a 3- or 4-byte sequence that makes a symbol or punctuation
    ("60,000â‚©"), or a 2-byte one that makes a small Latin letter after the
    first letter of a word written in small letters or with one capital
    ("hÅ·n" -> "hŷn", "SÃ¥" -> "Så", "KoreÄ…" -> "Korea\u0328"), or a
    capital starting a small-letter word whose misreading is two letters
    ("Äœi" -> "Ĝi"). Text that happens to decode is a capital before a quote,
    an ellipsis or a symbol, so these stay: ftfy's negative cases "AHÅ™,"
    (a small letter after capitals), "MARQUÉ…" (a capital after capitals),
    "Ã’s" (a capital and a quote), "Brontë…”" (3 bytes making a Hangul
    syllable); and so does "Ã…h" for "Åh".
    """
    i = next(k for k, ch in enumerate(candidate) if ord(ch) > 0x7F)
    ch, lead = candidate[i], line[i]  # everything before i is ASCII, the same in both
    n_bytes = len(ch.encode("utf-8"))
    if name == "mac_roman":
        if lead not in _MAC_SYMBOL_LEADS:
            return False
        beside = [candidate[k] for k in (i - 1, i + 1) if 0 <= k < len(candidate)]
        kind = unicodedata.category(ch)
        return (
            n_bytes >= 3
            or kind == "No"  # "¬Ω" for ½, "¬≤" for ²
            or (ch.isalpha() and any(c.isalpha() for c in beside))
            or (kind[0] in "SP" and any(c.isalnum() for c in beside))  # "25¬∞C", "¬´Non"
        )
    if n_bytes >= 3:
        return unicodedata.category(ch)[0] in "SP"
    if not _is_latin_letter(ch):
        return False
    start, end = i, i + 1
    while start > 0 and candidate[start - 1].isalpha():
        start -= 1
    while end < len(candidate) and candidate[end].isalpha():
        end += 1
    if start < i:
        return ch.islower() and candidate[start + 1 : end].islower()
    # first in its word: a capital whose misreading is two letters ("Äœi"
    # for "Ĝi", "Åžeyyad" for "Şeyyad"); ftfy's negative cases pair a
    # capital with a quote or a symbol ("Ã’s", "AHÅ™")
    return ch.isupper() and line[i + 1].isalpha() and end > i + 1 and candidate[i + 1 : end].islower()


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
            folded == 1 and "\xa0" not in line and _one_fold_is_enough(name, line, candidate)
        )
        if enough and not suspicious(candidate) and not CONTROL.search(candidate) and not _UNLIKELY.search(candidate):
            return candidate
    return None
