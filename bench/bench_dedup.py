"""Dedup benchmark: quality against ground truth, speed and memory.

    python -m bench.bench_dedup quality CORPUS [--n 20000 --runs 4]
    python -m bench.bench_dedup signatures CORPUS [--n 5000]
    python -m bench.bench_dedup stage CORPUS --n 100000 [--workers 2]
    python -m bench.bench_dedup incremental CORPUS --warehouse-n 100000 --run-n 1000
    python -m bench.bench_dedup all CORPUS --n 100000 --out bench/out/dedup

CORPUS is a folder written by `python -m bench.corpus` (JSONL format). Every
measurement runs in its own process, so its peak RSS is its own; wall and CPU
seconds are both reported (the machine may be shared: CPU seconds are the
fairer per-core figure). sift is called only through bench/sift_dedup_adapter.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import sift_dedup_adapter as sift
from bench.corpus_truth import load_manifest, read_jsonl
from bench.dedup_quality import score
from dedup.config import DedupConfig

CFG = DedupConfig()


def _records(corpus: Path, start: int = 0, n: int | None = None):
    stop = None if n is None else start + n
    return itertools.islice(read_jsonl(corpus / "corpus.jsonl"), start, stop)


def _chunks(iterable, size: int):
    it = iter(iterable)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _fingerprint_records(records: list[dict]):
    return sift.fingerprint([sift.document(r) for r in records], CFG)


def fingerprinted_chunks(corpus: Path, start: int, n: int, chunk: int, workers: int):
    """Documents [start, start + n) fingerprinted in `workers` processes, chunk by chunk."""
    chunks = _chunks(_records(corpus, start, n), chunk)
    if workers <= 1:
        yield from map(_fingerprint_records, chunks)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_fingerprint_records, chunks)


def peak_rss_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(children, 1)}


def _fresh_db(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(Path(str(path) + ".staging"), ignore_errors=True)


def _round(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in d.items()}


# -- measurements, each meant to run in its own process --------------------------


def cmd_signatures(a) -> dict:
    records = list(_records(a.corpus, 0, a.n))
    docs = [sift.document(r) for r in records]
    # a process's first call imports numba and loads the compiled loops: a fixed
    # cost per process, reported apart from the per-document rate
    warm = time.process_time()
    sift.fingerprint(docs[:1], CFG)
    warm = time.process_time() - warm
    wall, cpu = time.perf_counter(), time.process_time()
    sift.fingerprint(docs, CFG)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    mean_kb = sum(len(r["text"].encode()) for r in records) / len(records) / 1024
    return {
        "docs": len(docs),
        "mean_doc_kb": round(mean_kb, 2),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "docs_per_cpu_second": round(len(docs) / cpu),
        "first_call_cpu_s": round(warm, 3),
        "what": "fingerprint_batch: normalise, doc MinHash (120), paragraph MinHash (24 each), hashes",
    }


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (fingerprinting workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def cmd_land(a) -> dict:
    """Land documents [start, start + n) into --db as one run (fingerprinting included)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    stats = sift.land_run(
        a.db, fingerprinted_chunks(a.corpus, a.start, a.n, a.chunk, a.workers), CFG, fingerprinted=True
    )
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return {
        "docs": stats.n_docs,
        "pairs": stats.n_pairs,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "docs_per_s": round(stats.n_docs / wall, 1),
        "docs_per_cpu_s": round(stats.n_docs / cpu, 1) if cpu else None,
        "phase_wall_s": _round(stats.seconds),
        "phase_cpu_s_main_process": _round(stats.cpu_seconds),
        "note": "fingerprinting runs in worker processes, overlapped with find_pairs (time not in phases)",
    }


def cmd_quality(a) -> dict:
    db = Path(a.work) / "quality.duckdb"
    _fresh_db(db)
    per_run = -(-a.n // a.runs)
    runs = []
    for k in range(a.runs):  # several runs: later ones match against what earlier ones landed
        chunks = fingerprinted_chunks(a.corpus, k * per_run, min(per_run, a.n - k * per_run), a.chunk, a.workers)
        runs.append(_round(sift.land_run(db, chunks, CFG).seconds))
    ids = {f"g{i:07d}" for i in range(a.n)}
    truth = [p for p in read_jsonl(a.corpus / "truth_pairs.jsonl") if p["a"] in ids and p["b"] in ids]
    doc_truth = {d["id"]: d for d in itertools.islice(read_jsonl(a.corpus / "doc_truth.jsonl"), a.n)}

    def texts(wanted: set[str]) -> dict[str, str]:
        return {r["id"]: r["text"] for r in _records(a.corpus, 0, a.n) if r["id"] in wanted}

    result = score(truth, doc_truth, sift.found_pairs(db), sift.clusters(db), texts)
    return {"docs": a.n, "runs": a.runs, "run_phase_wall_s": runs, **result}


def cmd_incremental(a) -> dict:
    """The same run of --run-n new documents into an empty and into a --warehouse-n warehouse."""
    work = Path(a.work)
    big, empty = work / "warehouse.duckdb", work / "empty.duckdb"
    built = None
    if not big.exists() or a.rebuild:
        _fresh_db(big)
        built = _child(
            ["land", str(a.corpus), "--db", str(big), "--n", str(a.warehouse_n), "--workers", str(a.workers)]
        )
    _fresh_db(empty)
    _child(["land", str(a.corpus), "--db", str(empty), "--n", "0"])  # migrated, no documents
    out: dict = {"warehouse_docs": a.warehouse_n, "run_docs": a.run_n, "build": built, "trials": {}}
    trials: dict[str, list[dict]] = {"empty": [], "warehouse": []}
    for _ in range(a.repeats):  # alternated, so a slow spell of the machine hits both
        for name, source in (("empty", empty), ("warehouse", big)):
            target = work / f"trial-{name}.duckdb"
            _fresh_db(target)
            shutil.copyfile(source, target)
            # the copy's writeback must not land inside the timed run (bench_ingest
            # measured a run right after writing its warehouse at twice its later runs)
            os.sync()
            args = ["--db", str(target), "--start", str(a.warehouse_n), "--n", str(a.run_n), "--workers", "1"]
            trials[name].append(_child(["land", str(a.corpus), *args]))
            _fresh_db(target)
    out["trials"] = trials
    med = {k: statistics.median(t["wall_s"] for t in v) for k, v in out["trials"].items()}
    out["median_wall_s"] = med
    out["ratio_warehouse_over_empty"] = round(med["warehouse"] / med["empty"], 3)
    out["run_peak_rss_mb"] = {k: max(t["peak_rss_mb"] for t in v) for k, v in out["trials"].items()}
    return out


def _child(args: list[str]) -> dict:
    """Run one measurement in a fresh process; its last output line is its JSON result."""
    done = subprocess.run([sys.executable, "-m", "bench.bench_dedup", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench_dedup {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cmd_stage(a) -> dict:
    """The whole dedup stage over --n documents into an empty warehouse, one run."""
    db = Path(a.work) / "stage.duckdb"
    _fresh_db(db)
    result = _child(["land", str(a.corpus), "--db", str(db), "--n", str(a.n), "--workers", str(a.workers)])
    result["db_mb"] = round(db.stat().st_size / 2**20, 1)
    _fresh_db(db)
    return result


def cmd_all(a) -> dict:
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    common = ["--workers", str(a.workers), "--work", a.work]
    results = {"corpus": str(a.corpus), "manifest": load_manifest(a.corpus)}
    results["signatures"] = _child(["signatures", str(a.corpus), "--n", str(min(a.n, 5000))])
    quality_n = min(a.quality_n, a.n)
    results["quality"] = _child(["quality", str(a.corpus), "--n", str(quality_n), "--runs", "4", *common])
    results["stage"] = _child(["stage", str(a.corpus), "--n", str(a.n), *common])
    results["incremental"] = _child(
        ["incremental", str(a.corpus), "--warehouse-n", str(a.n), "--run-n", str(a.run_n), "--rebuild", *common]
    )
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_dedup", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    commands = {
        "signatures": cmd_signatures,
        "land": cmd_land,
        "quality": cmd_quality,
        "stage": cmd_stage,
        "incremental": cmd_incremental,
        "all": cmd_all,
    }
    for name in commands:
        s = sub.add_parser(name)
        s.add_argument("corpus", type=Path)
        s.add_argument("--n", type=int, default=10_000)
        s.add_argument("--start", type=int, default=0)
        s.add_argument("--chunk", type=int, default=1000, help="documents per chunk (the flow's unit)")
        s.add_argument("--workers", type=int, default=2, help="fingerprinting processes")
        s.add_argument("--work", default=tempfile.gettempdir(), help="folder for scratch warehouses")
        s.add_argument("--db", type=Path)
        s.add_argument("--runs", type=int, default=4)
        s.add_argument("--warehouse-n", type=int, default=100_000)
        s.add_argument("--run-n", type=int, default=1000)
        s.add_argument("--repeats", type=int, default=3)
        s.add_argument("--rebuild", action="store_true")
        s.add_argument("--quality-n", type=int, default=20_000)
        s.add_argument("--out", default="bench/out/dedup")
    a = p.parse_args(argv)
    Path(a.work).mkdir(parents=True, exist_ok=True)
    if not (a.corpus / "corpus.jsonl").exists():
        p.error(f"{a.corpus} has no corpus.jsonl: write one with `python -m bench.corpus {a.corpus} --n N`")
    result = commands[a.command](a)
    result |= peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
