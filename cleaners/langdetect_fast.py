"""langdetect's own detector with its hot loops rewritten: same results, much faster.

langdetect spends its time in pure-Python loops: building the text one
character at a time, extracting n-grams through an object per character,
and, in each of 7 trials, drawing random n-grams one at a time and updating
55 probabilities per draw until one language passes 0.99999. `FastDetector`
keeps the algorithm, the profiles and the seeded random sequence exactly
and only changes how the work is done:

- the n-grams of each distinct word are extracted once (cached, with their
  row numbers in a matrix of the profile's n-gram vectors);
- the random draws are read in bulk off the generator's raw outputs, which
  decide `random.choice` and `random.gauss` exactly (langdetect_draws), so
  the same n-grams are drawn in the same order;
- each trial's loop is compiled (langdetect_trials): langdetect's own
  arithmetic in its own order, without a Python call per draw.

Results equal langdetect's (tests compare them on many texts, and the draws
with `random.Random` itself).
"""

from __future__ import annotations

import re
import threading
from array import array

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from cleaners.langdetect_draws import Outputs, gauss, seeded_outputs
from cleaners.langdetect_trials import trial

_SPACES = re.compile("  +")  # a lone space stays as it is: only runs need folding
# langdetect's Latin is 'A' <= ch <= 'z', its non-Latin ch >= U+0300 (it means
# to leave out Latin Extended Additional, but compares unicode_block()'s
# number with a block name, so it never does)
_A_TO_Z = bytes(range(ord("A"), ord("z") + 1))
_LATIN_LETTERS = re.compile("[A-z]+")
_BELOW_U0300 = re.compile("[\x00-\u02ff]+")
_VI_MARKS = re.compile(f"[{NGram.DMARK_CLASS}]")  # NGram.normalize_vi changes nothing without one
# Generator outputs a trial is first given: a trial that converges uses a few
# hundred, one that runs to ITERATION_LIMIT about 1,000 times (1 + rejections).
_OUTPUTS_AHEAD = 1024
# Entries a word cache generation holds (see _WordCache). On the 100k bench
# corpus in one process: one dict of up to 200,000 cleared when full grew to
# +85 MB in 40.9 CPU-s; two generations of 50,000, +60 MB in 48.7 (the same
# labels): 25 MB a worker for 0.08 ms a document.
_WORD_CACHE_MAX = 50_000
_INITIAL_ROWS = 4096  # profile rows; a few languages' news use ~10,000 of the 87,598


class _Normalized(dict):
    """code point -> NGram.normalize(char), a str.translate table filled on first sight."""

    def __missing__(self, code: int) -> str:
        if len(self) > 65536:  # hostile input: every code point once
            self.clear()
        value = self[code] = NGram.normalize(chr(code))
        return value


_NORMALIZED = _Normalized()


def _scan(chars: str, known: dict) -> tuple[str, ...]:
    """NGram.add_char/get inlined over normalised chars (a word of the text, which
    normalisation may have split with spaces): the n-grams langdetect emits."""
    result: list[str] = []
    grams, capital = " ", False
    for ch in chars:
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
            if ch == " ":
                continue
        elif len(grams) >= NGram.N_GRAM:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        for n in (1, 2, 3):
            if len(grams) < n:
                break
            w = grams[-n:]
            if w != " " and w in known:
                result.append(w)
    return tuple(result)


class _WordCache:
    """word -> entry, bounded: two generations of up to _WORD_CACHE_MAX each.
    When the young one fills it becomes the old one, and a word found only
    in the old one moves back to the young: what recurs stays, what was seen
    once goes, where clearing everything at the bound made a worker refill
    (and hold, in freed but fragmented memory) its whole vocabulary again."""

    def __init__(self) -> None:
        self.young: dict[str, bytes] = {}
        self.old: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        entry = self.young.get(key)
        if entry is None:
            entry = self.old.get(key)
            if entry is not None:
                self.put(key, entry)
        return entry

    def put(self, key: str, entry: bytes) -> None:
        if len(self.young) >= _WORD_CACHE_MAX:
            self.old = self.young
            self.young = {}
        self.young[key] = entry


class _Profiles:
    """One factory's n-gram vectors as rows of a matrix, added as the n-grams
    are first met, and the n-grams (as row numbers) of every word seen."""

    def __init__(self, known: dict[str, list[float]], n_lang: int) -> None:
        self.known = known
        self.rows: dict[str, int] = {}
        self.names: list[str] = []  # row -> n-gram
        self.matrix = np.empty((_INITIAL_ROWS, n_lang))
        # Words are independent: langdetect's n-gram buffer restarts after
        # every space, whether the text had it or normalisation made it (from
        # punctuation, digits). So the n-grams of "word," followed by a space
        # are worked out once; only the text's last word has no space after it.
        # `normalized` is keyed by the normalised word and its space: "Word,"
        # and "Word." share one scan. Row numbers are kept as C ints in bytes:
        # small, and a text's join cheaply.
        self.spaced = _WordCache()
        self.final = _WordCache()
        self.normalized = _WordCache()
        self.lock = threading.Lock()

    def word(self, word: str, spaced: bool) -> bytes:
        """The row numbers of the n-grams of a word of the text (before normalisation)."""
        cache = self.spaced if spaced else self.final
        entry = cache.young.get(word)  # most words: no call
        if entry is None:
            entry = cache.get(word)
            if entry is None:
                entry = self._normalized_word(word.translate(_NORMALIZED) + (" " if spaced else ""))
                cache.put(word, entry)
        return entry

    def _normalized_word(self, chars: str) -> bytes:
        entry = self.normalized.get(chars)
        if entry is None:
            grams = _scan(chars, self.known)
            rows = list(map(self.rows.get, grams))
            if None in rows:
                with self.lock:  # a row is written before its number is handed out
                    rows = [self._row(g) for g in grams]
            entry = array("i", rows).tobytes()
            self.normalized.put(chars, entry)
        return entry

    def _row(self, gram: str) -> int:
        row = self.rows.get(gram)
        if row is None:
            row = len(self.rows)
            if row == len(self.matrix):  # readers keep the old matrix: rows are never rewritten
                grown = np.empty((2 * row, self.matrix.shape[1]))
                grown[:row] = self.matrix
                self.matrix = grown
            self.matrix[row] = self.known[gram]
            self.names.append(gram)
            self.rows[gram] = row
        return row


_PROFILES: dict[int, _Profiles] = {}
_profiles_lock = threading.Lock()


class FastDetector(Detector):
    def __init__(self, factory: DetectorFactory) -> None:
        super().__init__(factory)
        key = id(self.word_lang_prob_map)
        profiles = _PROFILES.get(key)
        if profiles is None:
            with _profiles_lock:
                profiles = _PROFILES.setdefault(key, _Profiles(self.word_lang_prob_map, len(self.langlist)))
        self._profiles = profiles

    def append(self, text: str) -> None:
        # as Detector.append: URLs and mail addresses out, runs of spaces
        # folded; each step is skipped when the text cannot contain its target
        if "://" in text:
            text = self.URL_RE.sub(" ", text)
        if "@" in text:
            text = self.MAIL_RE.sub(" ", text)
        if _VI_MARKS.search(text):
            text = NGram.normalize_vi(text)
        self.text += _SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        # as Detector.cleaning_text, counting in C (bytes.translate, regex) instead of a char loop
        text = self.text
        ascii_only = text.encode("ascii", "ignore")
        latin = len(ascii_only) - len(ascii_only.translate(None, _A_TO_Z))
        if latin * 2 >= len(text) - len(ascii_only):
            return  # not even counting every non-ASCII char as non-Latin
        if latin * 2 < len(_BELOW_U0300.sub("", text)):
            self.text = _LATIN_LETTERS.sub("", text)

    def _ngram_rows(self) -> np.ndarray:
        """The row numbers of the n-grams langdetect extracts from the text, in order."""
        words = self.text.split(" ")
        profiles = self._profiles
        last = profiles.word(words.pop(), False)
        rows = list(map(profiles.spaced.get, words))
        rows.append(last)
        try:
            joined = b"".join(rows)
        except TypeError:  # words not seen before (None); zip leaves `last` out
            rows = [r if r is not None else profiles.word(w, True) for r, w in zip(rows, words, strict=False)]
            joined = b"".join(rows) + last
        return np.frombuffer(joined, dtype=np.intc)

    def _extract_ngrams(self) -> list[str]:
        # exactly the list langdetect builds
        names = self._profiles.names
        return [names[row] for row in self._ngram_rows().tolist()]

    def _outputs(self) -> Outputs:
        if type(self.seed) is int:
            return seeded_outputs(self.seed)
        self.random.seed(self.seed)  # unseeded (or an exotic seed): this detector's own generator
        return Outputs(self.random)

    def _detect_block(self) -> None:
        # as Detector._detect_block: seed, then per trial one gauss() and choice() draws
        self.cleaning_text()
        rows = self._ngram_rows()
        if not len(rows):
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        matrix = self._profiles.matrix  # read after the rows: it has them
        outputs = self._outputs()
        init = np.asarray(self._init_probability(), dtype=np.float64)
        shift = 32 - len(rows).bit_length()
        langprob = np.zeros(len(self.langlist))
        limits = (self.CONV_THRESHOLD, self.ITERATION_LIMIT)
        pos, spare = 0, None  # as after self.random.seed(self.seed)
        for _ in range(self.n_trial):
            value, spare, pos = gauss(outputs, pos, spare)
            weight = (self.alpha + value * self.ALPHA_WIDTH) / self.BASE_FREQ
            ahead = _OUTPUTS_AHEAD
            while True:
                prob = init.copy()
                used = trial(outputs.get(pos, ahead), rows, shift, matrix, prob, weight, *limits)
                if used >= 0:
                    break
                ahead *= 4  # a long trial (ambiguous text): read further ahead and run it again
            pos += used
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()


def create_detector(factory: DetectorFactory) -> FastDetector:
    """Like factory.create(): a detector on the factory's profiles and seed."""
    detector = FastDetector(factory)
    if factory.seed is not None:
        detector.seed = factory.seed
    return detector
