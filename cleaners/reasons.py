"""Every reason code a line rule can record, in one place.

A `RemovedLine.rule` is always one of these codes, so reports and the
warehouse can group removals by a stable key and explain each one to a
reader. Add a code here before any rule uses it.
"""

from __future__ import annotations

TEASER_LINK = "teaser_link"
ENGAGEMENT_PROMPT = "engagement_prompt"
CAPTCHA = "captcha"
ADVERTISEMENT = "advertisement"
SHARE_PROMPT = "share_prompt"
NEWSLETTER_PROMPT = "newsletter_prompt"
COOKIE_BANNER = "cookie_banner"
COPYRIGHT_FOOTER = "copyright_footer"
NAVIGATION_RUN = "navigation_run"
SECTION_LABEL = "section_label"
PHOTO_CREDIT = "photo_credit"
IMAGE_CAPTION = "image_caption"
DOUBLED_LINE = "doubled_line"
BYLINE = "byline"
DATELINE = "dateline"
AUTHOR_BIO = "author_bio"
TIMESTAMP = "timestamp"
OUTSIDE_ARTICLE = "outside_article"
HEADLINE = "headline"
LEARNED_CHROME = "learned_chrome"

REASONS: dict[str, str] = {
    TEASER_LINK: ("a link to another story ('Baca:', 'Read more:', 'Lesen Sie auch:', 'Next article:' ...)"),
    ENGAGEMENT_PROMPT: "a prompt to rate or comment ('Do you like this article?') or a counter ('258 Shares')",
    CAPTCHA: "a captcha form label left over from a comment or vote widget",
    ADVERTISEMENT: "an advertisement slot label ('Advertisement', 'Iklan')",
    SHARE_PROMPT: "a share or follow prompt ('Share this article', 'Bagikan') or a one-line share bar",
    NEWSLETTER_PROMPT: "a subscribe or newsletter sign-up prompt",
    COOKIE_BANNER: "a cookie-consent banner ('We use cookies ...')",
    COPYRIGHT_FOOTER: "a copyright or rights footer ('© 2024 ...', 'Hak cipta')",
    NAVIGATION_RUN: "one of five or more consecutive short menu-like lines",
    SECTION_LABEL: "a short site-section label above the headline ('Security')",
    PHOTO_CREDIT: "a photo credit alone on a line ('Foto: X', '(Photo by X)')",
    IMAGE_CAPTION: "an image caption ending in a bracketed credit ('[Reuters]')",
    DOUBLED_LINE: "an exact repeat of the previous line (not a paragraph); the first copy is kept",
    BYLINE: "an author line ('By Jane Doe', 'Penulis: X'); author kept as metadata",
    DATELINE: "a dateline prefix ('JAKARTA, KOMPAS.com -'); the body text is kept",
    AUTHOR_BIO: "the author's biography trailing the article",
    TIMESTAMP: "a date, time or reading time alone on a line ('17H ago', '5 min read'); a date is kept as metadata",
    LEARNED_CHROME: "a line recurring in many documents of the same source (thresholds in cleaners/learned_chrome.py)",
    OUTSIDE_ARTICLE: "a line of a whole-page text dump outside the article's main block (menus, other stories)",
    HEADLINE: "the headline over the article in a whole-page text dump; kept as the document's title, not in its text",
}
