"""One test per reason code: lines the rule must drop and lines it must keep.

Each line is judged inside a small article (headline, body paragraphs) so the
position-dependent rules see a realistic neighbourhood; fixtures are written
here, in English and Indonesian.
"""

from __future__ import annotations

from cleaners import reasons
from cleaners.lines import classify_lines
from cleaners.rules import RULES

HEADLINE = "Budget talks resume in parliament after a long recess"
BEFORE = "The minister said on Tuesday that the new budget would be presented next week."
AFTER = "Opposition parties said they would study the proposal before voting on it."
CLOSING = "Debate on the bill is scheduled to begin in the first week of March."


def rule_in_body(line: str) -> str | None:
    """The reason code given to `line` placed mid-article, or None if kept."""
    text = "\n".join([HEADLINE, BEFORE, line, AFTER, CLOSING])
    outcome = classify_lines(text)[2]
    return outcome.verdict.rule if outcome.verdict else None


def check(code: str, drop: list[str], keep: list[str]) -> None:
    for line in drop:
        assert rule_in_body(line) == code, line
    for line in keep:
        assert rule_in_body(line) is None, line


def test_every_rule_code_is_documented():
    # each rule is named after the code it records, and every code is explained
    codes = {rule.__name__.removeprefix("rule_") for rule in RULES}
    assert len(codes) == len(RULES) == 17
    # the per-document rules are built in cleaners/lines.py, not listed in RULES
    # (outside_article records the page dump's headline under its own code)
    per_document = {reasons.LEARNED_CHROME, reasons.OUTSIDE_ARTICLE, reasons.HEADLINE}
    assert codes | per_document == set(reasons.REASONS)
    assert all(text.strip() for text in reasons.REASONS.values())


def test_teaser_link():
    check(
        reasons.TEASER_LINK,
        drop=[
            "Baca: Jokowi Tidak Diundang Panitia Reuni Akbar 212",
            "Baca juga: Harga Cabai Naik Jelang Lebaran",
            "BACA JUGA - Banjir Rendam Ribuan Rumah di Bekasi",
            "Simak juga: Video Detik-detik Kebakaran Pasar",
            "Lihat juga: Foto-foto Pelantikan Menteri",
            "Klik di sini untuk berita selengkapnya",
            "Artikel terkait",
            "Read more: Ten things to know about the budget",
            "Also read: Markets fall on rate fears",
            "Related: How the deficit grew",
            "RECOMMENDED",
            "See also: Budget timeline",
            "Lesen Sie auch: Die Haushaltsdebatte",
            "Mehr zum Thema: Steuern",
            "Lire aussi : La réforme des retraites",
            "À lire aussi",
            "Lea también: El presupuesto",
            "Te puede interesar: Las cifras del año",
            "Leia também: O orçamento",
            "Veja também: Os números",
            "Baca juga Harga Cabai Naik Jelang Lebaran",
        ],
        keep=[
            "Baca selengkapnya di sini kata dia bahwa anggaran akan dibahas pekan depan.",
            "Read more carefully, the proposal shows a larger deficit than expected.",
            "Related costs rose by four percent, the ministry said.",
            "Lihat saja angka inflasi yang terus naik sejak awal tahun.",
            "Baca-baca buku di perpustakaan adalah hobinya sejak kecil.",
        ],
    )


def test_engagement_prompt():
    check(
        reasons.ENGAGEMENT_PROMPT,
        drop=[
            "Do you like this article?",
            "Was this article helpful?",
            "Leave a comment",
            "Apakah artikel ini bermanfaat?",
        ],
        keep=["Do you like this budget? Most voters do not, a poll found.", "He asked: do you like this?"],
    )


def test_captcha():
    check(
        reasons.CAPTCHA,
        drop=["Captcha *", "Captcha", "Enter captcha:"],
        keep=["The site added a captcha after bots flooded the comment section."],
    )


def test_advertisement():
    check(
        reasons.ADVERTISEMENT,
        drop=["Advertisement", "ADVERTISEMENT", "Iklan", "Scroll to continue with content", "- Advertisement -"],
        keep=["Advertisement spending fell sharply in the second quarter.", "Iklan rokok dilarang tayang di televisi."],
    )


def test_share_prompt():
    check(
        reasons.SHARE_PROMPT,
        drop=["Share this article", "Share on Facebook", "Follow us on Twitter", "Bagikan", "Ikuti kami di Instagram"],
        keep=[
            "Share prices rose after the announcement.",
            "Bagikan bantuan itu kepada warga yang membutuhkan, kata dia.",
        ],
    )


def test_newsletter_prompt():
    check(
        reasons.NEWSLETTER_PROMPT,
        drop=["Subscribe to our newsletter", "Sign up for our daily newsletter", "Subscribe now", "Berlangganan"],
        keep=["Subscribers to the service rose to two million.", "Langganan listrik rumah tangga naik bulan ini."],
    )


def test_cookie_banner():
    check(
        reasons.COOKIE_BANNER,
        drop=[
            "We use cookies to improve your experience. By using this site you agree.",
            "This website uses cookies.",
            "Accept all cookies",
            "Kami menggunakan cookie untuk meningkatkan pengalaman Anda.",
        ],
        keep=["The regulator said many sites use cookies without asking for consent."],
    )


def test_copyright_footer():
    check(
        reasons.COPYRIGHT_FOOTER,
        drop=[
            "© 2024 Example News",
            "Copyright 2024 Example Media Group",
            "All rights reserved.",
            "Hak cipta dilindungi undang-undang",
        ],
        keep=[
            "Copyright law in the EU changed in 2019, the court noted.",
            "Hak cipta atas lagu itu dipegang oleh label rekaman sejak lama.",
        ],
    )


def test_photo_credit():
    check(
        reasons.PHOTO_CREDIT,
        drop=["Foto: Reno Esnir", "Photo: Jane Doe/Reuters", "(Photo by John Roe)", "(Foto: ANTARA/Reno Esnir)"],
        keep=["Photographs of the meeting were released by the palace on Monday."],
    )


def test_image_caption():
    check(
        reasons.IMAGE_CAPTION,
        drop=[
            "Soldiers train together in June in Iraq. [Operation Inherent Resolve]",
            "Warga mengungsi dari lokasi banjir di Bekasi. (Foto: ANTARA/Reno Esnir)",
            "Protesters gather outside parliament in Jakarta (AFP)",
        ],
        keep=[
            "The court had ruled the law invalid [citation needed] two years earlier.",
            "Watch the minister present the budget [VIDEO]",
            "The agency said the count was incomplete [1]",
            "Pasukan Aliansi Pasukan Demokratik Suriah yang didukung pasukan aliansi pimpinan AS.",
        ],
    )


def test_doubled_line():
    text = "\n".join([HEADLINE, BEFORE, "", BEFORE, AFTER, AFTER + " Again."])
    rules = [o.verdict.rule if o.verdict else None for o in classify_lines(text)]
    assert rules == [None, None, None, reasons.DOUBLED_LINE, None, None]


def test_doubled_line_keeps_a_repeated_paragraph():
    # a paragraph of several sentences written twice is content; a repeated
    # caption (one sentence) or heading is not
    paragraph = " ".join([BEFORE, AFTER, CLOSING])
    caption = "Members of parliament arrive for the budget debate in the capital on Tuesday morning, as police look on."
    for repeated, rule in ((paragraph, None), (caption, reasons.DOUBLED_LINE), (HEADLINE, reasons.DOUBLED_LINE)):
        text = "\n".join([HEADLINE, BEFORE, repeated, repeated, AFTER])
        rules = [o.verdict.rule if o.verdict else None for o in classify_lines(text)]
        assert rules[3] == rule, repeated


def test_section_label():
    def first_rule(text: str) -> str | None:
        verdict = classify_lines(text)[0].verdict
        return verdict.rule if verdict else None

    assert first_rule("Security\n\nAfter the defeat, the coalition keeps up the fight\n\n" + BEFORE) == (
        reasons.SECTION_LABEL
    )
    assert first_rule("Politik\nDPR Sahkan RUU Anggaran di Tengah Protes Mahasiswa\n" + BEFORE) == reasons.SECTION_LABEL
    # a short first line above a body sentence is a subheading opening an excerpt
    assert first_rule("Ribuan orang terbunuh\nBelum ada angka yang pasti untuk jumlah korban perang.") is None
    # labels carry no digits or punctuation, and only the first line qualifies
    assert first_rule("Top 10\nThe ten best budget moves of the year so far") is None
    assert first_rule("Why now?\nThe ten best budget moves of the year so far") is None
    assert rule_in_body("Security") is None


def test_navigation_run():
    menu = ["Home", "News", "Sports", "Politics", "Contact"]
    text = "\n".join([*menu, HEADLINE, BEFORE, "Ribuan orang terbunuh", AFTER])
    rules = [o.verdict.rule if o.verdict else None for o in classify_lines(text)]
    assert rules[:5] == [reasons.NAVIGATION_RUN] * 5
    assert rules[5:] == [None] * 4
    # four short lines are not a menu; lowercase or numeric items are a list
    for items in (menu[:4], ["garlic", "onion", "salt", "pepper", "oil"], ["VIP 60", "R 50", "S 40", "A 30", "B 20"]):
        text = "\n".join([HEADLINE, BEFORE, *items, AFTER])
        assert all(o.verdict is None for o in classify_lines(text)), items


def test_byline():
    cases = {
        "By Al-Fassel |": "Al-Fassel",
        "By Jane Doe": "Jane Doe",
        "By Jane Doe and John Roe, Reuters": "Jane Doe and John Roe",
        "Penulis: Ahmad Santoso": "Ahmad Santoso",
        "Reporter: Siti Aminah": "Siti Aminah",
        "Oleh: Budi Hartono": "Budi Hartono",
    }
    for line, author in cases.items():
        outcome = classify_lines("\n".join([HEADLINE, line, BEFORE]))[1]
        assert outcome.verdict is not None and outcome.verdict.rule == reasons.BYLINE, line
        assert outcome.verdict.meta == {"author": author}
    editor = classify_lines("\n".join([HEADLINE, "Editor: Rina Wati", BEFORE]))[1].verdict
    assert editor is not None and editor.rule == reasons.BYLINE and editor.meta == {"editor": "Rina Wati"}
    check(
        reasons.BYLINE,
        drop=[],
        keep=[
            "By Monday, troops had withdrawn.",
            "By March the army had retaken the city.",
            "Oleh karena itu, anggaran harus dipangkas.",
            "By 2019, the group had lost its territory.",
        ],
    )


def test_dateline():
    cases = {
        "JAKARTA, KOMPAS.com - Presiden meresmikan jalan tol baru.": ("JAKARTA, KOMPAS.com -", None),
        "WASHINGTON (AP) \u2014 The Senate passed the bill on Tuesday.": ("WASHINGTON (AP) \u2014", None),
        "Jakarta, CNN Indonesia -- Harga beras naik lagi pekan ini.": ("Jakarta, CNN Indonesia --", None),
        "JAKARTA, Sabtu (12/3/2022) - Banjir merendam ribuan rumah warga.": (
            "JAKARTA, Sabtu (12/3/2022) -",
            "2022-03-12",
        ),
    }
    for line, (prefix, date) in cases.items():
        outcome = classify_lines("\n".join([HEADLINE, line]))[1]
        assert outcome.verdict is not None and outcome.verdict.rule == reasons.DATELINE
        assert not outcome.verdict.drop
        assert outcome.removed_text == prefix
        assert outcome.kept == line[len(prefix) :].strip()
        assert outcome.verdict.meta.get("published_at") == date
    check(
        reasons.DATELINE,
        drop=[],
        keep=[
            "Meanwhile, Trump - who spoke later - said nothing.",
            "ISIS - the group that once held a third of Iraq - is weaker.",
            "The coalition, officially known as Combined Joint Task Force - Operation Inherent Resolve, grew.",
        ],
    )


def test_author_bio():
    bio = (
        "media activist from the city of Raqqa, student at the Faculty of Law. Director of the "
        "Media Office, founding member of a campaign group, I work in programming and design."
    )
    named = "Jane Doe is a journalist and writer based in Jakarta who covers energy policy."
    for trailer in (bio, named, "About the author: a freelance reporter and columnist."):
        outcome = classify_lines("\n".join([HEADLINE, BEFORE, AFTER, trailer]))[3]
        assert outcome.verdict is not None and outcome.verdict.rule == reasons.AUTHOR_BIO, trailer
    # the same paragraph mid-article is content, and one role word is not a bio
    assert classify_lines("\n".join([HEADLINE, named, BEFORE, AFTER, CLOSING]))[1].verdict is None
    single = "Jane Doe is a journalist who was arrested in 2019."
    assert classify_lines("\n".join([HEADLINE, BEFORE, single]))[2].verdict is None
