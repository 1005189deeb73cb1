"""outside_article: a page dump's menus and footers go, an article stays whole."""

from __future__ import annotations

import dataclasses

from cleaners import reasons
from cleaners.lines import apply_line_rules, classify_lines
from cleaners.record import KIND_TEXT, Document, make_doc_id
from cleaners.rules_block import MIN_OUTSIDE_LINES, line_score, main_block, word_equivalents
from cleaners.rules_cards import excerpt_runs

BODY = [
    "The river town opened its new library on Tuesday after three years of building work and debate.",
    "Mayor Alan Smith said the building would serve students, retirees and families who asked for it.",
    "A short subheading",
    "The library will be open seven days a week, and residents can register for a card at the desk.",
    "“We waited a long time,” said one reader.",
    "Officials expect the first year to bring more than ten thousand visitors from the region around it.",
]
MENU = ["Home", "News", "Sport", "Business", "Culture", "Opinion", "Weather", "Video", "Podcasts", "Contact"]
FOOTER = ["About us", "Privacy policy", "Terms of use", "Advertise with us", "Careers", "Site map"]


def rules_of(lines: list[str]) -> list[str | None]:
    return [o.verdict.rule if o.verdict else None for o in classify_lines("\n".join(lines))]


def test_page_dump_keeps_the_body_and_titles_it_with_the_headline() -> None:
    # the headline goes to the title, as HTML extraction returns it beside the text
    headline = "River Town Opens New Library After Three Years"
    lines = [*MENU, headline, *BODY, *FOOTER]
    rules = rules_of(lines)
    n_menu = len(MENU)
    assert set(rules[:n_menu]) <= {reasons.OUTSIDE_ARTICLE, reasons.NAVIGATION_RUN}
    assert rules[n_menu] == reasons.HEADLINE
    assert rules[n_menu + 1 : n_menu + 1 + len(BODY)] == [None] * len(BODY)
    assert set(rules[n_menu + 1 + len(BODY) :]) <= {reasons.OUTSIDE_ARTICLE, reasons.NAVIGATION_RUN}
    text = "\n".join(lines)
    raw = text.encode()
    doc = Document(doc_id=make_doc_id("t://x", raw), source_uri="t://x", source="t", body_kind=KIND_TEXT, raw=raw)
    doc = apply_line_rules(dataclasses.replace(doc, text=text))
    assert (doc.title, doc.clean_text) == (headline, "\n".join(BODY))
    # a title the reader gave wins; the headline still leaves the text
    doc = apply_line_rules(dataclasses.replace(doc, text=text, title="Given title"))
    assert (doc.title, doc.clean_text) == ("Given title", "\n".join(BODY))


def test_article_with_few_lines_around_is_untouched() -> None:
    lines = ["River Town Opens New Library", "Local news", *BODY, "Related", "Comments"]
    assert len(lines) - len(BODY) - 1 < MIN_OUTSIDE_LINES
    assert reasons.OUTSIDE_ARTICLE not in rules_of(lines)


def test_comments_end_the_block() -> None:
    comment = "I think this is a great idea and I hope the council keeps the library open late on weekends."
    lines = [*MENU, *BODY, "12 Comments", *[comment, "Reader name", "2 days ago"] * 6]
    rules = rules_of(lines)
    start = len(MENU) + len(BODY)
    assert rules[len(MENU) : start] == [None] * len(BODY)
    assert rules[start] == reasons.ENGAGEMENT_PROMPT  # "12 Comments": a counter, and the comments' heading
    assert set(rules[start + 1 :]) == {reasons.OUTSIDE_ARTICLE, reasons.TIMESTAMP}


def test_scores() -> None:
    assert line_score(BODY[0]) > 0
    assert line_score("Home") < 0
    assert line_score("Thanks!") == 0  # a short sentence is no evidence either way
    assert word_equivalents("一波波接續性低溫寒流報到") >= 5  # CJK characters count as words
    assert main_block(BODY) is None


def test_wordpress_comments_heading_quoting_the_title_ends_the_block() -> None:
    comment = "I read this twice and shared it with my team; the point about the budget is spot on."
    for heading in (
        "12 thoughts on “River Town Opens New Library After Three Years”",
        'One response to "River Town Opens New Library"',
        "3 Gedanken zu „Neue Bibliothek eröffnet“",
        "2 réflexions sur « La nouvelle bibliothèque »",
    ):
        lines = [*MENU, *BODY, heading, *[comment, "Reader name", "November 19, 2019"] * 6]
        rules = rules_of(lines)
        start = len(MENU) + len(BODY)
        assert rules[len(MENU) : start] == [None] * len(BODY), heading
        assert rules[start] == reasons.OUTSIDE_ARTICLE, heading
        assert reasons.OUTSIDE_ARTICLE in rules[start + 1 :] and None not in rules[start + 1 :], heading


def test_thoughts_on_without_a_quoted_title_is_prose() -> None:
    # "Two thoughts on ..." opening a paragraph of the article is not the comments heading
    body = [*BODY[:3], "Two thoughts on the plan come from the council's budget office this week.", *BODY[3:]]
    extra = "The budget office also said it would report again on the library's costs in the spring."
    rules = rules_of([*MENU, *body, extra, *FOOTER])
    assert rules[len(MENU) : len(MENU) + len(body) + 1] == [None] * (len(body) + 1)


def test_lines_the_named_rules_removed_do_not_make_an_article_a_page_dump() -> None:
    # A scraped article as sift mostly sees it: a menu, a byline, teasers and
    # a footer, all removed by the named rules. Those removed lines are not
    # the page-dump evidence MIN_OUTSIDE_LINES asks for: counting them (tried,
    # then reverted) cut short edge paragraphs, like the last one here, from
    # 13 % of a generated corpus's articles.
    teasers = ["Read more: Before the lane was closed to traffic", "Read also: Council approves the budget"]
    footer = [
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Do you like this article?",
        "Subscribe to our newsletter for the latest news",
        "© 2024 Site 42. All rights reserved.",
    ]
    last = "And in a town called Halifax, a group of readers waits"
    lines = [*MENU[:7], "By Ahmad Fauzi", BODY[0], *teasers, *BODY[1:], last, *footer]
    rules = rules_of(lines)
    assert sum(rule is not None for rule in rules) >= MIN_OUTSIDE_LINES  # as many removed lines as a dump has
    assert [line for line, rule in zip(lines, rules, strict=True) if rule is None] == [*BODY, last]


def test_comments_in_a_share_bar_do_not_end_the_block() -> None:
    # a share bar a line per item ("Facebook", "Comments", "Print") under the
    # lede links to the comments; it does not open them
    lede = "The council voted late on Monday to fund the library for another ten years, ending a long debate."
    share_bar = ["Facebook", "Twitter", "Comments", "Print", "Email"]
    headline = "River Town Opens New Library After Three Years"
    more = [
        "Construction began three years ago on the site of the old market hall, which closed in the nineties.",
        "The architects kept the hall's brick front and added a reading room of glass that faces the river.",
        "Council members said the final cost came in slightly under the budget they approved two years ago.",
    ]
    # other stories' headlines after the article: enough lines outside it for a page dump
    others = [f"Story {n} about the river district and its new council" for n in range(MIN_OUTSIDE_LINES)]
    lines = [*MENU, headline, lede, *BODY[:3], *share_bar, *BODY[3:], *more, *others, *FOOTER]
    rules = rules_of(lines)
    kept = [line for line, rule in zip(lines, rules, strict=True) if rule is None]
    assert kept[-len(BODY[3:]) - len(more) :] == [*BODY[3:], *more]
    # after the article, the heading still opens the comments
    comment = "I think this is a great idea and I hope the council keeps the library open late on weekends."
    rules = rules_of([*MENU, headline, lede, *BODY, "Comments", *[comment, "Reader name"] * 6])
    assert rules[len(MENU)] == reasons.HEADLINE
    assert rules[len(MENU) + 1 : len(MENU) + 2 + len(BODY)] == [None] * (1 + len(BODY))
    assert set(rules[len(MENU) + 2 + len(BODY) :]) == {reasons.OUTSIDE_ARTICLE}


CARDS = [
    (
        "Council approves a new bridge over the river",
        "The vote ends two years of debate over the crossing, which will open to cyclists first.",
    ),
    (
        "Harbour festival returns after a long break",
        "Thousands are expected on the waterfront for three days of music, food and boat races.",
    ),
    (
        "School board names its new head of schools",
        "The former teacher takes over in January and has promised to review the district budget.",
    ),
    (
        "Storm damage closes the coastal road for a week",
        "Crews are clearing fallen trees and repairing the sea wall near the old lighthouse.",
    ),
    (
        "Local bakery wins a national bread award",
        "The family-run shop has baked on the same corner for sixty years and plans to expand.",
    ),
    (
        "Night buses will run again from the station",
        "The council restores two routes that were cut last spring, after a petition.",
    ),
    (
        "Museum shows the oldest maps of the town",
        "The exhibition brings together charts of the river drawn over four centuries by its pilots.",
    ),
]


def test_a_list_of_story_cards_after_the_article_is_outside_it() -> None:
    # other stories as cards (headline, one-sentence summary): each summary is
    # prose, but a run of them is a list, not more of the article
    headline = "River Town Opens New Library After Three Years"
    cards = [line for card in CARDS for line in card]
    lines = [*MENU, headline, *BODY, "More from River Town", *cards, *FOOTER]
    rules = rules_of(lines)
    kept = [line for line, rule in zip(lines, rules, strict=True) if rule is None]
    assert kept == BODY


def test_two_short_sections_under_subheadings_stay() -> None:
    # one or two short paragraphs under subheadings are the article's sections
    headline = "River Town Opens New Library After Three Years"
    sections = [line for card in CARDS[:2] for line in card]
    lines = [*MENU, headline, *BODY, *sections, BODY[0], *FOOTER]
    rules = rules_of(lines)
    kept = [line for line, rule in zip(lines, rules, strict=True) if rule is None]
    assert kept == [*BODY, *sections, BODY[0]]


def test_a_menu_flattened_onto_one_line_is_no_prose() -> None:
    # items between pipes or spaced bullets are labels, however long the line
    for menu in (
        "Hospital Solutions | Senior Care Solutions | Psychiatric Care | Police Stations | Correctional Facilities",
        "Budget Tips • Scripting for Beginners • Home Automation • Data Recovery • Tablet Workflows • Location Sharing",
        "Terms of Service | Privacy Policy | Cookie Policy | Accessibility | Site Map | Contact the newsroom",
    ):
        assert line_score(menu) < 0, menu
    # a sentence with a pipe or two, or Catalan's middle dot, is still prose
    for prose in (
        "The council said the plan | as drafted in May | would cost less than the one the mayor proposed last year.",
        "La col·lecció del museu inclou més de mil mapes antics de la ciutat, segons va explicar ahir la directora.",
    ):
        assert line_score(prose) > 0, prose


def test_a_headline_glued_to_its_summary_is_no_prose() -> None:
    # a dump that runs a card's title-case headline into its summary ("...
    # Title RunDenny Hamlin's ...") shows a teaser card, not article prose
    for card in (
        "Tape Gaffe Ends River Town's Title RunDenny Hamlin's championship run was foiled by the tale of the tape.",
        "Council Approves New Bridge Over The RiverThe vote ends two years of debate over the crossing to the island.",
        "Library Opens After Three Years Of WorkA new reading room faces the river and opens every day of the week.",
        "Warga Jakarta Sambut Perpustakaan BaruSebanyak dua ribu orang datang pada hari pertama untuk melihatnya.",
    ):
        assert line_score(card) == 0, card
    # a brand or a name inside a sentence is no glue; nor is a bio's sentence
    for prose in (
        "Teens love Apple's AirPods, and they're putting them on their holiday wish lists more than ever before.",
        "Wichita East's Hugh McPherson won first place in the 100 yard freestyle at the state meet on Saturday.",
        "Jane Doe is the Senior Editor of 9to5Toys. Since joining in 2014, she has written about deals and reviews.",
        "The council said the new PlayStation café by the river would open next spring, after a long delay.",
    ):
        assert line_score(prose) > 0, prose
    # so a list of such cards does not outweigh the article above it
    headline = "River Town Opens New Library After Three Years"
    cards = [f"{title.title()}{summary}" for title, summary in CARDS]
    # other stories' headlines after the article: enough lines outside it for a page dump
    others = [f"Story {n} about the river district and its new council" for n in range(MIN_OUTSIDE_LINES)]
    lines = [*MENU, headline, *BODY, "Latest Headlines", *cards, *others, *FOOTER]
    rules = rules_of(lines)
    kept = [line for line, rule in zip(lines, rules, strict=True) if rule is None]
    assert kept == BODY


def test_a_list_of_cut_off_excerpts_is_no_prose() -> None:
    # other stories as excerpts cut off mid-phrase ("... may soon...") do not
    # outweigh the article, however long each one is
    headline = "River Town Opens New Library After Three Years"
    excerpts = [f"{title}: {summary[:-1]} and the council said on Tuesday that the..." for title, summary in CARDS]
    others = [f"Story {n} about the river district and its new council" for n in range(MIN_OUTSIDE_LINES)]
    lines = [*MENU, headline, *BODY, "Breaking News", *excerpts, *others, *FOOTER]
    assert all(line_score(line) > 0 for line in excerpts)  # each reads as prose alone
    rules = rules_of(lines)
    kept = [line for line, rule in zip(lines, rules, strict=True) if rule is None]
    assert kept == BODY
    # an article's own lines trailing off stay: two among whole paragraphs,
    # or Chinese sentences ending in "..." as a pause
    trailing = "She said she would think about the library again in the spring, and then..."
    body = [*BODY[:2], trailing, *BODY[2:4], trailing.replace("spring", "summer"), *BODY[4:]]
    assert excerpt_runs(body, [line_score(line) for line in body]) == []
    chinese = ["我们今天去了新的图书馆，看了很多很多的书，还喝了咖啡..."] * 4
    assert excerpt_runs(chinese, [line_score(line) for line in chinese]) == []


def test_menus_as_long_as_a_page_dump_s_count_as_its_evidence() -> None:
    # a whole page: header and footer menus (16 items, all removed as menu
    # items) and a few other stories' headlines: those go with the menus
    headline = "River Town Opens New Library After Three Years"
    others = [
        "Council approves a new bridge over the river after two years",
        "Harbour festival returns to the waterfront after a long break",
        "School board names the former teacher as its new head of schools",
    ]
    lines = [*MENU, headline, *BODY, "More from River Town", *others, *FOOTER]
    assert len(MENU) + len(FOOTER) >= MIN_OUTSIDE_LINES > len(others) + 1
    rules = rules_of(lines)
    kept = [line for line, rule in zip(lines, rules, strict=True) if rule is None]
    assert kept == BODY
    # a scraped article's header menu of a few items is no such evidence
    lines = [*MENU[:7], headline, *BODY, "More from River Town", *others]
    kept = [line for line, rule in zip(lines, rules_of(lines), strict=True) if rule is None]
    assert kept == [headline, *BODY, *others]  # "More from River Town" is a teaser link
