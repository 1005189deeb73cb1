"""Rules for links to other stories and prompts to rate the article."""

from __future__ import annotations

import re

from cleaners import reasons
from cleaners.rules_context import LineContext, Verdict

# Markers sites put in front of a link to another story, by language. Longer
# markers come first so that "Baca juga" is matched before plain "Baca".
_TEASER_MARKERS = (
    # Indonesian / Malay
    r"baca\s+juga",
    r"simak\s+juga",
    r"lihat\s+juga",
    r"artikel\s+terkait",
    r"berita\s+terkait",
    r"baca\s+selengkapnya",
    r"baca",
    r"simak",
    # English
    r"read\s+more",
    r"read\s+also",
    r"also\s+read",
    r"related\s+(?:articles?|stories|news|coverage|posts?)",
    r"related",
    r"recommended(?:\s+(?:for\s+you|stories|articles?|reading))?",
    r"see\s+also",
    # links to the site's previous and next story: "Next article: <title>"
    r"(?:previous|prev|next)\s+(?:article|post|story)",
    # German
    r"lesen\s+sie\s+auch",
    r"mehr\s+zum\s+thema",
    # French: "À lire aussi" before "Lire aussi"
    r"(?:à|a)\s+lire\s+aussi",
    r"lire\s+aussi",
    # Spanish
    r"lea\s+también",
    r"leer\s+más",
    r"te\s+puede\s+interesar",
    # Portuguese
    r"leia\s+também",
    r"veja\s+também",
    r"leia\s+mais",
    r"artikel\s+(?:sebelumnya|selanjutnya|berikutnya)",
    r"(?:vorheriger|nächster)\s+artikel",
    r"article\s+(?:précédent|suivant)",
    r"artículo\s+(?:anterior|siguiente)",
    r"(?:notícia|matéria)\s+anterior|próxima\s+(?:notícia|matéria)",
)
_MARKER = "(?:" + "|".join(_TEASER_MARKERS) + ")"

# Marker followed by a colon (French puts a space before it) or a dash: the
# strong signal, since body sentences do not start "Baca: ...". A hyphen needs
# a space beside it, so the reduplication "Baca-baca buku ..." is not a marker.
_TEASER_PUNCT = re.compile(rf"^[\[(]?{_MARKER}[\])]?\s*(?::|\uff1a|\s-|-\s|\u2013|—|\||»|>>)\s*\S", re.IGNORECASE)
# Marker followed by a space: only a teaser when a title follows, i.e. the
# next word is capitalised or quoted ("Baca juga Jokowi ...") and not a
# lowercase continuation ("Baca selengkapnya di sini kata dia ...").
_TEASER_SPACE = re.compile(rf"^{_MARKER}\s+(?P<rest>\S.*)$", re.IGNORECASE)
# Marker alone on a line: a heading over a teaser list ("RECOMMENDED").
_TEASER_ALONE = re.compile(rf"^[\[(]?{_MARKER}[\])]?\s*(?::|\.\.\.|…|»|\u203a|>>|→)?$", re.IGNORECASE)
# Headings over a list of other stories. Only as a whole short line with no
# sentence punctuation: "More in World", "Most read", "Baca Juga", "Lo más
# leído". "More from/in/on X" needs a capitalised X ("More from Dawgs By
# Nature"), and the line stays short, so "More in Common said ..." is kept.
_LIST_HEADING = re.compile(
    r"^(?:"
    r"more\s+(?:from|in|on)\s+(?:the\s+)?[A-Z0-9].*|more\s+(?:stories|news|videos|articles)"
    r"|most\s+(?:read|popular|viewed|shared|commented|recent)(?:\s+(?:stories|articles|news))?"
    r"|trending(?:\s+(?:now|stories|news|topics))?|top\s+(?:stories|news|headlines)|latest\s+(?:news|headlines|stories)"
    r"|editor'?s\s+picks?|don'?t\s+miss|further\s+reading|related\s+topics"
    r"|you\s+(?:may|might)\s+(?:also\s+)?like(?:\s+these\s+(?:posts|stories|articles))?"
    r"|most\s+read\s+in\s+(?-i:[A-Z])[^.!?,;]*|(?:popular|recent|latest)\s+posts|we\s+recommend|explore\s+further"
    r"|latest\s+videos|more\s+coverage"
    r"|(?:berita\s+)?terpopuler|berita\s+(?:terkini|lainnya|pilihan)|pilihan\s+editor|jangan\s+lewatkan"
    r"|meistgelesen|meistkommentiert|das\s+könnte\s+sie\s+auch\s+interessieren|auch\s+interessant"
    r"|sur\s+le\s+même\s+sujet|les\s+plus\s+lus|(?:à\s+)?voir\s+aussi"
    r"|lo\s+más\s+(?:leído|visto)|noticias\s+relacionadas|(?:también\s+)?te\s+puede\s+interesar"
    r"|mais\s+lidas|notícias\s+relacionadas|saiba\s+mais"
    r")\s*[:»›>]*$",
    re.IGNORECASE,
)
_LIST_HEADING_MAX_WORDS = 7
# A headline followed by a "read more" arrow: "Sonia Gandhi gives nod ... - Read More »»".
_TRAILING_MORE = re.compile(
    r"\S.*(?:read\s+more|baca\s+selengkapnya|leia\s+mais|lire\s+la\s+suite|weiterlesen|leer\s+más)"
    r"\s*(?:»|›|>>|→|\.\.\.|…)+\s*$",
    re.IGNORECASE,
)
# The arrow tokens _TRAILING_MORE ends with: a line that does not end with
# one (most lines) cannot match, and is spared the pattern's backtracking
# through every position of the line.
_MORE_ARROWS = ("»", "›", ">>", "→", "...", "…")
# A teaser's excerpt cut off by an ellipsis, then the link: "Ever come home
# from a day of shopping and wondered why… Read more".
_CUT_THEN_MORE = re.compile(
    r"\S.*(?:…|\.\.\.)\s*(?:read\s+more|continue\s+reading|baca\s+selengkapnya|selengkapnya|weiterlesen"
    r"|lire\s+la\s+suite|leer\s+más|seguir\s+leyendo|leia\s+mais|continue\s+lendo)(?:\s*[»›>→]+)?"
    r"(?:\s+(?:read\s+more|continue\s+reading))?\s*$",
    re.IGNORECASE,
)
# "Also on rt.com <headline>": a teaser naming the site it links to.
_ALSO_ON_SITE = re.compile(r"^also\s+on\s+[\w-]+\.[a-z]{2,}\b", re.IGNORECASE)
# "Klik di sini" (click here) opens a call to follow a link, never a sentence
# of reporting.
_CLICK_HERE = re.compile(r"^klik\s+di\s*sini\b", re.IGNORECASE)

# A teaser headline is short; longer lines are kept because dropping a real
# paragraph loses content while keeping a teaser only adds noise.
_TEASER_MAX_WORDS = 40

# Prompts to rate, like or comment on the article, matched as whole lines.
_ENGAGEMENT = re.compile(
    r"^(?:"
    r"(?:do|did)\s+you\s+(?:like|enjoy|love)\s+this\s+(?:article|story|post|page)"
    r"|was\s+this\s+(?:article|story|post|page|information)\s+"
    r"(?:helpful|useful|interesting)"
    r"|(?:how\s+would\s+you\s+)?rate\s+this\s+(?:article|story|post)"
    r"|leave\s+a\s+(?:comment|reply)"
    r"|(?:apakah\s+)?artikel\s+ini\s+(?:bermanfaat|membantu|menarik)"
    r"|suka\s+(?:dengan\s+)?artikel\s+ini"
    r"|like\s+this\s+(?:article|story)\?\s*share\s+it\s+with\s+a\s+friend"
    r"|tell\s+us\s+what\s+you\s+think|what\s+do\s+you\s+think|join\s+the\s+(?:conversation|discussion)"
    r"|have\s+your\s+say|let\s+us\s+know\s+(?:what\s+you\s+think\s+)?in\s+the\s+comments"
    r"|bagaimana\s+pendapat\s+anda|was\s+meinen\s+sie|qu'en\s+pensez-vous|¿?qué\s+opinas|o\s+que\s+você\s+acha"
    r"|(?:tulis|berikan|kirim)\s+komentar(?:\s+anda)?"
    r")\s*[?!.:]*$",
    re.IGNORECASE,
)

# A widget's counter alone on a line: "258 Shares", "0 Comments", "193 claps".
_COUNTER = re.compile(
    r"^\d[\d.,]*\s*[kKmM]?\s+(?:shares?|comments?|claps?|likes?|reactions?|responses?|replies"
    r"|komentar|kommentare?|commentaires?|comentarios?|comentários?|partages?|compartidos?)$",
    re.IGNORECASE,
)


def rule_teaser_link(ctx: LineContext) -> Verdict | None:
    """A 'Read also: <headline>' line linking to an unrelated story."""
    line = ctx.line
    if ctx.n_words > _TEASER_MAX_WORDS:
        return None
    if _TEASER_ALONE.match(line) or _TEASER_PUNCT.match(line):
        return Verdict(reasons.TEASER_LINK, drop=True)
    if (
        _CLICK_HERE.match(line)
        or (line.rstrip().endswith(_MORE_ARROWS) and _TRAILING_MORE.match(line))
        or _ALSO_ON_SITE.match(line)
        or (("…" in line or "..." in line) and _CUT_THEN_MORE.match(line))
    ):
        return Verdict(reasons.TEASER_LINK, drop=True)
    if ctx.n_words <= _LIST_HEADING_MAX_WORDS and _LIST_HEADING.match(line):
        return Verdict(reasons.TEASER_LINK, drop=True)
    m = _TEASER_SPACE.match(line)
    if m:
        first = m.group("rest")[0]
        if first.isupper() or first in "\"'“\u2018«":
            return Verdict(reasons.TEASER_LINK, drop=True)
    return None


def rule_engagement_prompt(ctx: LineContext) -> Verdict | None:
    """'Do you like this article?' and other rate/comment prompts; '258 Shares'."""
    if _ENGAGEMENT.match(ctx.line) or (ctx.n_words <= 3 and _COUNTER.match(ctx.line)):
        return Verdict(reasons.ENGAGEMENT_PROMPT, drop=True)
    return None
