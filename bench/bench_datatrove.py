"""datatrove's MinHash dedup on a bench/corpus folder, side by side with sift.

datatrove is NOT a sift dependency: run this in a throw-away environment,

    uv run --with datatrove --with tokenizers --with "xxhash<4" --with spacy \\
        python -m bench.bench_datatrove CORPUS --n 100000 [--tasks 2] [--config both]

(datatrove 0.10 imports `tokenizers` at package import, hashes with xxhash (< 4: 4.x refuses
the str datatrove passes, "Strings must be encoded before hashing") and
tokenises English with a blank spaCy pipeline; nothing is downloaded at run
time). Its four stages run with LocalPipelineExecutor on `--tasks` processes:
signatures, buckets, clustering (one process by design), filter. The corpus
is first split into one JSONL shard per task (untimed) so that stage 1 can run
in parallel. Quality is scored the same way as sift's: same-cluster pairs
against the ground truth (datatrove treats any bucket hit as a duplicate).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.corpus_truth import jaccard, read_jsonl, shingles

NEAR = 0.8


def _shard(corpus: Path, n: int, shards: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    outs = [open(folder / f"part-{k:03d}.jsonl", "w", encoding="utf-8") for k in range(shards)]  # noqa: SIM115
    per = -(-n // shards)
    for i, line in enumerate(itertools.islice(open(corpus / "corpus.jsonl", encoding="utf-8"), n)):  # noqa: SIM115
        outs[i // per].write(line)
    for f in outs:
        f.close()


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (pool workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _word_tokenizer(kind: str):
    if kind == "spacy":
        return "eng"  # datatrove's default for English: a blank spaCy tokenizer
    from datatrove.utils.word_tokenizers import WordTokenizer

    class Whitespace(WordTokenizer):  # the cheapest tokenizer: shows what spaCy costs
        def word_tokenize(self, text: str) -> list[str]:
            return re.findall(r"\w+", text)

        def sent_tokenize(self, text: str) -> list[str]:
            return text.split("\n")

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [m.span() for m in re.finditer(r"\w+", text)]

    return Whitespace()


def run_datatrove(shards: Path, work: Path, tasks: int, buckets: int, rows: int, tokenizer: str) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    cfg = MinhashConfig(n_grams=5, num_buckets=buckets, hashes_per_bucket=rows, seed=1)
    lang = _word_tokenizer(tokenizer)
    shutil.rmtree(work, ignore_errors=True)

    def reader():
        return JsonlReader(str(shards), text_key="text", id_key="id")

    stages = {
        "signatures": dict(
            pipeline=[reader(), MinhashDedupSignature(output_folder=str(work / "sigs"), config=cfg, language=lang)],
            tasks=tasks,
        ),
        "buckets": dict(
            pipeline=[MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=cfg)],
            tasks=buckets,
        ),
        "cluster": dict(
            pipeline=[
                MinhashDedupCluster(str(work / "buckets"), str(work / "remove"), config=cfg, save_cluster_id=True)
            ],
            tasks=1,
        ),
        "filter": dict(
            pipeline=[
                reader(),
                MinhashDedupFilter(
                    str(work / "remove"), exclusion_writer=JsonlWriter(str(work / "removed")), load_cluster_ids=True
                ),
                JsonlWriter(str(work / "kept")),
            ],
            tasks=tasks,
        ),
    }
    seconds, cpu = {}, {}
    for name, spec in stages.items():
        started, cpu_started = time.perf_counter(), cpu_seconds()
        LocalPipelineExecutor(
            pipeline=spec["pipeline"],
            tasks=spec["tasks"],
            workers=min(spec["tasks"], tasks),
            logging_dir=str(work / "logs" / name),
            skip_completed=False,
            start_method="fork",  # workers are our children, so their CPU time is counted (forkserver hides it)
        ).run()
        seconds[name] = round(time.perf_counter() - started, 2)
        cpu[name] = round(cpu_seconds() - cpu_started, 2)
    return {
        "config": f"{buckets}x{rows}",
        "tokenizer": tokenizer,
        "stage_wall_s": seconds,
        "wall_s": round(sum(seconds.values()), 2),
        "stage_cpu_s": cpu,
        "cpu_s": round(sum(cpu.values()), 2),
    }


def _clusters(work: Path) -> dict[str, int]:
    out = {}
    for path in itertools.chain((work / "kept").glob("*.jsonl*"), (work / "removed").glob("*.jsonl*")):
        opener = __import__("gzip").open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                cluster = doc.get("metadata", {}).get("minhash_cluster_id", -1)
                if cluster != -1:
                    out[doc["id"]] = cluster
    return out


def score(corpus: Path, n: int, clusters: dict[str, int]) -> dict:
    """Same-cluster pairs against the truth: precision over them, recall over true J >= 0.8."""
    ids = {f"g{i:07d}" for i in range(n)}
    truth = {}
    for p in read_jsonl(corpus / "truth_pairs.jsonl"):
        if p["a"] in ids and p["b"] in ids:
            truth[tuple(sorted((p["a"], p["b"])))] = p
    members = defaultdict(list)
    for doc_id, cluster in clusters.items():
        members[cluster].append(doc_id)
    pairs = [tuple(sorted((a, b))) for ids_ in members.values() for i, a in enumerate(ids_) for b in ids_[i + 1 :]]
    unknown = {x for k in pairs if k not in truth for x in k}
    texts = {r["id"]: r["text"] for r in itertools.islice(read_jsonl(corpus / "corpus.jsonl"), n) if r["id"] in unknown}

    def true_j(k):
        return truth[k]["jaccard"] if k in truth else jaccard(shingles(texts[k[0]]), shingles(texts[k[1]]))

    correct = sum(1 for k in pairs if true_j(k) >= NEAR)
    dup_true = [k for k, p in truth.items() if p["jaccard"] >= NEAR or p["normalized_equal"]]
    found = sum(1 for k in dup_true if clusters.get(k[0], -1) != -1 and clusters.get(k[0]) == clusters.get(k[1]))
    removed = len(clusters) - len(members)
    return {
        "same_cluster_pairs": len(pairs),
        "precision": round(correct / len(pairs), 4) if pairs else None,
        "recall": round(found / len(dup_true), 4) if dup_true else None,
        "pairs_below_0.8_in_clusters": len(pairs) - correct,
        "documents_removed": removed,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_datatrove", description=__doc__.split("\n")[0])
    p.add_argument("corpus", type=Path)
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--tasks", type=int, default=2)
    p.add_argument("--config", choices=("default", "sift", "both"), default="both", help="14x8 (datatrove) or 20x6")
    p.add_argument("--tokenizer", choices=("spacy", "whitespace", "both"), default="spacy")
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-datatrove")
    p.add_argument("--no-quality", action="store_true")
    a = p.parse_args(argv)
    shards = a.work / "input"
    shutil.rmtree(shards, ignore_errors=True)
    _shard(a.corpus, a.n, a.tasks, shards)
    configs = {"default": [(14, 8)], "sift": [(20, 6)], "both": [(14, 8), (20, 6)]}[a.config]
    tokenizers = ["spacy", "whitespace"] if a.tokenizer == "both" else [a.tokenizer]
    results = []
    for (buckets, rows), tok in itertools.product(configs, tokenizers):
        run_dir = a.work / f"run-{buckets}x{rows}-{tok}"
        result = {"docs": a.n, "tasks": a.tasks, **run_datatrove(shards, run_dir, a.tasks, buckets, rows, tok)}
        result["docs_per_s"] = round(a.n / result["wall_s"], 1)
        result["docs_per_cpu_s"] = round(a.n / result["cpu_s"], 1)
        if not a.no_quality:
            result["quality"] = score(a.corpus, a.n, _clusters(run_dir))
        results.append(result)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"runs": results, "peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(rss, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
