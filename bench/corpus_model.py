"""The corpus model: which documents exist, what they say, and their ground truth.

Everything is a pure function of (seed, index): `plan` decides each document's
role and base in order (cheap, sequential), `doc` builds its text, and a copy
regenerates its base rather than keeping it, so memory stays constant.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from bench.corpus_text import body, edit_words, format_variant
from bench.corpus_truth import LIGHT_EDIT, Para, pair_record, shingles

EPOCH = datetime(2024, 1, 1)
_INC = 0xDA3E39CB94B95BDB  # PCG64 stream constant (odd); the state carries the seed


@dataclass(frozen=True)
class Options:
    n: int = 10_000
    seed: int = 1
    exact: float = 0.03  # share of documents that are exact copies of a base
    near: float = 0.10  # near copies (word edits at one of near_rates, or cut/extended)
    overlap: float = 0.06  # partial overlaps (one of overlap_shares of a base's paragraphs)
    near_rates: tuple[float, ...] = (0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.06, 0.1)
    overlap_shares: tuple[float, ...] = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    sites: int = 50
    boilerplate_sites: float = 0.4  # share of sites that add the same boilerplate to every page
    boilerplate_sentences: int = 4  # its size: ~60 words with the default, ~8 % of a page
    window: int = 2000  # copies mostly pick a recent base (a news cycle) ...
    local: float = 0.7  # ... with this probability, else any earlier base
    min_chars: int = 4000
    max_chars: int = 5000
    langs: tuple[str, ...] = ("xx",)
    lang_weights: tuple[float, ...] = (1.0,)
    mutation: float = 0.3  # --shared only: share of a real sentence's words swapped
    teasers: float = 0.0  # share of documents with teaser lines (issue 8 options, off for dedup)
    chrome: float = 0.0  # share with removable page chrome
    mojibake: float = 0.0  # share garbled as UTF-8 read as cp1252
    lang_hints: bool = False


@dataclass(frozen=True)
class Doc:
    paras: tuple[Para, ...]
    lang: str
    site: int
    published_at: datetime
    title: str
    variant: dict = field(default_factory=dict)


def gen_id(i: int) -> str:
    return f"g{i:07d}"


class Corpus:
    def __init__(self, opts: Options, source) -> None:
        self.opts = opts
        self.source = source
        self.bases: list[int] = []
        self.plans: dict[int, tuple[str, int]] = {}  # derived index -> (role, base index)
        self.children: dict[int, list[int]] = {}
        self.doc = lru_cache(maxsize=512)(self._make_doc)
        self.shingles = lru_cache(maxsize=256)(self._make_shingles)
        self.weights = np.cumsum(opts.lang_weights) / sum(opts.lang_weights)
        self._gens = {stream: np.random.Generator(np.random.PCG64(stream)) for stream in range(4)}
        self._boilerplate: dict[int, tuple[Para, ...]] = {}

    # -- pure functions of (seed, index) ------------------------------------
    def _rng(self, i: int, stream: int) -> np.random.Generator:
        """The generator of `stream`, reseeded for document i (5 us, against 40 us for
        a new default_rng); streams never nest, so one generator per stream is enough."""
        digest = hashlib.blake2b(f"{self.opts.seed}/{i}/{stream}".encode(), digest_size=16).digest()
        gen = self._gens[stream]
        gen.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": int.from_bytes(digest, "little"), "inc": _INC},
            "has_uint32": 0,
            "uinteger": 0,
        }
        return gen

    def site_of(self, i: int) -> int:
        digest = hashlib.blake2b(f"{self.opts.seed}/{i}/site".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self.opts.sites

    def boilerplate(self, site: int) -> tuple[Para, ...]:
        """Paragraphs every page of a boilerplate site carries (none otherwise)."""
        if site not in self._boilerplate:
            self._boilerplate[site] = self._make_boilerplate(site)
        return self._boilerplate[site]

    def _make_boilerplate(self, site: int) -> tuple[Para, ...]:
        rng = np.random.default_rng((self.opts.seed, site, 99))
        if rng.random() >= self.opts.boilerplate_sites:
            return ()
        lang = self.opts.langs[0]
        n = self.opts.boilerplate_sentences
        texts = [
            f"Site {site} " + " ".join(self.source.sentences(rng, lang, max(1, n - 1))),
            " ".join(self.source.sentences(rng, lang, 1)),
            self.source.headline(rng, lang),
        ]
        return tuple(Para(t, (-1 - site, k)) for k, t in enumerate(texts))

    def _own(self, rng, lang: str, n_chars: int, i: int, start: int = 0) -> list[Para]:
        return [Para(t, (i, start + k)) for k, t in enumerate(body(self.source, rng, lang, n_chars))]

    def _make_doc(self, i: int, role: str, base: int | None) -> Doc:
        src = self.doc(base, "base", None) if base is not None else None  # before stream 1 is reseeded
        rng = self._rng(i, 1)
        when = EPOCH + timedelta(minutes=5 * i)
        if role == "base":
            lang = self.opts.langs[int(np.searchsorted(self.weights, rng.random()))]
            site = self.site_of(i)
            bp = self.boilerplate(site)
            size = int(rng.integers(self.opts.min_chars, self.opts.max_chars)) - sum(len(p.text) + 1 for p in bp)
            paras = self._own(rng, lang, size, i)
            return Doc(tuple(paras) + bp, lang, site, when, self.source.headline(rng, lang))
        content = [p for p in src.paras if p.origin[0] >= 0]
        when = src.published_at + timedelta(hours=float(rng.uniform(1, 240)))
        if role == "exact":
            choice = int(rng.integers(5))  # 4: verbatim, else a surface variant
            paras = (
                src.paras if choice == 4 else tuple(Para(format_variant(p.text, choice), p.origin) for p in src.paras)
            )
            return Doc(paras, src.lang, src.site, when, src.title, {"format": choice})
        site = src.site if role == "near" and rng.random() < 0.5 else self.site_of(i)
        if role == "near":
            rate = float(self.opts.near_rates[int(rng.integers(len(self.opts.near_rates)))])
            if rng.random() < 0.25:  # cut or extended instead of edited
                cut = int(rng.integers(0, 3))
                paras = content[: len(content) - cut] if cut else content + self._own(rng, src.lang, 300, i, 1000)
                variant = {"edit_rate": 0.0, "cut": cut}
            else:
                light = rate <= LIGHT_EDIT
                paras = [Para(edit_words(p.text, rate, rng, self.source, src.lang), p.origin, light) for p in content]
                variant = {"edit_rate": rate}
        else:  # overlap: a share of the base's paragraphs, lightly edited, among its own
            share = float(self.opts.overlap_shares[int(rng.integers(len(self.opts.overlap_shares)))])
            k = max(1, round(share * len(content)))
            if rng.random() < 0.5:
                start = int(rng.integers(0, len(content) - k + 1))
                picked = content[start : start + k]
            else:
                picked = [content[j] for j in sorted(rng.choice(len(content), size=k, replace=False).tolist())]
            copied = [
                Para(
                    edit_words(p.text, float(rng.uniform(0, 0.04)) * (rng.random() < 0.5), rng, self.source, src.lang),
                    p.origin,
                )
                for p in picked
            ]
            target = int(rng.integers(self.opts.min_chars, self.opts.max_chars)) - sum(len(p.text) + 1 for p in copied)
            own = self._own(rng, src.lang, max(target, 200), i)
            at = int(rng.integers(0, len(own) + 1))
            paras = own[:at] + copied + own[at:]
            variant = {"share": share}
        paras = tuple(paras) + self.boilerplate(site)
        return Doc(paras, src.lang, site, when, self.source.headline(rng, src.lang), variant)

    # -- the plan: roles and bases, sequential and cheap ---------------------
    def plan(self, i: int) -> tuple[str, int | None]:
        rng = self._rng(i, 0)
        u, o = rng.random(), self.opts
        if not self.bases or u >= o.exact + o.near + o.overlap:
            self.bases.append(i)
            return "base", None
        role = "exact" if u < o.exact else "near" if u < o.exact + o.near else "overlap"
        if rng.random() < o.local:
            base = self.bases[-1 - int(rng.integers(min(o.window, len(self.bases))))]
        else:
            base = self.bases[int(rng.integers(len(self.bases)))]
        self.plans[i] = (role, base)
        self.children.setdefault(base, []).append(i)
        return role, base

    def role_of(self, i: int) -> tuple[str, int | None]:
        return self.plans.get(i, ("base", None))

    def truth_pairs(self, i: int, role: str, base: int) -> list[dict]:
        mine = self._truth_view(i, role, base)
        out = [pair_record(gen_id(base), gen_id(i), role, self._truth_view(base, "base", None), mine)]
        for k in self.children[base]:
            if k >= i:
                break
            r, _ = self.plans[k]
            out.append(pair_record(gen_id(k), gen_id(i), f"sibling:{r}+{role}", self._truth_view(k, r, base), mine))
        return out

    def _truth_view(self, i: int, role: str, base: int | None) -> tuple:
        d = self.doc(i, role, base)
        return self.shingles(i, role, base), [p for p in d.paras if p.origin[0] >= 0], d.site

    def _make_shingles(self, i: int, role: str, base: int | None) -> frozenset:
        return frozenset(shingles("\n".join(p.text for p in self.doc(i, role, base).paras)))
