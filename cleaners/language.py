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
"""

from __future__ import annotations

import dataclasses
import re
import string
import threading
import unicodedata

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from cleaners.langdetect_fast import create_detector
from cleaners.record import Document

UNDETERMINED = "und"
# Fewer letters than this is a caption or a button label: n-gram statistics
# on it are noise (3-word strings flip between languages).
MIN_LETTERS = 20
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
# Below this top probability the text is mixed or in a language langdetect
# has no profile for; "und" is more honest than its best guess.
MIN_PROBABILITY = 0.70
# The hint only decides between the top two when they are this close.
HINT_MARGIN = 0.20
SAMPLE_CHARS = 1500  # total, split across start, middle and end

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


def detect_language(text: str, hint: str | None = None) -> tuple[str, float]:
    """(langdetect code, probability) of `text`, or ("und", probability).

    "und" when the sample has fewer than MIN_LETTERS letters (probability
    0.0) or the winner's probability is below MIN_PROBABILITY. `hint` (e.g.
    the page's `<html lang>`) is only a tie-breaker: when the top two are
    within HINT_MARGIN and the hint names one of them, that one wins, and
    the confidence check uses the pair's combined probability, since the
    text is then confidently one of the two (typically id vs ms, hr vs bs).
    """
    sample = sample_text(text)
    if _letter_count(sample) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    # langdetect's detector with vectorised arithmetic: identical answers, faster
    detector = create_detector(_get_factory())
    detector.append(sample)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED, 0.0  # no usable n-grams (e.g. unsupported script)
    if not ranked:
        return UNDETERMINED, 0.0
    best_lang, best_prob = ranked[0].lang, ranked[0].prob
    confidence = best_prob
    wanted = normalize_hint(hint)
    if wanted is not None and len(ranked) > 1 and best_prob - ranked[1].prob < HINT_MARGIN:
        runner_up = ranked[1]
        if wanted == runner_up.lang:
            best_lang, best_prob = runner_up.lang, runner_up.prob
        if wanted in (ranked[0].lang, runner_up.lang):
            confidence = ranked[0].prob + runner_up.prob
    if confidence < MIN_PROBABILITY:
        return UNDETERMINED, best_prob
    return best_lang, best_prob


def detect_document(doc: Document) -> Document:
    """Set `lang` and `lang_score` from `doc.clean_text`, `lang_hint` as tie-breaker."""
    lang, score = detect_language(doc.clean_text, doc.lang_hint)
    return dataclasses.replace(doc, lang=lang, lang_score=score)
