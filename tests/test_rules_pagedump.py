"""Rules for what a whole-page text dump leaves around the article: share bars
flattened onto one line, links to the previous and next story, more headings
over lists of other stories, and cut-off excerpts followed by "Read more".
Keep and drop cases for each."""

from __future__ import annotations

from cleaners import reasons
from tests.test_rules import check


def test_share_bar_on_one_line() -> None:
    check(
        reasons.SHARE_PROMPT,
        drop=[
            "Facebook Twitter Email LinkedIn Reddit Pinterest",
            "Email • Twitter",
            "facebook twitter print email",
            "FacebookTwitter Pinterest",
            "Messenger Facebook",
        ],
        keep=[
            "Facebook and Twitter removed the accounts on Tuesday.",
            "Twitter",  # one name is a subheading or a menu item, not a share bar
            "Email Twitter users about the outage, the company told its staff.",
        ],
    )


def test_previous_and_next_story_links() -> None:
    check(
        reasons.TEASER_LINK,
        drop=[
            "Previous article Reviews of Pizza Express after the royal visit",
            "Next article: Kidnapped girl rescued by police in dramatic footage",
            "Next Post:Tech Level course to help young mechanics",
            "Previous Post",
            "Next Story",
            "Artikel Selanjutnya: Harga Cabai Naik Jelang Lebaran",
            "Nächster Artikel: Neue Bibliothek eröffnet",
            "Article suivant",
        ],
        keep=[
            "Next story in the series will look at the budget, the editor said.",
            "Previous articles of the treaty were amended twice.",
        ],
    )


def test_more_list_headings() -> None:
    check(
        reasons.TEASER_LINK,
        drop=[
            "You may like these posts",
            "YOU MAY LIKE",
            "Most read in Science",
            "Popular Posts",
            "Recent Posts",
            "We Recommend",
            "Explore further",
            "Latest videos",
            "More Coverage",
        ],
        keep=[
            "Most read in silence, the survey found.",
            "We recommend that the council delays the vote until March.",
            "Explore further afield and the prices drop quickly.",
        ],
    )


def test_cut_off_excerpt_then_read_more() -> None:
    check(
        reasons.TEASER_LINK,
        drop=[
            "Ever come home from a day of shopping and wondered why on earth you bought it… Read more Read more",
            "Harga cabai di pasar tradisional naik tajam menjelang Lebaran, dan pedagang... Baca selengkapnya",
            "Die Stadt hat am Dienstag ihre neue Bibliothek eröffnet… Weiterlesen »",
        ],
        keep=[
            "He paused… then told us to read more slowly and carefully.",
            "Read more widely, the teacher said, and the exam will be easier… for most of you.",
        ],
    )


def test_labelled_timestamps() -> None:
    check(
        reasons.TIMESTAMP,
        drop=[
            "First Published: Tuesday, November 19, 2019 08:38 AM",
            "PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 19, 2019 at 10:16 pm",
            "PUBLISHED: 00:01, Tue, Nov 19, 2019 | UPDATED: 10:43, Tue, Nov 19, 2019",
            "First published on November 20, 2019 / 1:07 AM",
            "Published: Monday, November 18th, 2019 at 11:08 a.m.",
            "Published 22 hours ago",
            "Updated at 1:23 p.m.",
        ],
        keep=[
            "Monday: 9:00",  # opening hours, not a timestamp
            "8:59",
            "Published on Monday, the report found that rents rose 5% in 2019.",
            "Updated figures for 2019: 18th of 20 regions",
        ],
    )


def test_widget_counters() -> None:
    check(
        reasons.ENGAGEMENT_PROMPT,
        drop=["258 Shares", "0 Comments", "193 claps", "1.2K shares", "12 komentar"],
        keep=["258 shares changed hands before noon.", "Comments", "2019 responses to the survey were counted."],
    )
