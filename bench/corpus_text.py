"""Text sources for the synthetic corpus: paragraphs, headlines and word edits.

Two sources share one interface. `WordSource` invents a Zipf-distributed
vocabulary of pronounceable words (no external data). `SentenceSource`
composes real sentences from ../shared/data/lingua/sentences/<lang>.txt; as
there are only 1,000 sentences per language, every sentence has a share of
its words swapped for other words of the same language, so 100k documents do
not keep repeating the same 5-grams while the text still reads (and is
detected) as that language.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

_ONSETS = ("", "b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "w", "j", "h", "ng", "ny", "tr", "pr", "st")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "au")
_CODAS = ("", "", "", "n", "m", "r", "s", "k", "t", "ng")
VOCAB_SEED = 20240  # the built-in vocabulary is the same for every corpus seed


def _zipf_cdf(n: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


class WordSource:
    """Invented words, Zipf frequencies: a stand-in language called `xx`."""

    langs = ("xx",)

    def __init__(self, vocab_size: int = 40_000, exponent: float = 1.05) -> None:
        rng = np.random.default_rng(VOCAB_SEED)
        syllables = [o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS]
        words: dict[str, None] = {}
        while len(words) < 2 * vocab_size:  # draw in bulk, keep the first occurrence of each word
            n_syl = rng.choice(np.array([1, 2, 2, 2, 3, 3, 4]), size=vocab_size)
            picks = rng.integers(0, len(syllables), size=(vocab_size, 4)).tolist()
            for n, pick in zip(n_syl.tolist(), picks, strict=True):
                words.setdefault("".join(syllables[k] for k in pick[:n]), None)
        # frequent words tend to be short, as in natural languages: ~5 letters a word on average
        short = [w for w in words if len(w) < 3][:20]  # a few function words, not hundreds
        kept = short + [w for w in words if len(w) >= 3][: vocab_size - len(short)]
        noise = rng.uniform(0, 40, len(kept)).tolist()
        order = sorted(range(len(kept)), key=lambda k: len(kept[k]) + noise[k])
        self.vocab = np.array([kept[k] for k in order], dtype=object)
        # Zipf sampling by table lookup: entry k is the word at quantile k/size
        # (an integer draw and a take, ~10x faster than searchsorted per draw).
        size = 1 << 20
        self.table = np.searchsorted(_zipf_cdf(vocab_size, exponent), (np.arange(size) + 0.5) / size)

    def words(self, rng: np.random.Generator, n: int, lang: str = "xx") -> list[str]:
        return self.vocab[self.table[rng.integers(0, len(self.table), n)]].tolist()

    def sentences(self, rng: np.random.Generator, lang: str, n: int) -> list[str]:
        lengths = rng.integers(6, 25, n)
        ends = np.cumsum(lengths).tolist()
        words = self.words(rng, ends[-1])
        commas = (rng.random(n) < 0.4).tolist()  # a comma now and then
        out, start = [], 0
        for end, comma in zip(ends, commas, strict=True):
            words[start] = words[start].capitalize()
            words[end - 1] += "."
            if comma:
                words[(start + end) // 2] += ","
            out.append(" ".join(words[start:end]))
            start = end
        return out

    def headline(self, rng: np.random.Generator, lang: str) -> str:
        return " ".join(w.capitalize() for w in self.words(rng, int(rng.integers(5, 11))))


class SentenceSource:
    """Real sentences (lingua), with `mutation` of their words swapped."""

    def __init__(self, shared: Path, langs: tuple[str, ...], mutation: float = 0.3) -> None:
        folder = Path(shared) / "data" / "lingua" / "sentences"
        self.langs = langs
        self.mutation = mutation
        self.sentences_of: dict[str, list[list[str]]] = {}
        self.vocab: dict[str, np.ndarray] = {}
        for lang in langs:
            path = folder / f"{lang}.txt"
            if not path.exists():
                raise SystemExit(f"corpus: no sentences for {lang!r} at {path}; pick langs from {folder}")
            lines = [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            self.sentences_of[lang] = lines
            # tokens with their frequency, so substitutes follow the language's distribution
            self.vocab[lang] = np.array(
                [w.strip(".,;:!?\"'()«»“”") for line in lines for w in line if w.strip(".,;:!?\"'()«»“”")],
                dtype=object,
            )

    def words(self, rng: np.random.Generator, n: int, lang: str) -> list[str]:
        vocab = self.vocab[lang]
        return list(vocab[rng.integers(0, len(vocab), n)])

    def sentences(self, rng: np.random.Generator, lang: str, n: int) -> list[str]:
        pool = self.sentences_of[lang]
        picked = [list(pool[k]) for k in rng.integers(0, len(pool), n).tolist()]
        lengths = [len(words) for words in picked]
        swap = rng.random(sum(lengths)) < self.mutation  # one draw for the whole batch
        subs = iter(self.words(rng, int(swap.sum()), lang))
        flags = iter(swap.tolist())
        out = []
        for words in picked:
            for k, w in enumerate(words):
                if next(flags):
                    words[k] = next(subs) + w[len(w.rstrip(".,;:!?")) :]  # keep the sentence's punctuation
            out.append(" ".join(words))
        return out

    def headline(self, rng: np.random.Generator, lang: str) -> str:
        words = self.sentences(rng, lang, 1)[0].rstrip(".!?").split()
        return " ".join(words[: int(rng.integers(5, 11))])


def body(source, rng: np.random.Generator, lang: str, n_chars: int) -> list[str]:
    """Paragraphs of 1-5 sentences, now and then a short subheading, until the
    text (one newline between paragraphs) reaches `n_chars`."""
    out: list[str] = []
    pool: list[str] = []
    size = -1
    while size < n_chars:
        if rng.random() < 0.1:
            para = source.headline(rng, lang)[:60].rstrip()
        else:
            k = int(rng.integers(1, 6))
            if len(pool) < k:
                pool.extend(source.sentences(rng, lang, 48))  # one draw covers most of a document
            para, pool = " ".join(pool[:k]), pool[k:]
        out.append(para)
        size += len(para) + 1
    return out


def edit_words(text: str, rate: float, rng: np.random.Generator, source, lang: str) -> str:
    """Substitute, delete or insert words, each word edited with probability `rate`."""
    if rate <= 0:
        return text
    words = text.split(" ")
    hits = np.flatnonzero(rng.random(len(words)) < rate)
    if not len(hits):
        return text
    ops = rng.integers(0, 3, len(hits))
    subs = source.words(rng, len(hits), lang)
    for k, op, sub in sorted(zip(hits.tolist(), ops.tolist(), subs, strict=True), reverse=True):
        if op == 0:
            words[k] = sub
        elif op == 1 and len(words) > 1:
            del words[k]
        else:
            words.insert(k, sub)
    return " ".join(words)


def format_variant(paragraph: str, choice: int) -> str:
    """The same normalised text in another surface form: case, spacing, commas."""
    if choice == 0:
        return paragraph.upper()
    if choice == 1:
        return paragraph.replace(". ", ".  ")
    if choice == 2:
        return paragraph.replace(",", " ,").replace(" ", "  ", 3)
    return paragraph.lower().capitalize()
