"""The timestamp rule: a date, a time or a reading time alone on a line.

Page dumps and extracted articles carry "17H ago", "Updated 3:27 am PST,
Wednesday, November 20, 2019" or "5 min read" on a line of their own: page
furniture, not reporting. A line is a timestamp only when every word of it
is a date or time word, so a sentence that mentions a date is never matched.
A full date found on the line is kept as `published_at` metadata.
"""

from __future__ import annotations

import re

from cleaners import reasons
from cleaners.rules_context import LineContext, Verdict, has_digit
from cleaners.rules_dateline import _MONTHS, parse_date

_WEEKDAYS = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
        *("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"),
        *("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    }
)
# Words that introduce or join a timestamp ("Updated ... at ...", "Diperbarui").
_LINKERS = frozenset(
    {
        *("updated", "published", "posted", "last", "modified", "on", "at", "date", "time", "first"),
        *("diperbarui", "dipublikasikan", "diterbitkan", "pukul", "wib", "wita", "wit"),
        *("aktualisiert", "veröffentlicht", "am", "um", "uhr", "publié", "le", "à", "publicado", "el", "em", "às"),
        *("am", "pm", "a.m.", "p.m."),
    }
)
_NUMERIC = re.compile(
    r"^\(?\d{1,4}(?:[:./\-]\d{1,4}){0,2}(?:[ap]m)?\)?$|^\d{4}-\d{2}-\d{2}t[\d:.+\-z]+$|^\d{1,2}(?:st|nd|rd|th)$"
)
_TZ = re.compile(r"^\(?[A-Z]{2,4}\)?$|^(?:UTC|GMT)[+\-]\d{1,2}(?::?\d{2})?$")
# "17H ago", "updated 16M ago", "3 hours ago", "2 jam lalu", "vor 5 Minuten"
_RELATIVE = re.compile(
    r"^(?:(?:updated|published|posted|diperbarui)\s+)?(?:\d+\s*(?:[smhdw]|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)\s+ago"
    r"|\d+\s+(?:detik|menit|jam|hari|minggu|bulan)\s+(?:yang\s+)?lalu"
    r"|vor\s+\d+\s+(?:sekunden|minuten|stunden|tagen|wochen)"
    r"|il\s+y\s+a\s+\d+\s+(?:secondes?|minutes?|heures?|jours?)"
    r"|hace\s+\d+\s+(?:segundos?|minutos?|horas?|días?)"
    r"|há\s+\d+\s+(?:segundos?|minutos?|horas?|dias?))$",
    re.IGNORECASE,
)
# "5 min read", "Reading time: 3 minutes", "Waktu baca 2 menit", "Lesezeit: 4 Min."
_READING_TIME = re.compile(
    r"^(?:\d+\s*(?:min(?:ute)?s?\.?)\s+read"
    r"|(?:reading\s+time|read\s+time|waktu\s+baca|lesezeit|temps\s+de\s+lecture|tiempo\s+de\s+lectura"
    r"|tempo\s+de\s+leitura)\s*:?\s*\d+\s*(?:min(?:ute)?s?|menit|minuten|minutos)\.?)$",
    re.IGNORECASE,
)
# A numeric date has a year of two or four digits at one end: "19/11/2019",
# "2019-11-19", "19.11.19". "4.2.3" is a version number, not a date.
_NUMERIC_DATE = re.compile(
    r"\d{1,2}[./\-]\d{1,2}[./\-](?:\d{2}|\d{4})|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d{4}-\d{2}-\d{2}t.*"
)
_FULL_DATE = re.compile(r"\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4}")
_MAX_TOKENS = 16  # two stamps on one line: "Published: <date> at <time> | Updated: ..."
# Characters around a token that are separators, not part of it: "2019 |",
# "/ 1:07 AM". A colon only ends a label word ("Updated:", "Published on:"):
# "Monday: 9:00" is an opening hour, not a timestamp.
_SEPARATORS = ",;|/()[]·•-–—"
# A time of day ("8:59", "10:48") is a timestamp only beside a word saying
# what it is: "Updated at 1:23 p.m.", never "8:59" alone (a score, a verse).
_TIME = re.compile(r"^\d{1,2}:\d{2}(?:[ap]m)?$")
_STAMP_WORDS = frozenset({"updated", "published", "posted", "modified", "diperbarui", "aktualisiert", "veröffentlicht"})


def _is_date_token(token: str) -> bool:
    word = token.strip(_SEPARATORS).lower()
    if not word:
        return True  # a separator
    return (
        word in _MONTHS
        or word.rstrip(".") in _MONTHS
        or word in _WEEKDAYS
        or word.rstrip(":") in _LINKERS
        or bool(_NUMERIC.match(word))
        or bool(_TZ.match(token.strip(",;|()[]")))
    )


def _is_timestamp(line: str) -> bool:
    if _RELATIVE.match(line) or _READING_TIME.match(line):
        return True
    tokens = line.split()
    if not 0 < len(tokens) <= _MAX_TOKENS or not has_digit(line):
        return False
    words = [t.strip(_SEPARATORS).lower() for t in tokens]
    # a date needs a month or weekday name, or a numeric date (19/11/2019, 2019-11-19)
    dated = (
        any(w in _MONTHS or w.rstrip(".") in _MONTHS or w in _WEEKDAYS for w in words)
        or any(_NUMERIC_DATE.fullmatch(w) for w in words)
        or (any(_TIME.match(w) for w in words) and any(w.rstrip(":") in _STAMP_WORDS for w in words))
    )
    return dated and all(_is_date_token(t) for t in tokens)


def rule_timestamp(ctx: LineContext) -> Verdict | None:
    """'17H ago', 'Tuesday November 19, 2019', '5 min read' alone on a line."""
    # Cheap tests first, each of which _is_timestamp implies: every form holds
    # a digit, and none is longer than _MAX_TOKENS words (the token test says
    # so, and _RELATIVE and _READING_TIME match at most six: keep it so).
    if ctx.n_words > _MAX_TOKENS or not has_digit(ctx.line) or not _is_timestamp(ctx.line):
        return None
    meta = {}
    m = _FULL_DATE.search(ctx.line)
    published = parse_date(m.group(0)) if m else None
    if published:
        meta["published_at"] = published
    return Verdict(reasons.TIMESTAMP, drop=True, meta=meta)
