"""Rules for page chrome: widgets, ads, share bars, banners and footers.

Each pattern is anchored at the start of the line (and mostly at the end
too) and each rule caps the line length: chrome is short, and a long line
that merely starts like chrome is more likely a real paragraph.
"""

from __future__ import annotations

import re

from cleaners import reasons
from cleaners.rules_context import LineContext, Verdict

# "Captcha *" is the label of a form field (the star marks it required); a
# line holding little else is widget residue, not reporting about captchas.
_CAPTCHA = re.compile(
    r"^(?:enter\s+(?:the\s+)?|kode\s+|type\s+the\s+)?captcha"
    r"(?:\s+(?:code|kode|image|verification))?\s*[*:]*$",
    re.IGNORECASE,
)

# Ad-slot labels and "continue reading" bars, matched as whole lines only:
# the words themselves ("iklan", "advertisement") also occur in reporting.
_ADVERT = re.compile(
    r"^[-\u2013—\s]*(?:"
    r"advertisements?|advertising|sponsored(?:\s+content)?|paid\s+content"
    r"|iklan|anzeige|werbung|reklama|publicidad|publicidade|publicité|pubblicità"
    r"|using\s+an\s+ad\s*blocker\??"
    r"|scroll\s+(?:down\s+)?to\s+continue(?:\s+(?:with|reading)\s+content)?"
    r"|(?:story|article)\s+continues\s+below(?:\s+(?:this\s+)?ad(?:vertisement)?)?"
    r"|continue\s+reading\s+below"
    r"|gulir\s+untuk\s+melanjutkan(?:\s+membaca)?"
    r")[-\u2013—\s.:]*$",
    re.IGNORECASE,
)

# Social networks named in share and follow bars.
_NETWORK = (
    r"(?:facebook|twitter|x|instagram|whatsapp|telegram|linkedin|tiktok"
    r"|youtube|threads|line|google\s+news|email|e-mail)"
)
# Share and follow prompts: "Share this article", "Share on Facebook",
# "Follow us on Twitter", "Bagikan", "Ikuti kami di Instagram".
_SHARE = re.compile(
    r"^(?:"
    r"share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|link))?"
    rf"(?:\s+(?:on|via|to)\s+{_NETWORK})?"
    rf"|follow\s+(?:us|me)(?:\s+on\s+{_NETWORK}(?:\s*(?:,|and|&)\s*{_NETWORK})*)?"
    r"|bagikan(?:\s+(?:artikel|berita)(?:\s+ini)?)?"
    rf"(?:\s+(?:ke|di|via|lewat)\s+{_NETWORK})?"
    r"|ikuti\s+(?:kami|kanal|channel|akun)\b.*"
    r"|tweet|teilen|partager|compartir|compartilhe"
    r")\s*[:!.]*$",
    re.IGNORECASE,
)
_SHARE_MAX_WORDS = 12
# A share bar flattened onto one line: nothing but two or more network names
# ("Facebook Twitter Email LinkedIn", "Email • Twitter", "FacebookTwitter").
SHARE_BAR_ITEM = (
    r"(?:facebook|twitter|instagram|whatsapp|telegram|linkedin|tiktok|youtube|threads|pinterest"
    r"|reddit|tumblr|flipboard|messenger|pocket|email|e-mail|mail|print|sms|copy\s+link)"
)
_SHARE_BAR = re.compile(rf"^(?:{SHARE_BAR_ITEM}[\s,|·•/]*){{2,}}$", re.IGNORECASE)

# Subscribe and newsletter prompts. These start with an imperative and are
# allowed a short sales pitch after it, so only the start is anchored.
_NEWSLETTER = re.compile(
    r"^(?:"
    r"subscribe\b"
    r"|sign\s+up\s+(?:for|to)\b.*\bnewsletters?\b"
    r"|(?:get|receive)\s+(?:our|the)\b.*\bnewsletters?\b"
    r"|(?:join|subscribe\s+to)\s+our\s+(?:mailing\s+list|newsletter)"
    r"|newsletters?\s*[:!]?$"
    r"|(?:ber)?langganan\s*(?:sekarang|gratis|newsletter|[:!]|$)"
    r"|daftar(?:kan\s+diri)?\s+(?:ke\s+)?newsletter\b"
    r"|abonnieren\b|abonnez-vous\b|suscr[íi]bete\b|assine\b"
    r")",
    re.IGNORECASE,
)
_NEWSLETTER_MAX_WORDS = 25

# Cookie-consent banners: the sentence starts with the site speaking about
# cookies, or is a consent button / policy link label.
_COOKIE = re.compile(
    r"^(?:"
    r"(?:we|this\s+(?:web)?site|our\s+(?:web)?site)\s+uses?\s+cookies\b"
    r"|by\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+this\s+(?:web)?site\b.*\bcookies?\b"
    r"|(?:accept|allow|reject|manage)\s+(?:all\s+)?cookies?\b"
    r"|cookies?\s+(?:policy|settings|preferences|consent)\s*$"
    r"|(?:kami|situs\s+ini)\s+menggunakan\s+cookies?\b"
    r"|wir\s+verwenden\s+cookies\b|nous\s+utilisons\s+des\s+cookies\b"
    r"|utilizamos\s+cookies\b|usamos\s+cookies\b"
    r")",
    re.IGNORECASE,
)
_COOKIE_MAX_WORDS = 60

# Copyright footers: a © sign or "Copyright" followed by © or a year. Plain
# "Copyright law ..." is a sentence about copyright, so it is not matched.
_COPYRIGHT_START = re.compile(r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))", re.IGNORECASE)
# "All rights reserved" and the Indonesian "Hak cipta dilindungi
# (undang-undang)" mark a footer wherever they sit in a short line.
_RIGHTS = re.compile(
    r"\ball\s+rights\s+reserved\b|^hak\s+cipta\s*(?:©|\d{4})|\bhak\s+cipta\s+dilindungi\b"
    r"|\balle\s+rechte\s+vorbehalten\b|\btous\s+droits\s+réservés\b"
    r"|\btodos\s+los\s+derechos\s+reservados\b",
    re.IGNORECASE,
)
_COPYRIGHT_MAX_WORDS = 30


# Every match of _RIGHTS holds one of _RIGHTS_WORDS; every match of _AFFILIATE
# holds "commission" (see _may_hold).
_RIGHTS_WORDS = ("rights", "cipta", "rechte", "droits", "derechos")
_AFFILIATE_WORDS = ("commission",)


def _may_hold(line: str, words: tuple[str, ...]) -> bool:
    """False only when `line` cannot match an IGNORECASE pattern every match
    of which holds one of `words` (lower-case ASCII): a cheap test that spares
    most lines a pattern that is tried at every position or backtracks.

    On an ASCII line IGNORECASE is plain ASCII case folding, so a match means
    the line's lower case holds the word. Other lines go to the pattern, since
    Unicode case folding has surprises ("ſ" matches "s", "ı" matches "i").
    """
    if not line.isascii():
        return True
    lower = line.lower()
    return any(word in lower for word in words)


def rule_captcha(ctx: LineContext) -> Verdict | None:
    """'Captcha *': a comment/vote form field label."""
    if _CAPTCHA.match(ctx.line):
        return Verdict(reasons.CAPTCHA, drop=True)
    return None


# Affiliate disclosures: "X may earn an affiliate commission if you buy ...".
_AFFILIATE = re.compile(
    r"^(?:[\w.&'-]+\s+){0,4}(?:may|might|can)\s+(?:earn|receive|get)\s+an?\s+(?:small\s+)?"
    r"(?:affiliate\s+)?commission\b",
    re.IGNORECASE,
)
_AFFILIATE_MAX_WORDS = 40


def rule_advertisement(ctx: LineContext) -> Verdict | None:
    """'Advertisement', 'Iklan', 'Scroll to continue with content', affiliate notes."""
    line = ctx.line
    if _ADVERT.match(line):
        return Verdict(reasons.ADVERTISEMENT, drop=True)
    if ctx.n_words <= _AFFILIATE_MAX_WORDS and _may_hold(line, _AFFILIATE_WORDS) and _AFFILIATE.match(line):
        return Verdict(reasons.ADVERTISEMENT, drop=True)
    return None


def rule_share_prompt(ctx: LineContext) -> Verdict | None:
    """'Share this article', 'Follow us on Twitter', 'Bagikan'."""
    if ctx.n_words <= _SHARE_MAX_WORDS and (_SHARE.match(ctx.line) or _SHARE_BAR.match(ctx.line)):
        return Verdict(reasons.SHARE_PROMPT, drop=True)
    return None


def rule_newsletter_prompt(ctx: LineContext) -> Verdict | None:
    """'Subscribe to our newsletter' and similar sign-up prompts."""
    if ctx.n_words <= _NEWSLETTER_MAX_WORDS and _NEWSLETTER.match(ctx.line):
        return Verdict(reasons.NEWSLETTER_PROMPT, drop=True)
    return None


def rule_cookie_banner(ctx: LineContext) -> Verdict | None:
    """'We use cookies to ...' consent banners."""
    if ctx.n_words <= _COOKIE_MAX_WORDS and _COOKIE.match(ctx.line):
        return Verdict(reasons.COOKIE_BANNER, drop=True)
    return None


def rule_copyright_footer(ctx: LineContext) -> Verdict | None:
    """'© 2024 Site', 'Copyright 2024 ...', 'All rights reserved'."""
    line = ctx.line
    if ctx.n_words > _COPYRIGHT_MAX_WORDS:
        return None
    if _COPYRIGHT_START.match(line) or (_may_hold(line, _RIGHTS_WORDS) and _RIGHTS.search(line)):
        return Verdict(reasons.COPYRIGHT_FOOTER, drop=True)
    return None
