"""Deterministic synthetic corpora with ground truth, for dedup and ingest benchmarks.

    python -m bench.corpus OUT --n 100000 --seed 1 [--shared ../shared --langs id,en,de]
        [--format jsonl|txt] [--teasers 0.5 --chrome 0.5 --mojibake 0.05]

Documents of 4-5 KB: base documents, exact copies (verbatim or in another
surface form: case, spacing, commas), near copies at controlled word-edit
rates, partial overlaps (a share of a base's paragraphs copied with light
edits, the rest the document's own) and unrelated documents whose sites add
the same boilerplate paragraphs. Everything is a pure function of (seed,
index): a copy regenerates its base instead of keeping it, so generation
streams in constant memory (only a list of base indices is kept).

Writes OUT/corpus.jsonl (or OUT/txt/NNNN/<id>.txt), OUT/doc_truth.jsonl (role,
base, site, injected noise lines with their reason codes), OUT/truth_pairs.jsonl
(every pair within a family with its true Jaccard and paragraph shares; see
bench/corpus_truth.py) and OUT/manifest.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from bench.corpus_model import Corpus, Options, gen_id
from bench.corpus_noise import inject
from bench.corpus_text import SentenceSource, WordSource

__all__ = ["Corpus", "Options", "main", "write"]


_FILES = ("corpus.jsonl", "doc_truth.jsonl", "truth_pairs.jsonl")
_CORPUS: Corpus | None = None  # the planned corpus, inherited by forked workers


def _write_chunk(job: tuple[int, int, Path, str, int]) -> tuple[dict[str, int], int]:
    """Documents [start, stop) into part files `OUT/.parts/NNNNN.*` (or txt files)."""
    start, stop, out, fmt, part = job
    corpus, opts = _CORPUS, _CORPUS.opts
    counts: dict[str, int] = {}
    n_bytes = 0
    parts = out / ".parts"
    docs_f = open(parts / f"{part:05d}.corpus.jsonl", "w", encoding="utf-8") if fmt == "jsonl" else None  # noqa: SIM115
    with (
        open(parts / f"{part:05d}.doc_truth.jsonl", "w", encoding="utf-8") as truth_f,
        open(parts / f"{part:05d}.truth_pairs.jsonl", "w", encoding="utf-8") as pairs_f,
    ):
        for i in range(start, stop):
            role, base = corpus.role_of(i)
            counts[role] = counts.get(role, 0) + 1
            doc = corpus.doc(i, role, base)
            lines, injected, garbled = inject(
                list(doc.paras), corpus._rng(i, 3), doc.lang, doc.site, corpus.source, opts
            )
            text = "\n".join(lines)
            n_bytes += len(text.encode("utf-8"))
            site = f"site-{doc.site:03d}"
            record = {"id": gen_id(i), "source": site, "url": f"https://{site}.example/news/{gen_id(i)}"}
            record |= {"title": doc.title, "published_at": doc.published_at.isoformat(), "text": text}
            if opts.lang_hints:
                record["lang"] = doc.lang
            if docs_f is not None:
                docs_f.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                path = out / "txt" / f"{i // 1000:04d}" / f"{gen_id(i)}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            truth = {"id": gen_id(i), "role": role, "base": gen_id(base) if base is not None else None}
            truth |= {"site": doc.site, "lang": doc.lang, "boilerplate": bool(corpus.boilerplate(doc.site))}
            truth |= {"variant": doc.variant, "injected": injected, "mojibake": garbled}
            truth_f.write(json.dumps(truth) + "\n")
            if base is not None:
                for pair in corpus.truth_pairs(i, role, base):
                    counts["pairs"] = counts.get("pairs", 0) + 1
                    pairs_f.write(json.dumps(pair) + "\n")
    if docs_f is not None:
        docs_f.close()
    return counts, n_bytes


def write(out: Path, opts: Options, source, fmt: str, workers: int = 1) -> dict:
    """Plan the corpus, write chunks of it in `workers` processes, join the parts in order."""
    global _CORPUS
    started = time.perf_counter()
    (out / ".parts").mkdir(parents=True, exist_ok=True)
    _CORPUS = corpus = Corpus(opts, source)
    for i in range(opts.n):
        corpus.plan(i)
    size = max(1, min(2000, -(-opts.n // (workers * 4))))
    jobs = [(start, min(start + size, opts.n), out, fmt, k) for k, start in enumerate(range(0, opts.n, size))]
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_write_chunk, jobs, chunksize=1)
    else:
        results = [_write_chunk(job) for job in jobs]
    for name in _FILES if fmt == "jsonl" else _FILES[1:]:
        with open(out / name, "wb") as dest:
            for job in jobs:
                part = out / ".parts" / f"{job[4]:05d}.{name}"
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, dest, 1 << 20)
                part.unlink()
    (out / ".parts").rmdir()
    counts: dict[str, int] = {}
    for part_counts, _ in results:
        for k, v in part_counts.items():
            counts[k] = counts.get(k, 0) + v
    seconds = time.perf_counter() - started
    manifest = {
        "options": asdict(opts),
        "format": fmt,
        "counts": counts,
        "mean_bytes": round(sum(b for _, b in results) / max(opts.n, 1)),
        "workers": workers,
        "seconds": round(seconds, 2),
        "docs_per_second": round(opts.n / seconds),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _floats(text: str) -> tuple[float, ...]:
    return tuple(float(x) for x in text.split(","))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--n", type=int, default=Options.n)
    p.add_argument("--seed", type=int, default=Options.seed)
    p.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    p.add_argument("--shared", type=Path, help="../shared: compose real sentences from data/lingua")
    p.add_argument("--langs", default="en", help="with --shared: lang[:weight],... e.g. id:0.45,en:0.45,de:0.1")
    for name in ("exact", "near", "overlap", "boilerplate_sites", "mutation", "teasers", "chrome", "mojibake"):
        p.add_argument("--" + name.replace("_", "-"), type=float, default=getattr(Options, name))
    p.add_argument("--near-rates", type=_floats, default=Options.near_rates)
    p.add_argument("--overlap-shares", type=_floats, default=Options.overlap_shares)
    p.add_argument("--sites", type=int, default=Options.sites)
    p.add_argument("--boilerplate-sentences", type=int, default=Options.boilerplate_sentences)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    p.add_argument("--lang-hints", action="store_true", help="write each record's language as a JSONL `lang` hint")
    a = p.parse_args(argv)
    if a.exact + a.near + a.overlap >= 1 or min(a.exact, a.near, a.overlap) < 0:
        p.error("--exact + --near + --overlap must be in [0, 1): the rest are base documents")
    langs, weights = ("xx",), (1.0,)
    if a.shared:
        specs = [x.split(":") for x in a.langs.split(",")]
        langs = tuple(s[0] for s in specs)
        weights = tuple(float(s[1]) if len(s) > 1 else 1.0 for s in specs)
    opts = Options(
        n=a.n, seed=a.seed, exact=a.exact, near=a.near, overlap=a.overlap, near_rates=a.near_rates,
        overlap_shares=a.overlap_shares, sites=a.sites, boilerplate_sites=a.boilerplate_sites,
        boilerplate_sentences=a.boilerplate_sentences, langs=langs,
        lang_weights=weights, mutation=a.mutation, teasers=a.teasers, chrome=a.chrome, mojibake=a.mojibake,
        lang_hints=a.lang_hints,
    )  # fmt: skip
    source = SentenceSource(a.shared, langs, a.mutation) if a.shared else WordSource()
    manifest = write(a.out, opts, source, a.format, max(1, a.workers))
    print(json.dumps({k: manifest[k] for k in ("counts", "mean_bytes", "workers", "seconds", "docs_per_second")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
