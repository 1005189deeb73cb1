"""Whole documents shaped like the five seeds, run through apply_line_rules.

The fixtures are our own short imitations of the seed layouts (the seeds
themselves live outside the project and are not read here).
"""

from __future__ import annotations

from cleaners import reasons
from cleaners.lines import apply_line_rules, classify_lines
from cleaners.record import KIND_TEXT, Document, make_doc_id


def make_doc(text: str, **meta) -> Document:
    raw = text.encode("utf-8")
    uri = "mem://seed-like"
    return Document(
        doc_id=make_doc_id(uri, raw), source_uri=uri, source="t", body_kind=KIND_TEXT, raw=raw, text=text, **meta
    )


def removed_by_rule(doc: Document) -> list[tuple[int, str]]:
    return [(r.line_no, r.rule) for r in doc.removed]


TEASERS = [
    "Baca: Jokowi Tidak Diundang Panitia Reuni Akbar 212, Ternyata Ini Alasannya",
    "Baca: Chand Kelvin Kembali Dilangkahi Sang Adik",
    "Baca: Cerahkan Kulit Kusam dengan Masker Buah Naga, Begini Cara Membuatnya",
    "Baca: Ragam Cara Alami Kecilkan Perut secara Cepat",
    "Baca: Menilik Isi Rumah Stan Lee, Sang Legenda Marvel",
    "Baca: Ulik 5 Fakta tentang Tiarani Savitri",
]
BODY_000 = [
    "Rusia bukan bagian dari koalisi, tetapi jet-jet tempur mereka mulai menyerang pada September 2015.",
    "Direbutnya lagi kota-kota penting",
    "Kemajuan awal dalam kampanye koalisi antara lain direbutnya kembali kota Ramadi pada Desember 2015.",
    "Pasukan Aliansi Pasukan Demokratik Suriah yang didukung pasukan aliansi pimpinan AS.",
    "Bulan berikutnya, tentara Suriah menguasai lagi kota Deir al-Zour.",
]


def test_000_like_teasers_removed_body_kept():
    head = ["ISIS Hancur Lebur, Wilayahnya Tinggal 1%, tapi Waspada Militannya Tersebar", "Masih ada 14.000 militan."]
    doc = apply_line_rules(make_doc("\n".join([*head, *TEASERS, "", *BODY_000])))
    assert removed_by_rule(doc) == [(i, reasons.TEASER_LINK) for i in range(2, 8)]
    assert [r.line_text for r in doc.removed] == TEASERS
    assert doc.clean_text == "\n".join([*head, *BODY_000])


def test_001_like_excerpt_starting_with_subheading_is_untouched():
    text = "\n".join(
        [
            "Direbutnya lagi kota-kota penting",
            "Kemajuan awal dalam kampanye koalisi pimpinan AS terhadap ISIS antara lain direbutnya Kota Ramadi.",
            "Ribuan orang terbunuh",
            "Belum ada angka yang pasti untuk jumlah yang tepat dari korban perang menumpas ISIS.",
            "Bagaimana IS muncul dan menyebar",
            "Para jihadis mengeksploitasi kekacauan dan perpecahan di dalam negeri Suriah dan Irak.",
        ]
    )
    doc = apply_line_rules(make_doc(text))
    assert doc.removed == ()
    assert doc.clean_text == text


CAPTION = (
    "US and Iraqi military personnel work together during a training in June in Iraq. [Operation Inherent Resolve]"
)
DOC_002 = [
    "Security",
    "",
    "After ISIS defeat, international coalition keeps up the fight",
    "",
    "Since vanquishing ISIS in Iraq and Syria, the coalition has worked to keep the group in check.",
    "",
    CAPTION,
    CAPTION,
    "",
    "By Al-Fassel |",
    "",
    'The international coalition to defeat the "Islamic State of Iraq and Syria" (ISIS) continues its mission.',
    "",
    "Since then, coalition forces have killed three other ISIS leaders in Syria.",
    "",
    "Targeting ISIS propaganda",
    "",
    "Coalition partners are working to prevent the group from spreading extremist content online.",
    "",
    '"We maintain our intensity and resolve to combat and destroy any remnants," he said.',
    "",
    "Do you like this article?",
    "",
    "",
    "Captcha *",
]


def test_002_like_chrome_removed_subheadings_kept():
    doc = apply_line_rules(make_doc("\n".join(DOC_002)))
    assert removed_by_rule(doc) == [
        (0, reasons.SECTION_LABEL),
        (6, reasons.IMAGE_CAPTION),
        (7, reasons.IMAGE_CAPTION),
        (9, reasons.BYLINE),
        (21, reasons.ENGAGEMENT_PROMPT),
        (24, reasons.CAPTCHA),
    ]
    assert doc.author == "Al-Fassel"
    kept = doc.clean_text.split("\n")
    assert kept[0] == "After ISIS defeat, international coalition keeps up the fight"
    assert "Targeting ISIS propaganda" in kept
    assert kept[-1] == DOC_002[19]
    assert len(kept) == 7  # blank lines vanish without being recorded as removed


def test_002_like_keeps_existing_author():
    doc = apply_line_rules(make_doc("\n".join(DOC_002), author="Reader Supplied"))
    assert doc.author == "Reader Supplied"


def test_003_like_typography_survives_unchanged():
    text = "\n".join(
        [
            "IS Caliphate Shrinks to a Microscopic Grain, Coalition Declares Victory Looms",
            "Final assault on eastern Syria is ticking up",
            "The US\u2011led coalition warned that the \u201ccaliphate\u201d is tiny\u2014less than one percent.",
            "From Britain\u2011sized to a crumb",
            "\u201cThey\u2019re trying to slip away by blending in,\u201d Ghika warned.",
            "Next week\u2014day by day rundown",
            "Trump\u2019s troop withdrawal and the human\u2011shield danger",
            "Most captured jihadists are eager to return home\u2014an urge the administration shares.",
        ]
    )
    doc = apply_line_rules(make_doc(text))
    assert doc.removed == ()
    assert doc.clean_text == text
    assert "\u2011" in doc.clean_text and "\u2014" in doc.clean_text and "\u201c" in doc.clean_text


def test_004_like_author_bio_trailer_removed():
    body = [
        "ISIS, Remaining But not Expanding",
        "",
        "The terrorist group\u2019s losses have not stopped since the very beginning of 2016.",
        "In spite of all these defeats, the group still controls wide areas in Syria and Iraq.",
        "",
        "In the end, the war against ISIS would not finish any time soon.",
    ]
    bio = (
        "media activist from the city of Raqqa, student at the Faculty of Law at the University of the "
        'Euphrates. Director of the Media Office of Raqqa, founding member of "Raqqa is Being Slaughtered '
        'Silently", as I work in programming, design and visual media, and a certificate of journalist coach.'
    )
    doc = apply_line_rules(make_doc("\n".join([*body, "", bio])))
    assert removed_by_rule(doc) == [(7, reasons.AUTHOR_BIO)]
    assert doc.removed[0].line_text == bio
    assert doc.clean_text == "\n".join(line for line in body if line)
    assert "group\u2019s" in doc.clean_text


def test_dateline_trim_records_prefix_and_date():
    lines = ["Banjir Rendam Bekasi", "JAKARTA, 12 Maret 2022 (ANTARA) - Banjir merendam ribuan rumah warga."]
    text = "\n".join([*lines, "Penulis: Siti Aminah"])
    doc = apply_line_rules(make_doc(text))
    assert doc.clean_text == "Banjir Rendam Bekasi\nBanjir merendam ribuan rumah warga."
    assert [(r.line_no, r.line_text, r.rule) for r in doc.removed] == [
        (1, "JAKARTA, 12 Maret 2022 (ANTARA) -", reasons.DATELINE),
        (2, "Penulis: Siti Aminah", reasons.BYLINE),
    ]
    assert doc.published_at == "2022-03-12"
    assert doc.author == "Siti Aminah"
    # an impossible date is not recorded, but the dateline is still trimmed
    bad = apply_line_rules(make_doc("Judul Berita Hari Ini\nJAKARTA, 31/2/2022 - Harga beras naik lagi."))
    assert bad.published_at is None
    assert bad.clean_text.endswith("\nHarga beras naik lagi.")


def test_line_numbers_whitespace_and_purity():
    text = "Headline of the day here\r\n   \n\u200b\nA body line with trailing spaces.   \nAdvertisement\nLast line."
    doc = make_doc(text)
    cleaned = apply_line_rules(doc)
    assert doc.clean_text == "" and doc.removed == ()  # input untouched
    assert cleaned.clean_text == "Headline of the day here\nA body line with trailing spaces.\nLast line."
    assert [(r.line_no, r.rule) for r in cleaned.removed] == [(4, reasons.ADVERTISEMENT)]
    assert len(classify_lines(text)) == len(text.split("\n"))
    assert apply_line_rules(make_doc("")).clean_text == ""
