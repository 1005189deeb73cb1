"""repair_text / repair_document: mojibake fixed, correct typography untouched."""

from __future__ import annotations

import pytest

from cleaners.record import KIND_TEXT, Document, make_doc_id
from cleaners.repair import CONTROL_CHARS, MOJIBAKE, SURROGATES, TERMINAL_ESCAPES, repair_document, repair_text

# Correct typography that must survive byte-for-byte: U+2011 non-breaking
# hyphen, em dash, curly quotes and apostrophe, ellipsis, ligature,
# full-width digits, decomposed é (NFD) and a CJK compatibility ideograph.
TYPOGRAPHY = (
    "The state\u2011owned firm \u2014 once \u201cthe best\u201d \u2014 said it\u2019s fine\u2026\n"
    "Dr. O\u2019Neill\u2019s \ufb01nal o\ufb00er: \uff11\uff12\uff13 yen, caf\u0065\u0301, \uf900.\n"
    "Les \u00ab guillemets \u00bb, der \u201eGro\u00dfe\u201c, \u00e9t\u00e9\u00a0: ok.\n"
)


def _doc(body: str, repairs: tuple[str, ...] = ()) -> Document:
    raw = body.encode("utf-8", "surrogatepass")
    return Document(
        doc_id=make_doc_id("mem://r", raw),
        source_uri="mem://r",
        source="test",
        body_kind=KIND_TEXT,
        raw=raw,
        body=body,
        repairs=repairs,
    )


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("\u00e2\u20ac\u0153Hello\u00e2\u20ac\x9d", "\u201cHello\u201d"),  # â€œHelloâ€\x9d
        ("caf\u00c3\u00a9 cr\u00c3\u00a8me", "caf\u00e9 cr\u00e8me"),  # cafÃ© crÃ¨me
        ("it\u00e2\u20ac\u2122s here", "it\u2019s here"),  # itâ€™s
        ("voil\u00c3  le travail", "voil\u00e0 le travail"),  # A0 byte turned into a space
        (  # "РџСЂРёРІРµС‚": Russian UTF-8 read as cp1251
            "\u0420\u045f\u0421\u0402\u0420\u0451\u0420\u0406\u0420\u00b5\u0421\u201a",
            "\u041f\u0440\u0438\u0432\u0435\u0442",
        ),
        ("s\x92engager", "s\u2019engager"),  # C1 control from a cp1252 byte
        # Korean read as MacRoman: letter leads, let through by a symbol continuation
        ("\u00cf\u03c0\u00ba\u00ce\u00fc\u00ba pillgoo9", "\uce7c\ub7fc pillgoo9"),  # Ïπº Îüº
    ],
)
def test_mojibake_repaired(broken: str, fixed: str) -> None:
    text, codes = repair_text(broken)
    assert text == fixed
    assert codes == (MOJIBAKE,)


def test_only_the_broken_line_changes() -> None:
    text, codes = repair_text(TYPOGRAPHY + "caf\u00c3\u00a9\n" + TYPOGRAPHY)
    assert text == TYPOGRAPHY + "caf\u00e9\n" + TYPOGRAPHY
    assert codes == (MOJIBAKE,)


def test_typography_unchanged_byte_for_byte() -> None:
    text, codes = repair_text(TYPOGRAPHY)
    assert text.encode("utf-8") == TYPOGRAPHY.encode("utf-8")
    assert codes == ()


@pytest.mark.parametrize(
    "clean",
    [
        "Zesp\u00f3\u0142 p\u00f3\u0142 szk\u00f3\u0142, bl\u00ed\u017e, p\u00ed\u0161e",  # Polish/Czech
        "\u0423\u043a\u0440\u0430\u0457\u043d\u0430 \u0456 \u00ab\u0421\u0456\u0447\u00bb",  # Ukrainian
        "\u03a4\u03bf \u00ab\u03c3\u03c0\u03af\u03c4\u03b9\u00bb \u03bc\u03b1\u03c2",  # Greek
        "Hyv\u00e4\u00e4 p\u00e4iv\u00e4\u00e4, S\u00c3O PAULO",
        "\u4e2d\u6587\u6587\u672c\u3002 \u65e5\u672c\u8a9e\u306e\u6587\u3002",
    ],
)
def test_correct_non_ascii_unchanged(clean: str) -> None:
    assert repair_text(clean) == (clean, ())


def test_c0_controls_stripped_tab_newline_kept() -> None:
    text, codes = repair_text("a\x00b\tc\x07d\ne\x7ff\ufeffg")
    assert text == "ab\tcd\nefg"
    assert codes == (CONTROL_CHARS,)


def test_form_feed_becomes_newline() -> None:
    assert repair_text("page one\x0cpage two") == ("page one\npage two", (CONTROL_CHARS,))


def test_terminal_escapes_removed_whole() -> None:
    text, codes = repair_text("\x1b[31mred\x1b[0m text")
    assert text == "red text"
    assert codes == (TERMINAL_ESCAPES,)


def test_surrogates_paired_or_replaced() -> None:
    # JSON "\\ud83d\\ude00" escapes decoded one unit at a time; a lone
    # surrogate cannot be written as UTF-8 downstream.
    text, codes = repair_text("ok \ud83d\ude00 and \ud800 end")
    assert text == "ok \U0001f600 and \ufffd end"
    assert codes == (SURROGATES,)


def test_html_entities_left_alone() -> None:
    # Entity decoding is the HTML extractor's job; in plain text "&amp;" may be literal.
    assert repair_text("Fish &amp; chips &lt;3 caf\u00c3\u00a9")[0] == "Fish &amp; chips &lt;3 caf\u00e9"


def test_ascii_is_untouched() -> None:
    text = "Plain ASCII text.\nWith two lines & symbols <b>."
    assert repair_text(text) == (text, ())


def test_repair_document_records_repairs() -> None:
    doc = _doc("caf\u00c3\u00a9\x00", repairs=("earlier",))
    out = repair_document(doc)
    assert out.body == "caf\u00e9"
    assert out.repairs == ("earlier", MOJIBAKE, CONTROL_CHARS)
    assert doc.body == "caf\u00c3\u00a9\x00"  # the input value is not mutated


def test_repair_document_clean_returns_same_object() -> None:
    doc = _doc(TYPOGRAPHY)
    assert repair_document(doc) is doc


@pytest.mark.parametrize(
    "clean",
    [
        "VIP tickets cost 60,000₩ and 50,000₩ at the door.",  # cp1252 misread, ftfy declines (short)
        "Li jam en la unua raŭndo atakis la kontraŭulon.",  # Esperanto, Latin-1 misread
        "Наши герои знают толк во вкусе.",  # Cyrillic read as MacRoman
    ],
)
def test_whole_line_redecode_restores_what_ftfy_leaves(clean: str) -> None:
    for encode in (
        lambda b: "".join(bytes([x]).decode("cp1252", errors="ignore") or chr(x) for x in b),
        lambda b: b.decode("latin-1"),
        lambda b: b.decode("mac_roman"),
    ):
        broken = encode(clean.encode("utf-8"))
        fixed, codes = repair_text(broken)
        if broken != clean and fixed == clean:
            assert codes == (MOJIBAKE,)
            return
    raise AssertionError(f"no misreading of {clean!r} was restored")


@pytest.mark.parametrize(
    "clean",
    [
        "Clique para ver o Calendário completo",  # one 2-byte sequence inside a word
        "VIP : 60,000₩",  # one 3-byte sequence from MacRoman's "‚" lead
        "\u200b",  # a zero-width space alone
        "We hope to see you soon! 🙂",  # 4 bytes from F0, U+F8FF in MacRoman
        "Bu ənənə indi də davam etdirilir.",  # Azerbaijani schwa is a letter, not IPA
    ],
)
def test_one_macroman_sequence_from_a_symbol_lead_is_restored(clean: str) -> None:
    broken = clean.encode("utf-8").decode("mac_roman")
    assert repair_text(broken) == (clean, (MOJIBAKE,))


@pytest.mark.parametrize(
    ("broken", "clean"),
    [
        ("neu hÅ·n (neu", "neu hŷn (neu"),  # inside a small-letter word
        ("SÃ¥ jeg orket", "Så jeg orket"),  # after a word's one capital
        ("grupoj aÅ\xad de", "grupoj aŭ de"),  # Latin-1: the soft hyphen byte kept
        ("Äœi estas", "Ĝi estas"),  # a capital whose misreading is two letters
        ("VIP : 60,000â‚©", "VIP : 60,000₩"),  # 3 bytes making a symbol
        ("eggs, ¬Ω cup", "eggs, ½ cup"),  # MacRoman: a fraction from a symbol lead
        ("it was 25¬∞C", "it was 25°C"),  # MacRoman: a symbol beside a digit
        ("colleghi: ¬´Non accettate", "colleghi: «Non accettate"),  # punctuation beside a letter
    ],
)
def test_one_sequence_that_fits_where_it_sits_is_restored(broken: str, clean: str) -> None:
    assert repair_text(broken) == (clean, (MOJIBAKE,))


@pytest.mark.parametrize(
    "text",
    [
        "AHÅ™, the new sofa from IKEA",  # a small letter after capitals (ftfy's negative case)
        "IL Y MARQUÉ…",  # a capital before an ellipsis would make "Ʌ"
        "a lot of Ã’s in it",  # first in its word
        "Strauß’s waltz",  # would make an NKo letter
        "Ã…h hvor",  # a capital and an ellipsis: "Åh" misread cannot be told from "MARQUÉ…"
    ],
)
def test_one_sequence_that_only_happens_to_decode_is_left(text: str) -> None:
    assert repair_text(text) == (text, ())


@pytest.mark.parametrize("text", ["x = √π", "OK??:(   `¬´    ):", "Paris–Évry", "Cyfarfu √¢ Thomas"])
def test_one_macroman_sequence_that_is_not_evidence_is_left(text: str) -> None:
    # a letter alone, a symbol (ftfy's angry face), a dash lead; the Welsh
    # word "â" misread is left too: alone, it cannot be told from "√π"
    assert repair_text(text) == (text, ())


@pytest.mark.parametrize("text", ["4288×…", "SELKÄ\xa0EDELLÄ\xa0MAAHAN", "pra lá´´", "Charlotte Brontë…”", "NESTLÉ®"])
def test_redecode_leaves_text_that_only_happens_to_decode(text: str) -> None:
    assert repair_text(text) == (text, ())


def test_lone_c1_control_removed_and_repair_is_idempotent() -> None:
    assert repair_text("a\x81b") == ("ab", (CONTROL_CHARS,))
    once, _ = repair_text("Â\x08¡")
    assert repair_text(once) == (once, ())
