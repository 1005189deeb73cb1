"""detect_language / detect_document: seeded, sampled, thresholded."""

from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import language
from cleaners.language import (
    UNDETERMINED,
    detect_document,
    detect_language,
    normalize_hint,
    sample_text,
)
from cleaners.record import KIND_TEXT, Document, make_doc_id

INDONESIAN = (
    "Pemerintah kota mengumumkan bahwa jalan tol baru akan dibuka untuk umum pada akhir bulan ini. "
    "Menurut kepala dinas perhubungan, pembangunan jalan tersebut sudah selesai dan telah melewati "
    "uji kelayakan. Warga berharap kemacetan di pusat kota dapat berkurang setelah jalan itu beroperasi."
)
ENGLISH = (
    "The city council announced that the new toll road will open to the public at the end of this month. "
    "According to the head of the transport agency, construction is finished and the road has passed its "
    "safety inspection. Residents hope that congestion in the city centre will ease once it is running."
)
# langdetect scores this list of loanwords as an exact tie between two languages.
LOANWORDS = "Hotel, restaurant, taxi, bar, cafe, pizza, menu."


def test_indonesian_and_english() -> None:
    lang_id, p_id = detect_language(INDONESIAN)
    lang_en, p_en = detect_language(ENGLISH)
    assert lang_id == "id"
    assert lang_en == "en"
    assert p_id > 0.9
    assert p_en > 0.9


def test_repeated_calls_identical() -> None:
    first = [detect_language(t) for t in (INDONESIAN, ENGLISH, LOANWORDS)]
    for _ in range(5):
        assert [detect_language(t) for t in (INDONESIAN, ENGLISH, LOANWORDS)] == first


def test_thread_safe_and_deterministic() -> None:
    texts = [INDONESIAN, ENGLISH] * 20
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(detect_language, texts))
    assert results == [detect_language(t) for t in texts]


@pytest.mark.parametrize("text", ["Baca ini", "hello", "", "12345 67890 !!! ???"])
def test_too_few_letters_is_und(text: str) -> None:
    assert detect_language(text) == (UNDETERMINED, 0.0)


@pytest.mark.parametrize(("text", "lang"), [("hello there world", "en"), ("Baca juga ini", "id")])
def test_short_text_labelled_when_the_words_agree(text: str, lang: str) -> None:
    # under MIN_LETTERS: langdetect alone calls the second Croatian
    assert detect_language(text)[0] == lang


def test_short_cjk_sentence_is_enough() -> None:
    # 18 ideographs: each counts as several letters towards the minimum.
    assert detect_language("一种无形的阴霾突然笼罩在朋友们的心理！")[0] == "zh-cn"


def test_hint_breaks_a_close_tie_only() -> None:
    tied = [("ro", 0.43), ("ca", 0.43), ("it", 0.14)]
    assert language._with_hint(tied, None) == ("ro", 0.43, 0.43)  # neither confident alone
    assert language._with_hint(tied, "ca-ES") == ("ca", 0.43, 0.86)
    assert language._with_hint(tied, "ro") == ("ro", 0.43, 0.86)
    assert language._with_hint(tied, "en") == ("ro", 0.43, 0.43)
    assert language._with_hint([("ro", 0.91), ("ca", 0.09)], "ca")[0] == "ro"  # no contender
    # A clear winner is never overridden by the hint.
    assert detect_language(ENGLISH, hint="id")[0] == "en"


def test_loanwords_langdetect_ties_are_settled_or_und() -> None:
    # langdetect ties ro and ca; every Romance list knows these words, so
    # the answer is one of the family or und, never a confident stranger
    lang, _ = detect_language(LOANWORDS)
    assert lang in {"ro", "ca", "it", "fr", "es", "pt", UNDETERMINED}


def test_normalize_hint() -> None:
    assert normalize_hint("en-US") == "en"
    assert normalize_hint("zh-TW") == "zh-tw"
    assert normalize_hint("zh-Hant-HK") == "zh-tw"
    assert normalize_hint("zh") == "zh-cn"
    assert normalize_hint("in") == "id"
    assert normalize_hint("nb_NO") == "no"
    assert normalize_hint(None) is None


def test_sample_is_bounded_and_spans_the_document() -> None:
    text = "START " + "filler words here " * 2000 + "MIDDLE " + "filler words here " * 2000 + "END"
    sample = sample_text(text)
    assert len(sample) < 1600
    assert sample.startswith("START")
    assert "MIDDLE" in sample
    assert sample.endswith("END")
    assert sample_text(ENGLISH) == ENGLISH


def test_long_document_detected_from_sample() -> None:
    # An English lead followed by a long Indonesian body: the sample covers
    # middle and end, so the body's language wins.
    assert detect_language(ENGLISH + "\n" + "\n".join([INDONESIAN] * 30))[0] == "id"


def test_detect_document_uses_clean_text_and_hint() -> None:
    raw = INDONESIAN.encode()
    doc = Document(
        doc_id=make_doc_id("mem://l", raw),
        source_uri="mem://l",
        source="test",
        body_kind=KIND_TEXT,
        raw=raw,
        body=ENGLISH,  # not what is classified
        clean_text=INDONESIAN,
        lang_hint="id-ID",
    )
    out = detect_document(doc)
    assert out.lang == "id"
    assert out.lang_score > 0.9
    assert doc.lang == UNDETERMINED  # input not mutated


def test_short_sentences_in_indic_scripts_are_identified() -> None:
    # vowel signs are combining marks: counted as letters, not skipped
    assert detect_language("अगर आप नहीं होते; तो पता नहीं क्या होता.")[0] == "hi"
    # a script only one profiled language writes weighs like CJK
    assert detect_language("ਪੰਜਾਬ ਸਰਕਾਰ ਨੇ ਫੈਸਲਾ ਕੀਤਾ")[0] == "pa"


def test_two_latin_words_stay_und() -> None:
    # langdetect says Afrikaans, which has no word list: too short to take alone
    assert detect_language("water parks")[0] == "und"


@pytest.mark.parametrize(
    ("text", "langdetect_says", "lang"),
    [
        ("Це не так просто.", "mk", "uk"),
        ("Ми вчора довго гуляли в парку.", "ru", "uk"),
        ("Včera sme boli v kine.", "sl", "sk"),
        ("To je za nas vrlo važno.", "sl", "hr"),
    ],
)
def test_words_correct_confusable_languages(text: str, langdetect_says: str, lang: str) -> None:
    assert language._langdetect(sample_text(text))[0][0] == langdetect_says
    assert detect_language(text)[0] == lang


SPANISH_PAGE = (
    "El ayuntamiento anunció que la nueva carretera de peaje se abrirá al público a finales de este mes. "
    "Según el director de la agencia de transporte, las obras han terminado y la carretera ha superado "
    "todas las inspecciones de seguridad. Los vecinos esperan que los atascos en el centro de la ciudad "
    "disminuyan en cuanto empiece a funcionar. El alcalde recordó que el proyecto se aprobó hace cuatro "
    "años y que su coste final ha sido menor de lo previsto. Los comerciantes de la zona, sin embargo, "
    "temen que el tráfico se desvíe hacia las afueras y que sus tiendas pierdan clientes durante el verano. "
    "La oposición pidió que se publiquen los contratos."
)


def test_confident_pages_skip_the_second_opinion(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("asked for a second opinion")

    monkeypatch.setattr(language.language_words, "second_opinion", refuse)
    assert detect_language(ENGLISH)[0] == "en"
    assert detect_language(INDONESIAN)[0] == "id"
    # Spanish is in a family langdetect confuses, but not at a page's length
    assert language._letter_count(sample_text(SPANISH_PAGE)) >= language.LONG_TEXT_LETTERS
    assert detect_language(SPANISH_PAGE)[0] == "es"
    with pytest.raises(AssertionError, match="second opinion"):
        detect_language(SPANISH_PAGE[:200])  # a few sentences: it asks


def test_chinese_without_hangul_is_never_korean() -> None:
    # langdetect's Korean profile has the Han characters too: it gives this one 0.57 Korean, 0.43 Chinese
    text = "我们需要培育一个以和平理性为根基的社会。"
    assert "ko" not in dict(language._langdetect(text))
    assert detect_language(text)[0] == "zh-cn"
    assert detect_language("한국어 문장은 한글로 씁니다.")[0] == "ko"


def _letter_count_per_char(text: str) -> int:
    """_letter_count as it was first written: one character at a time."""

    def weight(ch: str) -> int:
        code = ord(ch)
        if code >= language._CJK_START or any(lo <= code <= hi for lo, hi in language._ONE_LANGUAGE_SCRIPTS):
            return language.CJK_LETTER_WEIGHT
        return 1

    return sum(weight(ch) for ch in text if ch.isalpha() or unicodedata.category(ch) in ("Mn", "Mc"))


# Scripts whose letters weigh 1 or CJK_LETTER_WEIGHT, combining marks
# (Indic vowel signs, Mn and Mc), digits in several scripts (not letters),
# letter-like symbols and numbers (superscripts, Roman numerals: not alpha,
# though regex \w takes some), emoji, surrogates, ASCII punctuation.
_PIECES = st.sampled_from(
    [
        "Hello, World! 42",
        "Pemerintah kota",
        "ẞßÆæ ĳ ǅ ʰ ˆ",
        "Ты веришь мне?",
        "Καλημέρα κόσμε",
        "שלום עולם",
        "สวัสดีครับ",
        "अगर आप नहीं होते",
        "ਪੰਜਾਬ ਸਰਕਾਰ",
        "বাংলা ভাষা",
        "தமிழ் மொழி",
        "政府は水曜日、インフレ対策",
        "한국어 문장",
        "٣٤٥ ١٢ ۴ ߁ ๔ ०१२",
        "² ½ Ⅻ ⅻ ① № ™ ℃ ª º",
        "👍🏽 🇮🇩 ❤️ 😀",
        "\u0301\u0903\u200d\u00ad\ufeff",
        "\ud800 \udfff",
        "_-*/\\\t\n",
        "Tiếng Việt có dấu",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=12).map("".join))
def test_letter_count_equals_the_per_character_count(text: str) -> None:
    assert language._letter_count(text) == _letter_count_per_char(text)


def test_letter_count_equals_the_per_character_count_on_every_code_point() -> None:
    step = 0x4000
    for start in range(0, 0x110000, step):
        text = "".join(map(chr, range(start, start + step)))
        assert language._letter_count(text) == _letter_count_per_char(text), hex(start)
