"""A second opinion on langdetect's answer, from how common the text's words are.

langdetect scores character n-grams, and between close languages they are
much alike: it calls Catalan Spanish, Czech Slovenian, Russian Macedonian,
Bokmål Danish, often with probability 0.99999, and splits short texts among
them. Words settle many of these: langdetect calls "Це не так просто"
Macedonian, whose list has its words over a hundred times rarer (geometric
mean) than Ukrainian's. So, for the texts where
langdetect's answer is doubtful (see language.py), its candidates are
re-ranked by langdetect's probability and the log frequency of the text's
words in each candidate language together.

The frequencies are wordfreq's "small" lists (words seen at least once per
million, 25,000-60,000 a language; Wikipedia, subtitles, news, books, web
text, Twitter, Reddit), shipped inside its wheel: nothing is downloaded. The
wheel's code is Apache-2.0, its data CC BY-SA 4.0 with the sources' own
attribution terms (see wordfreq's README). The files are read here directly
(gzip + msgpack, wordfreq's documented "cBpack" format) rather than through
`import wordfreq`, whose import loads langcodes' tables (0.1-0.25 s a
process) for nothing used here; a test checks this reader against
wordfreq's own. A list loads on first use, once per process, under a lock,
and is only read after that, so concurrent calls are safe. It is kept as a
sorted array of 64-bit word hashes (blake2b: the same in every process)
and their frequencies, 10 bytes a word: as a dict of strings it was
2.5-8 MB a language, 162 MB for all 37; two words sharing a hash (odds
about 1e-15 a lookup) would only share a frequency.

Chinese, Japanese and Korean are left out: wordfreq needs a segmenter for
them, and langdetect tells their scripts apart anyway.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import importlib.util
import math
import threading
from pathlib import Path

import msgpack
import numpy as np
import regex

# langdetect code -> wordfreq list. Croatian, Bosnian and Serbian share one
# list ("sh"); Norwegian is Bokmål's.
_SAME_CODE = ("ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "hu", "id")
_SAME_CODE += ("it", "lt", "lv", "mk", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "ta", "tr", "uk", "ur", "vi")
WORDLISTS = {**{code: code for code in _SAME_CODE}, "no": "nb", "hr": "sh", "tl": "fil"}
# Families whose members langdetect confuses, often confidently: when one
# of them wins, the others are candidates too, whatever langdetect gave them.
_FAMILIES = (
    ("ca", "es", "pt", "it", "fr", "ro"),
    ("cs", "sk", "sl", "hr", "pl"),
    ("da", "no", "sv"),
    ("bg", "mk", "ru", "uk"),
    ("ar", "fa", "ur"),
)
CONFUSABLE = {lang: tuple(m for m in family if m != lang) for family in _FAMILIES for lang in family}
# langdetect's best three: on a long text those with at least PROB_FLOOR,
# on a short one whatever their probability (on two or three words its
# ranking below the winner is noise, and the winner often wrong: it gives
# "Baca juga ini" to Croatian, Indonesian third at 6e-7).
TOP_CANDIDATES = 3
# Below this, langdetect's probability counts as this: a family member it
# ruled out can still win on its words, and one n-gram model's 1e-7 does
# not outvote a sentence of words.
PROB_FLOOR = 0.01
# A candidate wordfreq has no list for, with at least this probability,
# leaves the answer to langdetect: the words cannot speak for it.
UNLISTED_BLOCKS = 0.05
MISSING_LOG10 = -7.0  # a word not in a list: rarer than any word in it (1e-6)
WORD_WEIGHT = 2.0  # the words' log10 frequencies against ln(probability)
# The words weigh as at most this many: more words do not make a long mixed
# text certain, and on texts this long langdetect is rarely wrong.
MAX_WORDS = 10
# and at most this many, evenly spread, are looked up: a mean over 64 words
# is as good an estimate, and a page's 250 words took 0.6 ms to hash and look up
MAX_LOOKUPS = 64

_LN10 = math.log(10)
_WORD = regex.compile(r"[\p{L}\p{M}]+")  # letters and their marks (Indic vowel signs are marks)
_TABLES: dict[str, WordList] = {}
_tables_lock = threading.Lock()


def _hashes(tokens: list[str]) -> np.ndarray:
    """64-bit blake2b of each token's UTF-8 (Python's hash() differs between processes)."""
    digests = b"".join(hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=8).digest() for t in tokens)
    return np.frombuffer(digests, dtype="<u8")


@dataclasses.dataclass(frozen=True)
class WordList:
    """One language's list: sorted word hashes and each word's frequency in centibels (log10 * 100)."""

    hashes: np.ndarray
    centibels: np.ndarray

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(whether each word is listed, its log10 frequency, MISSING_LOG10 if not)."""
        at = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        known = self.hashes[at] == hashes
        return known, np.where(known, self.centibels[at] / 100, MISSING_LOG10)

    def __len__(self) -> int:
        return len(self.hashes)


@dataclasses.dataclass(frozen=True)
class Evidence:
    """How well one language's list knows a text's words."""

    known: float  # share of the words in the list
    mean_log10: float  # their mean log10 frequency, MISSING_LOG10 for a word not in it


@dataclasses.dataclass(frozen=True)
class Opinion:
    """Candidates re-ranked, with combined probabilities (summing to 1), best first."""

    ranked: list[tuple[str, float]]
    evidence: dict[str, Evidence]


def words(text: str) -> list[str]:
    """The text's words as wordfreq lists them: case-folded runs of letters (an apostrophe splits)."""
    return _WORD.findall(text.casefold())


def _data_dir() -> Path:
    spec = importlib.util.find_spec("wordfreq")  # its location, without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wordfreq package (its bundled word lists) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_wordlist(path: Path) -> WordList:
    """A cBpack file: a header, then one list of words per centibel of
    frequency (index i: 10 ** (-i / 100)). A word listed twice (none is in
    wordfreq 3.1.1) keeps its first, highest, frequency."""
    digests, sizes = [], []
    with gzip.open(path, "rb") as f:
        # one bucket at a time: decoded whole, a list's words are 4-8 MB of
        # str objects, and the worker's peak RSS keeps what they took
        unpacker = msgpack.Unpacker(f, raw=False)
        buckets = unpacker.read_array_header() - 1
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
            raise ValueError(f"{path}: not a cBpack file (header {header!r})")
        for _ in range(buckets):
            bucket = unpacker.unpack()
            digests.append(_hashes(bucket))
            sizes.append(len(bucket))
    hashes = np.concatenate(digests) if digests else np.empty(0, dtype="<u8")
    centibels = np.repeat(-np.arange(buckets, dtype=np.int16), sizes)
    # stable sort: of equal hashes (a word listed twice) the first, most frequent, comes first
    order = np.argsort(hashes, kind="stable")
    hashes, centibels = hashes[order], centibels[order]
    first = np.concatenate(([True], hashes[1:] != hashes[:-1]))
    return WordList(hashes[first].copy(), centibels[first].copy())


def wordlist(lang: str) -> WordList | None:
    """The list for a langdetect code, loaded once per process; None if wordfreq has none."""
    name = WORDLISTS.get(lang)
    if name is None:
        return None
    table = _TABLES.get(name)
    if table is None:
        with _tables_lock:
            table = _TABLES.get(name)
            if table is None:
                table = _TABLES[name] = read_wordlist(_data_dir() / f"small_{name}.msgpack.gz")
    return table


def candidates(ranked: list[tuple[str, float]], short: bool, family: bool) -> list[str] | None:
    """The languages to compare: langdetect's best few and (if `family`) the
    winner's family, those with a list. None when the words cannot decide: no
    list for the winner, or for a runner-up langdetect gave UNLISTED_BLOCKS or more."""
    best = ranked[0][0]
    floor = 0.0 if short else PROB_FLOOR
    found = [best, *(lang for lang, prob in ranked[1:TOP_CANDIDATES] if prob >= floor)]
    if family:
        found += [lang for lang in CONFUSABLE.get(best, ()) if lang not in found]
    listed = [lang for lang in found if lang in WORDLISTS]
    if best not in WORDLISTS or any(
        prob >= UNLISTED_BLOCKS for lang, prob in ranked[:TOP_CANDIDATES] if lang not in WORDLISTS
    ):
        return None
    return listed


def evidence(hashes: np.ndarray, table: WordList) -> Evidence:
    """How well `table` knows the words whose _hashes are `hashes`."""
    if not len(hashes):
        return Evidence(0.0, MISSING_LOG10)
    known, log10 = table.lookup(hashes)
    return Evidence(float(known.mean()), float(log10.mean()))


def combine(ranked: list[tuple[str, float]], n_words: int, found: dict[str, Evidence]) -> list[tuple[str, float]]:
    """Each candidate's ln(max(p, PROB_FLOOR)) + WORD_WEIGHT * ln(10) * mean
    log10 frequency * min(words, MAX_WORDS), as probabilities (softmax) over
    the candidates, best first; ties keep the candidates' order."""
    prob = dict(ranked)
    weight = WORD_WEIGHT * _LN10 * min(n_words, MAX_WORDS)
    scores = {
        lang: math.log(max(prob.get(lang, 0.0), PROB_FLOOR)) + weight * ev.mean_log10 for lang, ev in found.items()
    }
    top = max(scores.values())
    exp = {lang: math.exp(score - top) for lang, score in scores.items()}
    total = sum(exp.values())
    return sorted(((lang, value / total) for lang, value in exp.items()), key=lambda pair: -pair[1])


def second_opinion(ranked: list[tuple[str, float]], text: str, short: bool, family: bool) -> Opinion | None:
    """langdetect's ranking (best first, probabilities) re-ranked with the
    words of `text`; None where the words cannot decide (see candidates)."""
    langs = candidates(ranked, short, family)
    if langs is None:
        return None
    tokens = words(text)
    step = -(-len(tokens) // MAX_LOOKUPS)  # ceiling division
    hashes = _hashes(tokens[::step] if step > 1 else tokens)
    found = {lang: evidence(hashes, wordlist(lang)) for lang in langs}
    return Opinion(combine(ranked, len(tokens), found), found)
