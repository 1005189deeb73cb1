"""The line rules, in the order they are asked.

Each rule is a pure function `rule_x(ctx: LineContext) -> Verdict | None`
(None = no opinion) living in a themed module; this module assembles them
into `RULES` and re-exports the types, so callers import from one place.

Order matters only where two rules could claim the same line; the first
dropping or replacing verdict wins:
- `image_caption` runs before `doubled_line`, so both copies of a repeated
  caption are recorded as captions (both are chrome, not just the second);
- specific chrome rules run before `navigation_run`, so a short "Bagikan" or
  "Advertisement" inside a menu is recorded under its own reason;
- `byline` runs before `dateline`, so "By Jane Doe - Reuters" is a byline.
"""

from __future__ import annotations

from collections.abc import Callable

from cleaners.rules_chrome import (
    rule_advertisement,
    rule_captcha,
    rule_cookie_banner,
    rule_copyright_footer,
    rule_newsletter_prompt,
    rule_share_prompt,
)
from cleaners.rules_context import LineContext, Verdict, build_contexts
from cleaners.rules_dateline import parse_date, rule_dateline
from cleaners.rules_layout import (
    rule_doubled_line,
    rule_navigation_run,
    rule_section_label,
)
from cleaners.rules_media import rule_image_caption, rule_photo_credit
from cleaners.rules_meta import rule_author_bio, rule_byline
from cleaners.rules_teaser import rule_engagement_prompt, rule_teaser_link
from cleaners.rules_time import rule_timestamp

Rule = Callable[[LineContext], "Verdict | None"]

RULES: tuple[Rule, ...] = (
    rule_section_label,
    rule_teaser_link,
    rule_engagement_prompt,
    rule_captcha,
    rule_advertisement,
    rule_share_prompt,
    rule_newsletter_prompt,
    rule_cookie_banner,
    rule_copyright_footer,
    rule_photo_credit,
    rule_image_caption,
    rule_byline,
    rule_dateline,
    rule_timestamp,
    rule_author_bio,
    rule_doubled_line,
    rule_navigation_run,
)

# The rules that read nothing of the context but `ctx.line`: their verdict is
# a function of the text alone, so cleaners/lines.py asks them once per
# distinct text of a document instead of once per fixpoint pass. A rule that
# looks at a neighbour, the rank or the total must not be listed here.
LINE_ONLY_RULES: frozenset[Rule] = frozenset(
    {
        rule_teaser_link,
        rule_engagement_prompt,
        rule_captcha,
        rule_advertisement,
        rule_share_prompt,
        rule_newsletter_prompt,
        rule_cookie_banner,
        rule_copyright_footer,
        rule_photo_credit,
        rule_image_caption,
        rule_byline,
        rule_dateline,
        rule_timestamp,
    }
)

__all__ = [
    "LINE_ONLY_RULES",
    "RULES",
    "LineContext",
    "Rule",
    "Verdict",
    "build_contexts",
    "parse_date",
    "rule_advertisement",
    "rule_author_bio",
    "rule_byline",
    "rule_captcha",
    "rule_cookie_banner",
    "rule_copyright_footer",
    "rule_dateline",
    "rule_doubled_line",
    "rule_engagement_prompt",
    "rule_image_caption",
    "rule_navigation_run",
    "rule_newsletter_prompt",
    "rule_photo_credit",
    "rule_section_label",
    "rule_share_prompt",
    "rule_teaser_link",
    "rule_timestamp",
]
