"""The rules added for page dumps and extracted pages: timestamps, teaser list
headings in six languages, trailing "Read more »" teasers, more engagement
prompts and affiliate notes. Keep and drop cases for each, in an article."""

from __future__ import annotations

from cleaners import reasons
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_TEXT, Document, make_doc_id
from tests.test_rules import check


def test_timestamp() -> None:
    check(
        reasons.TIMESTAMP,
        drop=[
            "17H ago",
            "updated 16M ago",
            "3 hours ago",
            "2 jam yang lalu",
            "vor 5 Minuten",
            "Tuesday November 19, 2019",
            "Updated 3:27 am PST, Wednesday, November 20, 2019",
            "11/19/2019 07:57 PM",
            "19.11.2019",
            "2019-11-19",
            "19/11/19",
            "Senin, 12 Maret 2024 10:15 WIB",
            "5 min read",
            "Tempo de leitura: 2 minutos",
        ],
        keep=[
            "May 2019 was the hottest month on record in the city.",
            "On May 5 we met him at 10 pm",
            "March 5, 2024: the day it all changed",
            "Chapter 5",
            "1999",
            # version numbers are not dates
            "4.2.3",
            "10.15.7",
        ],
    )


def test_timestamp_keeps_the_date_as_metadata() -> None:
    text = "Headline of the story about the town\nTuesday November 19, 2019\nThe council met on Tuesday and agreed."
    raw = text.encode()
    doc = Document(doc_id=make_doc_id("m", raw), source_uri="m", source="t", body_kind=KIND_TEXT, raw=raw, text=text)
    cleaned = apply_line_rules(doc)
    assert cleaned.published_at == "2019-11-19"
    assert [r.rule for r in cleaned.removed] == [reasons.TIMESTAMP]


def test_teaser_list_headings_and_trailing_read_more() -> None:
    check(
        reasons.TEASER_LINK,
        drop=[
            "More in World",
            "More From Dawgs By Nature",
            "Most read",
            "Trending now",
            "Editor's picks",
            "Don't miss",
            "You may also like",
            "Also on rt.com Journalists threatened with arrests as Bolivia purges socialists",
            "Berita Terkini",
            "Terpopuler",
            "Meistgelesen",
            "Sur le même sujet",
            "Lo más leído",
            "Mais lidas",
            "Sonia Gandhi gives nod to Congress alliance with Shiv Sena: Reports - Read More »»",
        ],
        keep=[
            "More in Common, a charity, said the survey showed a divided country.",
            "More from the same report showed that rents rose again.",
            "Most read the statement as a climbdown.",
            "Trending topics on social media included the vote.",
        ],
    )


def test_more_engagement_prompts_and_affiliate_notes() -> None:
    check(
        reasons.ENGAGEMENT_PROMPT,
        drop=["Like this story? Share it with a friend!", "Tell us what you think", "What do you think?"],
        keep=["What do you think the minister meant by that remark, asked one reporter."],
    )
    check(
        reasons.ADVERTISEMENT,
        drop=[
            "Microsoft may earn an Affiliate Commission if you purchase something through recommended links.",
            "Using an ad blocker?",
            "Reklama",
        ],
        keep=["The firm may earn a large commission on the sale, analysts said, which angered shareholders."],
    )
