"""FastDetector must give langdetect's own answers, only faster."""

import pytest
from langdetect import DetectorFactory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

from cleaners.langdetect_fast import create_detector

TEXTS = [
    "Banjir merendam ratusan rumah di Jakarta Timur sejak Senin pagi setelah hujan deras.",
    "The coalition said on Thursday that the last pocket of fighters was surrounded.",
    "Die Regierung hat am Mittwoch neue Maßnahmen gegen die Inflation beschlossen.",
    "Le gouvernement a annoncé mercredi de nouvelles mesures contre l'inflation.",
    "El gobierno anunció el miércoles nuevas medidas contra la inflación en el país.",
    "O governo anunciou na quarta-feira novas medidas contra a inflação no Brasil.",
    "Правительство объявило в среду о новых мерах по борьбе с инфляцией.",
    "政府は水曜日、インフレ対策の新たな措置を発表した。",
    "NATO and the EU met in BRUSSELS, see https://example.org/x or mail a.b@example.org",
    "Kota Raqqa, yang oleh ISIS disebut 'ibukota kekhalifahan,' jatuh ke tangan SDF.",
    "ok",
    "Tiếng Việt có dấu: Hà Nội là thủ đô của Việt Nam.",
]


@pytest.fixture(scope="module")
def factory():
    init_factory()
    from langdetect import detector_factory

    f = detector_factory._factory
    old = f.seed
    f.seed = 0
    DetectorFactory.seed = 0
    yield f
    f.seed = old


def _answer(detector, text):
    detector.append(text)
    try:
        return [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException as err:
        return str(err)


@pytest.mark.parametrize("text", TEXTS)
def test_same_languages_and_probabilities_as_langdetect(factory, text):
    expected = _answer(factory.create(), text)
    got = _answer(create_detector(factory), text)
    if isinstance(expected, str):
        assert got == expected
        return
    assert [lang for lang, _ in got] == [lang for lang, _ in expected]
    for (_, p_got), (_, p_exp) in zip(got, expected, strict=True):
        assert p_got == pytest.approx(p_exp, abs=1e-9)


def test_ngrams_equal_langdetect_extraction(factory):
    for text in TEXTS:
        slow, fast = factory.create(), create_detector(factory)
        slow.append(text)
        fast.append(text)
        assert fast.text == slow.text
        assert fast._extract_ngrams() == slow._extract_ngrams()
