"""decode_bytes / decode_document: BOMs, legacy code pages, binary and empty."""

from __future__ import annotations

import codecs
import gzip

import pytest

from cleaners.decode import decode_bytes, decode_document, normalize_newlines, wide_encoding
from cleaners.errors import InputRejected
from cleaners.record import KIND_HTML, KIND_TEXT, Document, make_doc_id

TEXT = "Café “naïve” — 10 €\nsecond line ‑ ok"


def _doc(raw: bytes, kind: str = KIND_TEXT, body: str | None = None) -> Document:
    return Document(
        doc_id=make_doc_id("mem://x", raw), source_uri="mem://x", source="test", body_kind=kind, raw=raw, body=body
    )


def test_plain_utf8() -> None:
    assert decode_bytes(TEXT.encode("utf-8")) == (TEXT, "utf-8")


def test_utf8_bom_is_stripped() -> None:
    text, codec = decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert text == TEXT
    assert codec == "utf-8-sig"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom: bytes, codec: str) -> None:
    text, found = decode_bytes(bom + TEXT.encode(codec))
    assert text == TEXT
    assert found == codec


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_from_nul_layout(codec: str) -> None:
    text = "Plain ASCII-heavy report text, second sentence here.\nLine two."
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_cp1252_bytes() -> None:
    text = "“Smart quotes” — and a dash… naïve résumé"
    raw = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode_bytes(raw) == (text, "cp1252")


def test_latin1_bytes_decode_as_cp1252() -> None:
    # Latin-1 letters sit at the same bytes in cp1252; short Western text
    # must not come back as a CJK or Baltic guess ("où" -> "oł").
    for text in ["Ça va très bien", "Le café était délicieux, où est la crème brûlée? À bientôt, garçon."]:
        assert decode_bytes(text.encode("latin-1")) == (text, "cp1252")


def test_cyrillic_cp1251() -> None:
    text = "Привет, как дела? Это тестовый текст на русском языке."
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251")


def test_html_meta_charset_is_used() -> None:
    html = "<html><head><meta charset='windows-1251'></head><body>Привет мир</body></html>"
    text, codec = decode_bytes(html.encode("cp1251"), is_html=True)
    assert text == html
    assert codec == "cp1251"


def test_newlines_normalised() -> None:
    assert decode_bytes(b"a\r\nb\rc\n")[0] == "a\nb\nc\n"
    assert decode_bytes("a\u2028b".encode())[0] == "a\nb"
    assert decode_bytes("a\u2029b".encode())[0] == "a\nb"
    assert decode_bytes(b"a\rb")[0] == "a\nb"
    assert normalize_newlines("x\r\n\u2028y\r") == "x\n\ny\n"
    plain = "no separators here\nat all\x85"  # NEL is not one of them
    assert normalize_newlines(plain) is plain


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (gzip.compress(b"hello world"), "gzip"),
    ],
)
def test_file_signatures_rejected(raw: bytes, what: str) -> None:
    with pytest.raises(InputRejected) as info:
        decode_bytes(raw)
    assert info.value.reason == "binary"
    assert what in info.value.detail


def test_nul_bytes_rejected() -> None:
    with pytest.raises(InputRejected) as info:
        decode_bytes(b"some text\x00\x00\x01\x02 more\x00 text\x00\x00\x00")
    assert info.value.reason == "binary"


def test_control_bytes_rejected() -> None:
    raw = bytes(b for b in range(1, 256)) * 8  # no NUL, ~11% control bytes
    with pytest.raises(InputRejected) as info:
        decode_bytes(raw)
    assert info.value.reason == "binary"


@pytest.mark.parametrize("raw", [b"", b"   \r\n\t  ", codecs.BOM_UTF8 + b"\n", "  \n".encode("utf-16")])
def test_empty_rejected(raw: bytes) -> None:
    with pytest.raises(InputRejected) as info:
        decode_bytes(raw)
    assert info.value.reason == "empty"


def test_decode_document_fills_body_and_encoding() -> None:
    doc = decode_document(_doc("Olá, mundo".encode("cp1252")))
    assert doc.body == "Olá, mundo"
    assert doc.encoding == "cp1252"


def test_decode_document_html_kind_reads_meta() -> None:
    html = "<html><head><meta charset='koi8-r'></head><body>Привет мир</body></html>"
    doc = decode_document(_doc(html.encode("koi8-r"), kind=KIND_HTML))
    assert doc.body == html
    assert doc.encoding == "koi8-r"


def test_decode_document_keeps_jsonl_body() -> None:
    doc = _doc(b'{"text": "x"}', body="line one\r\nline two")
    out = decode_document(doc)
    assert out.body == "line one\nline two"
    assert out.encoding is None
    untouched = _doc(b"{}", body="already fine")
    assert decode_document(untouched) is untouched


def test_decode_document_blank_jsonl_body_rejected() -> None:
    with pytest.raises(InputRejected) as info:
        decode_document(_doc(b"{}", body=" \n "))
    assert info.value.reason == "empty"


@pytest.mark.parametrize(
    ("head", "found"),
    [
        ('{"text": "x"}'.encode("utf-16"), "UTF-16"),
        ('{"text": "x"}'.encode("utf-16-le"), "UTF-16"),
        ('{"text": "x"}'.encode("utf-16-be"), "UTF-16"),
        ('{"text": "x"}'.encode("utf-32"), "UTF-32"),
        (codecs.BOM_UTF8 + b'{"text": "x"}', None),
        (b'{"text": "caf\xc3\xa9"}', None),
        (b"\x00", None),  # too short to show a layout
    ],
)
def test_wide_encoding_of_a_first_line(head: bytes, found: str | None) -> None:
    assert wide_encoding(head) == found
