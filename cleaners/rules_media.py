"""Rules for photo credits and image captions left in the text."""

from __future__ import annotations

import re

from cleaners import reasons
from cleaners.rules_context import LineContext, Verdict, word_count

# Words that introduce a photo credit, in the languages we see.
_CREDIT_WORD = (
    r"(?:foto|photo|photograph|image|picture|pic|gambar|ilustrasi|illustration"
    r"|credit|photo\s+credit|image\s+credit|sumber\s+foto|bild|fotografía)"
)
# Wire-photo desks: "AP Photo/Name", "ANTARA FOTO/Name", "AFP PHOTO / Name".
_WIRE_PHOTO = r"(?:ap|afp|reuters|antara|epa|getty)\s+(?:photo|foto)"
# Agencies and photo libraries that appear as a bare bracketed credit.
_AGENCY = (
    r"(?:AFP|AP|Reuters|REUTERS|EPA|ANTARA|Antara|Getty\s+Images|AFP/Getty\s+Images"
    r"|Shutterstock|iStock|Xinhua|Bernama|dpa|Anadolu|AA|Kompas\.com|Istimewa"
    r"|Dok\.?\s*Istimewa|Wikimedia\s+Commons)"
)

# A credit alone on a line: "Foto: Name/Agency", "Photo: X/Reuters".
_CREDIT_LINE = re.compile(rf"^{_CREDIT_WORD}\s*:\s*\S", re.IGNORECASE)
# "(Photo by X)", "(Foto: ANTARA/X)", "[AFP]" alone on a line.
_CREDIT_BRACKETED = re.compile(
    rf"^[(\[]\s*(?:{_CREDIT_WORD}\s*(?:by\b|:)|{_WIRE_PHOTO}\b)[^()\[\]]*[)\]]$",
    re.IGNORECASE,
)
_AGENCY_ALONE = re.compile(rf"^[(\[]\s*{_AGENCY}\s*[)\]]$")
# "Photo by X on Unsplash" / "Foto oleh X": a credit sentence without a colon.
_CREDIT_BY = re.compile(r"^(?:photo|foto|image)\s+(?:by|oleh)\s+\S", re.IGNORECASE)
_CREDIT_MAX_WORDS = 12

# A caption ends with its credit in brackets. Three shapes:
#  - a square-bracketed source of a few capitalised words: "[Operation
#    Inherent Resolve]" (a lowercase start is an editorial "[sic]" or
#    "[citation needed]", digits are footnote marks, so both are excluded);
#  - a parenthesised credit word: "(Foto: ANTARA/Reno Esnir)";
#  - a parenthesised agency: "(AFP)", "(Getty Images)".
_CAPTION_SQUARE = re.compile(
    r"\S.*\s\[(?P<credit>[A-Z][^\[\]\d]{1,60})\]\s*\.?$",
)
_CAPTION_CREDIT = re.compile(
    rf"\S.*\s\(\s*(?:{_CREDIT_WORD}\s*(?:by\b|:)|{_WIRE_PHOTO}\b)[^()]*\)\s*\.?$",
    re.IGNORECASE,
)
_CAPTION_AGENCY = re.compile(rf"\S.*\s\(\s*{_AGENCY}(?:\s*/[^()]*)?\)\s*\.?$")
# A caption is a sentence or two; a long paragraph that happens to end with a
# bracket is body text and is kept.
_CAPTION_MAX_WORDS = 60
# Credits in square brackets are a few words ("[Reuters]", "[Operation
# Inherent Resolve]"); a longer bracketed clause is an editorial insertion.
_SQUARE_CREDIT_MAX_WORDS = 6
# Bracketed tags that label a headline's media or status ("... [VIDEO]"),
# not a credit: such a line is a headline and stays.
_MEDIA_TAGS = frozenset(
    {
        *("video", "videos", "foto", "fotos", "photo", "photos", "gallery"),
        *("galeri", "infografis", "infographic", "audio", "live", "update"),
        *("updated", "breaking", "opinion", "opini", "exclusive", "eksklusif"),
        *("watch", "podcast"),
    }
)


def _closing_char(line: str) -> str:
    """The character before any trailing whitespace and one final dot.

    Every caption pattern ends with a bracket and `\\s*\\.?$`, so a line whose
    closing character is not that bracket cannot match it; checking this first
    spares most lines the patterns' backtracking through the whole line.
    """
    core = line.rstrip()
    if core.endswith("."):
        core = core[:-1].rstrip()
    return core[-1:]


def rule_photo_credit(ctx: LineContext) -> Verdict | None:
    """A photo credit alone on a line."""
    line = ctx.line
    if ctx.n_words > _CREDIT_MAX_WORDS:
        return None
    if _CREDIT_LINE.match(line) or _CREDIT_BRACKETED.match(line) or _AGENCY_ALONE.match(line) or _CREDIT_BY.match(line):
        return Verdict(reasons.PHOTO_CREDIT, drop=True)
    return None


def rule_image_caption(ctx: LineContext) -> Verdict | None:
    """Caption text ending with a bracketed credit; every copy is dropped."""
    line = ctx.line
    if ctx.n_words > _CAPTION_MAX_WORDS:
        return None
    closing = _closing_char(line)
    m = _CAPTION_SQUARE.match(line) if closing == "]" else None
    if (
        m
        and word_count(m.group("credit")) <= _SQUARE_CREDIT_MAX_WORDS
        and m.group("credit").strip().lower() not in _MEDIA_TAGS
    ):
        return Verdict(reasons.IMAGE_CAPTION, drop=True)
    if closing == ")" and (_CAPTION_CREDIT.match(line) or _CAPTION_AGENCY.match(line)):
        return Verdict(reasons.IMAGE_CAPTION, drop=True)
    return None
