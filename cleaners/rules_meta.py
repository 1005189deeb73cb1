"""Rules for who wrote the article: bylines and the author's biography."""

from __future__ import annotations

import re

from cleaners import reasons
from cleaners.rules_context import LineContext, Verdict, ends_with_terminal, has_digit, word_count

# "By Jane Doe", "Oleh Jane Doe": the name runs to the end of the line or to
# a separator, after which sites put the outlet or a date ("By Al-Fassel |").
_BY = re.compile(
    r"^(?:by|oleh)\s+(?P<name>[^|,•·\u2013—]+?)\s*(?:(?:[|,•·\u2013—]|\s-\s)\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
# Labelled credits, one or more per line: "Penulis: X | Editor: Y". The
# label decides what the name is: an editor is not the author.
_LABELLED = re.compile(
    r"^(?P<label>penulis|reporter|pewarta|wartawan|kontributor|oleh|author"
    r"|written\s+by|words\s+by|text|teks|laporan|editor|penyunting|redaktur)"
    r"\s*:\s*(?P<name>\S.*)$",
    re.IGNORECASE,
)
_EDITOR_LABELS = frozenset({"editor", "penyunting", "redaktur"})
# Separators between labelled credits on one line.
_CREDIT_SPLIT = re.compile(r"\s*[|;•·]\s*")
# Lowercase words that may sit inside a personal name ("Ahmad bin Said",
# "Ursula von der Leyen", "Jane Doe and John Roe").
_NAME_PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "bin", "binti", "al", "el", "da", "di", "del", "la", "le", "and", "dan", "&"}
)
# Weekdays and months capitalised at the start of "By Monday, ..." or "By
# March the army had ..." are sentences, not bylines.
_NOT_NAMES = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
    }
)
_NAME_MAX_TOKENS = 8
_BYLINE_MAX_WORDS = 15
_BYLINE_REST_MAX_WORDS = 8

# Role and biography words; a trailer needs two of them to read as a bio.
_BIO_WORD = re.compile(
    r"\b(?:journalists?|writers?|reporters?|editors?|activists?|students?"
    r"|directors?|founders?|founding\s+member|co-founder|correspondents?"
    r"|graduated?|authors?|columnists?|researchers?|I\s+work|photographers?"
    r"|analysts?|lecturers?|professor|freelancer?|contributors?|blogger"
    r"|wartawan|jurnalis|penulis|mahasiswa|peneliti|dosen|aktivis|pendiri)\b",
    re.IGNORECASE,
)
# The bio opens with a lowercase role ("media activist from Raqqa, ...") ...
_BIO_ROLE_START = re.compile(
    r"^(?:[a-z][\w-]*\s+){0,2}?(?:journalist|writer|reporter|editor|activist"
    r"|student|director|founder|co-founder|correspondent|graduate|author"
    r"|columnist|researcher|photographer|analyst|lecturer|freelance)s?\b",
)
# ... or "<Name> is a (former) journalist ..." ...
_BIO_NAME_IS = re.compile(
    r"^[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,3}\s+(?:is|was)\s+an?\s+"
    r"(?:[\w-]+\s+){0,3}?(?:journalist|writer|reporter|editor|activist|student"
    r"|director|founder|co-founder|correspondent|graduate|author|columnist"
    r"|researcher|photographer|analyst|lecturer|professor|freelance)s?\b",
)
# ... or is introduced as such.
_BIO_HEADING = re.compile(
    r"^(?:about\s+the\s+author|tentang\s+penulis|über\s+den\s+autor)\b",
    re.IGNORECASE,
)
_BIO_MIN_ROLE_WORDS = 2
# The bio trails the article: only the last two non-blank lines qualify.
_BIO_TAIL_LINES = 2


def _name_ok(name: str) -> bool:
    """A personal name: a few capitalised tokens, no digits, no sentence."""
    tokens = name.split()
    if not 0 < len(tokens) <= _NAME_MAX_TOKENS:
        return False
    if has_digit(name) or ends_with_terminal(name):
        return False
    if tokens[0].lower() in _NOT_NAMES:
        return False
    for tok in tokens:
        if tok.lower() in _NAME_PARTICLES:
            continue
        if not tok[0].isupper():
            return False
    return tokens[0][0].isupper() and tokens[-1][0].isupper()


def _by_line(line: str) -> Verdict | None:
    m = _BY.match(line)
    if not m:
        return None
    name = m.group("name").strip()
    rest = (m.group("rest") or "").strip()
    if not _name_ok(name):
        return None
    # what follows the name is an outlet or a date, never a clause
    if word_count(rest) > _BYLINE_REST_MAX_WORDS or (rest and rest[-1] in ".!?" and not rest.endswith(".com")):
        return None
    return Verdict(reasons.BYLINE, drop=True, meta={"author": name})


def _labelled_line(line: str) -> Verdict | None:
    meta: dict[str, str] = {}
    for part in _CREDIT_SPLIT.split(line):
        if not part:
            continue
        m = _LABELLED.match(part)
        if not m:
            return None
        name = m.group("name").strip()
        if not _name_ok(name):
            return None
        key = "editor" if m.group("label").lower() in _EDITOR_LABELS else "author"
        meta.setdefault(key, name)
    if not meta:
        return None
    return Verdict(reasons.BYLINE, drop=True, meta=meta)


def rule_byline(ctx: LineContext) -> Verdict | None:
    """'By Al-Fassel |', 'Penulis: X': drop the line, keep the name as meta."""
    if ctx.n_words > _BYLINE_MAX_WORDS:
        return None
    return _labelled_line(ctx.line) or _by_line(ctx.line)


def rule_author_bio(ctx: LineContext) -> Verdict | None:
    """The author's biography as one of the last two paragraphs."""
    if ctx.nonblank_rank < ctx.nonblank_total - _BIO_TAIL_LINES:
        return None
    # in a document of one or two paragraphs the tail is the article itself
    if ctx.nonblank_total <= _BIO_TAIL_LINES:
        return None
    line = ctx.line
    if _BIO_HEADING.match(line) and ctx.n_words <= 4:
        return Verdict(reasons.AUTHOR_BIO, drop=True)
    shaped = _BIO_ROLE_START.match(line) or _BIO_NAME_IS.match(line) or _BIO_HEADING.match(line)
    if shaped and len(_BIO_WORD.findall(line)) >= _BIO_MIN_ROLE_WORDS:
        return Verdict(reasons.AUTHOR_BIO, drop=True)
    return None
