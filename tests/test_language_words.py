"""language_words: the word lists, the candidates, the combined ranking."""

from __future__ import annotations

import gzip
import math
import threading
from pathlib import Path

import msgpack
import pytest

from cleaners import language_words as lw
from cleaners.language_words import Evidence


def _cbpack(path: Path, buckets: list[list[str]], header: object = None) -> Path:
    header = {"format": "cB", "version": 1} if header is None else header
    path.write_bytes(gzip.compress(msgpack.packb([header, *buckets])))
    return path


def _lookup(table: lw.WordList, tokens: list[str]) -> list[float | None]:
    known, log10 = table.lookup(lw._hashes(tokens))
    return [float(v) if k else None for k, v in zip(known, log10, strict=True)]


def test_read_wordlist_gives_log10_frequencies(tmp_path: Path) -> None:
    # "fish" at -30 cB (half the tokens), "blue" and "red" at -60 cB: wordfreq's own example
    buckets = [[] for _ in range(61)]
    buckets[30], buckets[60] = ["fish"], ["blue", "red", "fish"]
    table = lw.read_wordlist(_cbpack(tmp_path / "small_xx.msgpack.gz", buckets))
    assert len(table) == 3
    assert _lookup(table, ["red", "fish", "blue", "green", "Fish", ""]) == [-0.6, -0.3, -0.6, None, None, None]
    assert lw.evidence(lw._hashes(["fish", "green"]), table) == Evidence(0.5, (-0.3 + lw.MISSING_LOG10) / 2)
    assert lw.evidence(lw._hashes([]), table) == Evidence(0.0, lw.MISSING_LOG10)


def test_read_wordlist_refuses_other_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a cBpack"):
        lw.read_wordlist(_cbpack(tmp_path / "x.gz", [["a"]], header={"format": "other"}))


def test_read_wordlist_agrees_with_wordfreq() -> None:
    import wordfreq  # only here: the module itself never imports it

    ours = lw.wordlist("ca")
    theirs = wordfreq.get_frequency_dict("ca", wordlist="small")
    assert len(ours) == len(theirs)
    words = list(theirs)
    found = _lookup(ours, words)
    assert all(math.isclose(10**v, theirs[w], rel_tol=1e-9) for w, v in zip(words, found, strict=True))
    assert _lookup(ours, ["zzzqx", "perquè", "because"]) == [None, found[words.index("perquè")], None]


def test_every_listed_language_has_its_file() -> None:
    for lang in lw.WORDLISTS:
        assert len(lw.wordlist(lang)) > 10_000, lang
    assert lw.wordlist("af") is None  # wordfreq has no Afrikaans


def test_lists_load_once_across_threads() -> None:
    lw._TABLES.pop("sk", None)
    got: list[lw.WordList] = []
    threads = [threading.Thread(target=lambda: got.append(lw.wordlist("sk"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8
    assert all(table is got[0] for table in got)


def test_words_are_casefolded_letter_runs() -> None:
    assert lw.words("L'Home d'AQUÍ, 2024: Straße!") == ["l", "home", "d", "aquí", "strasse"]
    # Devanagari vowel signs are combining marks: they stay inside the word
    assert lw.words("हिन्दी में") == ["हिन्दी", "में"]


def test_candidates_add_the_family_and_skip_unlisted() -> None:
    ranked = [("es", 0.999), ("pt", 0.0009), ("it", 0.0001)]
    assert lw.candidates(ranked, short=False, family=True) == ["es", "ca", "pt", "it", "fr", "ro"]
    assert lw.candidates(ranked, short=False, family=False) == ["es"]
    assert lw.candidates([("en", 0.98), ("de", 0.015), ("cy", 0.005)], short=False, family=True) == ["en", "de"]
    # a short text takes the best three whatever their probability
    assert lw.candidates([("hr", 0.999), ("sl", 1e-6), ("id", 6e-7)], True, True)[:3] == ["hr", "sl", "id"]


def test_candidates_none_when_words_cannot_decide() -> None:
    assert lw.candidates([("af", 0.9), ("nl", 0.1)], False, True) is None  # no Afrikaans list
    assert lw.candidates([("nl", 0.6), ("af", 0.4)], False, True) is None  # nor for a contender
    assert lw.candidates([("nl", 0.97), ("af", 0.03)], False, True) == ["nl"]  # af below UNLISTED_BLOCKS


def test_combine_lets_words_overturn_langdetect() -> None:
    ranked = [("es", 0.9999999), ("ca", 1e-7)]
    found = {"es": Evidence(0.5, -5.5), "ca": Evidence(1.0, -3.0)}
    out = lw.combine(ranked, 6, found)
    assert [lang for lang, _ in out] == ["ca", "es"]
    assert math.isclose(sum(p for _, p in out), 1.0)
    # with equal word evidence, langdetect's order stands
    same = {"es": Evidence(1.0, -3.0), "ca": Evidence(1.0, -3.0)}
    assert lw.combine(ranked, 6, same)[0][0] == "es"


def test_combine_caps_the_weight_of_many_words() -> None:
    ranked = [("da", 0.7), ("no", 0.3)]
    found = {"da": Evidence(1.0, -3.05), "no": Evidence(1.0, -3.0)}
    assert lw.combine(ranked, 500, found) == lw.combine(ranked, lw.MAX_WORDS, found)
    assert lw.combine(ranked, 500, found) != lw.combine(ranked, 3, found)


def test_second_opinion_on_real_lists() -> None:
    # langdetect calls this Slovenian; the Slovak list knows every word
    opinion = lw.second_opinion([("sl", 0.99999), ("hr", 1e-5)], "Včera sme boli v kine.", short=True, family=True)
    assert opinion is not None
    assert opinion.ranked[0][0] == "sk"
    assert opinion.evidence["sk"].known == 1.0
    assert lw.second_opinion([("af", 0.99)], "Ons het gister gegaan", short=True, family=True) is None


def test_long_texts_look_up_an_even_spread_of_words() -> None:
    text = " ".join(["vi", "var", "på", "xqzv", "kino"] * 40)  # 200 words, one of five unknown
    opinion = lw.second_opinion([("no", 0.6), ("da", 0.4)], text, short=False, family=False)
    tokens = lw.words(text)
    spread = tokens[::4]  # 50: every 4th word, across the whole text
    assert opinion.evidence["no"] == lw.evidence(lw._hashes(spread), lw.wordlist("no"))
    assert opinion.evidence["no"].known == pytest.approx(0.8)
