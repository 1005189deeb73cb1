"""Language identification with langdetect, deterministic and thread-safe.

langdetect samples n-grams at random, so without a fixed seed the same text
can come back with different languages on different runs; the seed is set
once here. Profiles (~50 languages, a few MB) load once, lazily, under a
lock; each call builds its own detector (langdetect_fast: langdetect's
algorithm and answers, vectorised), which holds all per-call state. What
calls share are caches (each word's n-grams, profile rows, the seeded random
outputs), filled in under a lock or by single dict operations: concurrent
calls are safe and get the answers they would get alone.

Only a bounded sample of a document is classified: accuracy levels off long
before 1,500 characters and the cost grows with length (~30x cheaper than a
whole long article). Taking the start, middle and end keeps one off-language
block (a foreign-language quote, an English footer) from deciding alone.

Where langdetect's answer is doubtful, language_words gives a second
opinion from how common the sample's words are in each candidate language:
for a text of a few sentences at most, when it is short, langdetect is
unsure, or its winner belongs to a family it confuses (Catalan/Spanish,
Czech/Slovak, Danish/Norwegian, Bulgarian/Macedonian/Russian...); for a
longer text only where langdetect alone would say und. A page that
langdetect labels skips it and costs what it did.
"""

from __future__ import annotations

import dataclasses
import re
import string
import threading
import unicodedata
from operator import itemgetter

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from cleaners import language_words
from cleaners.langdetect_fast import create_detector
from cleaners.record import Document

UNDETERMINED = "und"
# Fewer letters than this is short: a caption, a button label, a title.
# n-gram statistics alone are noise on it (3-word strings flip between
# languages), so it gets a language only when the words agree (below).
MIN_LETTERS = 20
# Thresholds for short texts, tuned on the `tune` half of the lingua word
# pairs and single words (precision of the labels given >= 0.95) and
# sentences (bench/tune_language.py):
MIN_WORD_LETTERS = 8  # fewer: always und
SHORT_MIN_PROBABILITY = 0.999  # the combined probability a short text needs
SHORT_MIN_KNOWN = 0.5  # and the share of its words in the winner's list,
SHORT_MIN_MEAN_LOG10 = -5.5  # and their mean log10 frequency (missing words at -7)
# A short text in a language without a word list (Afrikaans, Welsh,
# Marathi...) gets langdetect's answer only with this many letters and
# this probability.
SHORT_ALONE_LETTERS = 12
SHORT_ALONE_PROBABILITY = 0.9999
# A text of fewer letters than this (a few sentences) asks the words too
# when langdetect's best is below SECOND_OPINION_BELOW, or belongs to a
# family langdetect confuses (the family is then a candidate too, whatever
# langdetect gave them). A longer one asks only where langdetect alone
# would say und: on runs of lingua sentences of those families (tune half)
# langdetect alone was right 99.0 % at 100+ letters (with the words:
# 99.7 %), 99.6 % at 200+ (99.95 %), 99.95 % at 400+ (100 %) and 100 % at
# 800+; on pages with another language's chrome (generated corpus) its
# 0.86 for the page's language was right where the words split 50/50.
LONG_TEXT_LETTERS = 500
SECOND_OPINION_BELOW = 0.9
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
# A CJK ideograph, kana or Hangul syllable carries about a word's worth of
# signal, so it counts as this many letters: an 18-character Chinese
# sentence is identifiable, a 12-letter one ("Ты веришь мне?") is not.
CJK_LETTER_WEIGHT = 3
_CJK_START = 0x2E80  # CJK radicals; kana, Hangul and ideographs all follow
# Scripts that (among langdetect's profiles) one language writes: a few of
# their letters already say which language it is, so they weigh like CJK.
_ONE_LANGUAGE_SCRIPTS = (
    (0x0370, 0x03FF),  # Greek
    (0x0590, 0x05FF),  # Hebrew
    (0x0980, 0x09FF),  # Bengali
    (0x0A00, 0x0D7F),  # Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam
    (0x0E00, 0x0E7F),  # Thai
)
# Below this top probability (langdetect's, or combined with the words') the
# text is mixed or in a language langdetect has no profile for; "und" is
# more honest than its best guess.
MIN_PROBABILITY = 0.70
# The hint only decides between the top two when they are this close.
HINT_MARGIN = 0.20
HINT_RUNNER_UP = 0.1  # a runner-up at or below this is no contender (langdetect reports none)
SAMPLE_CHARS = 1500  # total, split across start, middle and end
# langdetect's probabilities below this are dropped before sorting (most of
# its 55, on most texts): sorting all of them was a third of what the second
# opinion's bookkeeping added to every page
NEGLIGIBLE = 1e-12

# Legacy or broader codes in lang attributes -> langdetect's codes.
_HINT_ALIASES = {
    "in": "id",  # pre-1989 ISO 639 code for Indonesian
    "iw": "he",
    "nb": "no",
    "nn": "no",
    "fil": "tl",
}
_CHINESE_TRADITIONAL = {"tw", "hk", "mo", "hant"}

DetectorFactory.seed = 0  # langdetect is nondeterministic without it
_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()


def _get_factory() -> DetectorFactory:
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)
                _factory = factory
    return _factory


def normalize_hint(hint: str | None) -> str | None:
    """A page/feed language tag as a langdetect code: "en-US" -> "en",
    "zh-TW"/"zh-Hant" -> "zh-tw", other "zh" -> "zh-cn"."""
    if not hint:
        return None
    parts = hint.strip().lower().replace("_", "-").split("-")
    primary = _HINT_ALIASES.get(parts[0], parts[0])
    if primary == "zh":
        return "zh-tw" if _CHINESE_TRADITIONAL.intersection(parts[1:]) else "zh-cn"
    return primary or None


def _window(text: str, start: int, size: int) -> str:
    """text[start:start+size], widened to whole words at both ends."""
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    end = start + size
    if end < len(text):
        space = text.find(" ", end)
        end = space if space >= 0 else len(text)
    return text[start:end]


def sample_text(text: str, limit: int = SAMPLE_CHARS) -> str:
    """At most about `limit` chars: the whole text if short, else equal
    word-aligned windows from the start, the middle and the end."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    part = limit // 3
    starts = (0, (len(flat) - part) // 2, len(flat) - part)
    return "\n".join(_window(flat, start, part) for start in starts)


def _letter_weight(ch: str) -> int:
    """What `ch` adds to the letter count: 0 if it is not a letter."""
    # vowel signs of Indic scripts are combining marks, not "alpha", but they
    # are half the letters of a Hindi sentence
    if not (ch.isalpha() or unicodedata.category(ch) in ("Mn", "Mc")):
        return 0
    code = ord(ch)
    if code >= _CJK_START or any(lo <= code <= hi for lo, hi in _ONE_LANGUAGE_SCRIPTS):
        return CJK_LETTER_WEIGHT
    return 1


class _Weights(dict):
    """char -> _letter_weight(char), computed on first sight: a text has few distinct characters."""

    def __missing__(self, ch: str) -> int:
        if len(self) > 65536:  # bound memory on hostile input (every code point once)
            self.clear()
        weight = self[ch] = _letter_weight(ch)
        return weight


_WEIGHTS = _Weights()
_ASCII_LETTERS = string.ascii_letters.encode("ascii")  # the ASCII chars for which str.isalpha() holds
_ASCII_RUNS = re.compile("[\x00-\x7f]+")


def _letter_count(text: str) -> int:
    """Letters and combining marks in `text`, CJK and one-language scripts counting CJK_LETTER_WEIGHT."""
    # Per-character Python was most of the cost of detect_language. ASCII
    # letters (weight 1) are counted in C by deleting them from the bytes;
    # the other characters, usually few, go through a per-character cache.
    ascii_only = text.encode("ascii", "ignore")
    count = len(ascii_only) - len(ascii_only.translate(None, _ASCII_LETTERS))
    if not text.isascii():
        count += sum(map(_WEIGHTS.__getitem__, _ASCII_RUNS.sub("", text)))
    return count


def _langdetect(sample: str) -> list[tuple[str, float]]:
    """langdetect's languages and probabilities, best first (ties in profile
    order, as langdetect sorts), leaving out those below NEGLIGIBLE; [] if it
    finds no n-grams. Korean is dropped from a text without Hangul:
    langdetect's Korean profile has the Hanja of Chinese text, and splits
    plain Chinese between the two."""
    detector = create_detector(_get_factory())
    detector.append(sample)
    try:
        # what get_probabilities() does first; its own ranking (a Language
        # object for each above 0.1) is not needed
        detector._detect_block()
    except LangDetectException:
        return []  # no usable n-grams (e.g. unsupported script)
    ranked = [pair for pair in zip(detector.langlist, detector.langprob, strict=True) if pair[1] >= NEGLIGIBLE]
    ranked.sort(key=itemgetter(1), reverse=True)  # stable: reverse keeps ties in order
    korean = next((prob for lang, prob in ranked if lang == "ko"), 0.0)
    if korean >= language_words.PROB_FLOOR and not _HANGUL.search(sample):
        rest = 1.0 - korean
        ranked = [(lang, prob / rest) for lang, prob in ranked if lang != "ko"] if rest > 0 else []
    return ranked


def _with_hint(ranked: list[tuple[str, float]], hint: str | None) -> tuple[str, float, float]:
    """(language, its probability, confidence): the best, or the hinted
    runner-up when the top two are within HINT_MARGIN; the confidence is
    then the pair's combined probability, since the text is confidently one
    of the two (typically id vs ms, hr vs bs)."""
    best_lang, best_prob = ranked[0]
    wanted = normalize_hint(hint)
    if wanted is None or len(ranked) < 2 or ranked[1][1] <= HINT_RUNNER_UP or best_prob - ranked[1][1] >= HINT_MARGIN:
        return best_lang, best_prob, best_prob
    runner_up, runner_prob = ranked[1]
    if wanted == runner_up:
        return runner_up, runner_prob, best_prob + runner_prob
    if wanted == best_lang:
        return best_lang, best_prob, best_prob + runner_prob
    return best_lang, best_prob, best_prob


def _short_text_passes(opinion: language_words.Opinion | None, lang: str, confidence: float, letters: int) -> bool:
    """Whether a short text keeps its label: the words must know it, or, with no list to ask, langdetect be sure."""
    if opinion is None:
        return letters >= SHORT_ALONE_LETTERS and confidence >= SHORT_ALONE_PROBABILITY
    found = opinion.evidence[lang]
    return (
        confidence >= SHORT_MIN_PROBABILITY
        and found.known >= SHORT_MIN_KNOWN
        and found.mean_log10 >= SHORT_MIN_MEAN_LOG10
    )


def decide(ranked: list[tuple[str, float]], sample: str, letters: int, hint: str | None = None) -> tuple[str, float]:
    """detect_language's answer from langdetect's ranking of `sample` (which has `letters` letters)."""
    if letters < MIN_WORD_LETTERS or not ranked:
        return UNDETERMINED, 0.0
    short = letters < MIN_LETTERS
    opinion = None
    best, best_prob = ranked[0]
    few_sentences = letters < LONG_TEXT_LETTERS
    if few_sentences:
        doubtful = short or best_prob < SECOND_OPINION_BELOW or best in language_words.CONFUSABLE
    else:
        doubtful = best_prob < MIN_PROBABILITY
    if doubtful:
        opinion = language_words.second_opinion(ranked, sample, short, family=few_sentences)
        if opinion is not None:
            ranked = opinion.ranked
    lang, prob, confidence = _with_hint(ranked, hint)
    passes = _short_text_passes(opinion, lang, confidence, letters) if short else confidence >= MIN_PROBABILITY
    return (lang, prob) if passes else (UNDETERMINED, prob)


def detect_language(text: str, hint: str | None = None) -> tuple[str, float]:
    """(langdetect code, probability) of `text`, or ("und", probability).

    The probability is langdetect's, or, where the words gave a second
    opinion, the combined one. "und" when the sample has fewer than
    MIN_WORD_LETTERS letters (probability 0.0), when it is short (under
    MIN_LETTERS) and fails the short-text checks, or when the winner's
    probability is below MIN_PROBABILITY. `hint` (e.g. the page's
    `<html lang>`) is only a tie-breaker between the top two (_with_hint).
    """
    sample = sample_text(text)
    letters = _letter_count(sample)
    if letters < MIN_WORD_LETTERS:
        return UNDETERMINED, 0.0
    # langdetect's detector with vectorised arithmetic: identical answers, faster
    return decide(_langdetect(sample), sample, letters, hint)


def detect_document(doc: Document) -> Document:
    """Set `lang` and `lang_score` from `doc.clean_text`, `lang_hint` as tie-breaker."""
    lang, score = detect_language(doc.clean_text, doc.lang_hint)
    return dataclasses.replace(doc, lang=lang, lang_score=score)
