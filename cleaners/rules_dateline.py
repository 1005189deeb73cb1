"""The dateline rule: trim 'JAKARTA, KOMPAS.com - ' and keep the body text.

A dateline is a prefix of the first body paragraph, so this rule never drops
a line: it returns the rest of the line as the replacement.
"""

from __future__ import annotations

import datetime as dt
import re

from cleaners import reasons
from cleaners.rules_context import LineContext, Verdict, word_count

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "januari"),
            ("february", "feb", "februari", "pebruari"),
            ("march", "mar", "maret"),
            ("april", "apr"),
            ("may", "mei"),
            ("june", "jun", "juni"),
            ("july", "jul", "juli"),
            ("august", "aug", "agustus", "agu", "agt"),
            ("september", "sep", "sept"),
            ("october", "oct", "oktober", "okt"),
            ("november", "nov", "nopember"),
            ("december", "dec", "desember", "des"),
        ),
        start=1,
    )
    for name in names
}
# Month and weekday names are matched case-insensitively in place, while the
# rest of the dateline pattern relies on case (capitalised place and outlet).
_MONTH = "(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (
    r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)"
)
# The date forms datelines use: "5 March 2024", "March 5, 2024" and the
# Indonesian "(12/3/2024)", which is day/month/year.
_DATE = (
    rf"(?:{_WEEKDAY},?\s*)?\(?(?P<date>\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})\)?"
)
# A place in capitals ("JAKARTA", "SAN FRANCISCO") or title case ("Jakarta").
_PLACE = (
    r"(?P<place>[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3}"
    r"|[A-Z][a-zà-ÿ.'\u2019-]+(?:\s+[A-Z][a-zà-ÿ.'\u2019-]+){0,3})"
)
_DATELINE = re.compile(
    rf"^{_PLACE}"
    rf"(?:\s*,\s*{_DATE})?"
    r"(?:\s*,\s*(?P<outlet>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})"
    r"|\s*\((?P<agency>[A-Za-z][\w./ ]{0,24})\))?"
    r"\s*(?:--|[-\u2013—])\s*(?P<rest>\S.*)$",
)
# News organisations that sign datelines without a domain in their name.
_KNOWN_OUTLETS = frozenset(
    s.lower()
    for s in (
        "AP",
        "AFP",
        "Reuters",
        "ANTARA",
        "Xinhua",
        "dpa",
        "UPI",
        "Bernama",
        "EFE",
        "ANSA",
        "Kyodo",
        "Yonhap",
        "TASS",
        "Anadolu",
        "CNN",
        "BBC",
        "CNN Indonesia",
        "CNBC Indonesia",
        "Tempo",
        "Kompas",
        "Detik",
        "Liputan6",
        "Tribunnews",
        "JPNN",
        "Republika",
        "Okezone",
        "Suara",
        "Viva",
        "Sindonews",
        "Bisnis",
        "Kontan",
        "IDN Times",
        "Inilah",
        "Merdeka",
        "Medcom",
        "VOA",
        "Tirto",
    )
)
# "KOMPAS.com", "Tribunnews.com", "Medcom.id": an outlet named by its domain.
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|co\.id|id|net|org|co|my|tv|news)$")
# What _DATELINE needs of a line, checked first because most lines lack it:
# an ASCII capital first (both forms of _PLACE; the pattern is case-sensitive)
# and a dash somewhere (the separator before the body).
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A body must remain after the prefix, or the line is not a dateline.
_REST_MIN_WORDS = 3


def _is_outlet(name: str) -> bool:
    return name.lower() in _KNOWN_OUTLETS or bool(_DOMAIN.match(name.lower()))


def parse_date(text: str) -> str | None:
    """ISO date for the dateline date forms, or None when not a real date."""
    text = text.strip().rstrip(".")
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
        if m:
            day, month_name, year = int(m[1]), m[2], int(m[3])
        else:
            m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text)
            if not m:
                return None
            month_name, day, year = m[1], int(m[2]), int(m[3])
        month = _MONTHS.get(month_name.lower(), 0)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:  # 31/2/2024 and the like: matched the shape, not a date
        return None


def rule_dateline(ctx: LineContext) -> Verdict | None:
    """Trim a dateline prefix; the replacement is the body that follows."""
    line = ctx.line
    if line[:1] not in _CAPITALS or not ("-" in line or "\u2013" in line or "—" in line):
        return None
    m = _DATELINE.match(line)
    if not m:
        return None
    place, outlet, agency = m.group("place"), m.group("outlet"), m.group("agency")
    date, rest = m.group("date"), m.group("rest")
    if word_count(rest) < _REST_MIN_WORDS:
        return None
    place_in_caps = place.isupper()
    # Each prefix needs one strong signal. An agency in brackets or a known
    # outlet after a comma is one; a capitalised place with any outlet-like
    # word is one ("JAKARTA, JPNN"); a date is one. A title-case place with an
    # arbitrary word ("Meanwhile, Trump - ...") is an ordinary sentence.
    if agency is not None:
        if not (_is_outlet(agency) or (place_in_caps and agency.isupper())):
            return None
    elif outlet is not None:
        if not (_is_outlet(outlet) or (place_in_caps and outlet.isupper())):
            return None
    elif date is None:
        return None
    meta: dict[str, str] = {}
    published = parse_date(date) if date else None
    if published:
        meta["published_at"] = published
    return Verdict(reasons.DATELINE, drop=False, replacement=rest, meta=meta)
