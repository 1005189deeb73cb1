"""End-to-end ingest benchmark (issue 8): documents/s, per stage, memory, size.

    python bench/bench_ingest.py --shared ../shared --sizes 10000,100000 [--task-runner process]

For each size it generates a deterministic corpus (bench/corpus.py: Indonesian,
English and a few other languages, teaser lines, chrome, mojibake, exact, near
and partial duplicates; 4-5 KB documents), runs the real `sift ingest` (the
Prefect flow, as a user would) into a fresh warehouse, and reads the run's
per-stage seconds back from `runs.summary`. It also measures a run over an
empty folder (fixed overhead: Prefect and DuckDB start-up, migrations) and, with
--incremental, a 1,000-document run into the large warehouse against the same
run into an empty one. The naive baseline (bench/naive.py) runs on a sample in
the same invocation so every figure has a ratio. Writes bench/out/ingest.json
and bench/out/ingest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.rss import PeakSampler  # noqa: E402

OUT = ROOT / "bench" / "out"
LANGS = "id:0.4,en:0.4,de:0.05,fr:0.05,es:0.05,pt:0.05"
TRIALS = 3  # incremental runs of each kind
# bench.corpus options every benchmark corpus is made with (besides n, seed, languages)
CORPUS_OPTIONS = {"teasers": 0.5, "chrome": 0.5, "mojibake": 0.03}


def generate(out: Path, n: int, seed: int, shared: Path | None, reuse: bool = False) -> bool:
    """Write the corpus; False when `reuse` found it already there."""
    if reuse and _same_corpus(out, n, seed, shared):
        return False
    cmd = [sys.executable, "-m", "bench.corpus", str(out), "--n", str(n), "--seed", str(seed)]
    cmd += [arg for k, v in CORPUS_OPTIONS.items() for arg in (f"--{k}", str(v))]
    if shared:
        cmd += ["--shared", str(shared), "--langs", LANGS]
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return True


def _same_corpus(out: Path, n: int, seed: int, shared: Path | None) -> bool:
    """Whether `out` already holds the corpus generate() would write (a 1M corpus
    takes ~10 minutes to generate; its manifest records what it was made with)."""
    try:
        opts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["options"]
    except (OSError, ValueError, KeyError):
        return False
    langs = ",".join(f"{lang}:{w:g}" for lang, w in zip(opts["langs"], opts["lang_weights"], strict=True))
    wanted = {"n": n, "seed": seed, **CORPUS_OPTIONS}
    return all(opts.get(k) == v for k, v in wanted.items()) and (langs == LANGS) == bool(shared)


def ingest(paths: list[Path], db: Path, extra: list[str]) -> dict:
    """Run `sift ingest` as a user would; wall time, peak RSS of the process tree."""
    cmd = [sys.executable, "-m", "flows.cli", "ingest", *map(str, paths), "--db", str(db), *extra]
    env = {**os.environ, "PREFECT_HOME": str(ROOT / ".prefect")}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakSampler(proc.pid) as sampler:
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"sift ingest failed ({proc.returncode}):\n{err[-3000:]}")
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(sampler.peak / 2**20),
        "peak_pss_mb": round(sampler.peak_pss / 2**20),
        "peak_rss_mb_by_process": {k: round(v / 2**20) for k, v in sorted(sampler.by_role.items())},
        # where the tree's peak was: each kind of process's RSS then, and when
        "at_peak_rss_mb": {k: round(v / 2**20) for k, v in sorted(sampler.at_peak.items())},
        "peak_at_s": round(sampler.peak_at, 1),
        "cpu_s_by_process": {k: round(v, 1) for k, v in sorted(sampler.cpu_by_role.items())},
        "stdout": out,
    }


def last_run(db: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT n_inputs, n_documents, n_quarantined, summary FROM ops.runs ORDER BY started_at DESC LIMIT 1"
        ).fetchall()[0]
    finally:
        con.close()
    summary = json.loads(row[3] or "{}")
    return {"n_inputs": row[0], "n_documents": row[1], "n_quarantined": row[2], **summary}


def run_size(n: int, args, work: Path) -> dict:
    corpus = work / f"corpus_{n}"
    t = time.perf_counter()
    generated = generate(corpus, n, args.seed, args.shared, args.reuse)
    gen_s = time.perf_counter() - t
    db = work / f"bench_{n}.duckdb"
    # a fresh warehouse: with --reuse, the last run's would skip every document as landed
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    for leftover in (db.with_name(db.name + ".staging"), db.with_name(db.name + ".tmp")):
        shutil.rmtree(leftover, ignore_errors=True)
    extra = ["--task-runner", args.task_runner] if args.task_runner else []
    result = ingest([corpus / "corpus.jsonl"], db, extra)
    info = last_run(db)
    stages = info.get("stage_seconds", {})
    row = {
        "n": n,
        "generate_s": round(gen_s, 1),
        "corpus_reused": not generated,
        **{k: v for k, v in result.items() if k != "stdout"},
        "docs_per_s": round(n / result["wall_s"], 1),
        "n_documents": info["n_documents"],
        "n_quarantined": info["n_quarantined"],
        "stage_seconds": stages,
        "stage_docs_per_s": {k: round(n / v, 1) for k, v in stages.items() if v},
        "warehouse_mb": round(db.stat().st_size / 2**20, 1),
        "lock_held_s": info.get("lock_held_s"),
    }
    if args.incremental:
        row.update(incremental(db, work, n, args, extra))
    return row


def incremental(db: Path, work: Path, n: int, args, extra: list[str]) -> dict:
    """A 1,000-document run into a copy of the large warehouse and into an empty one,
    alternated TRIALS times; medians. Each timed run starts after os.sync(): right
    after the large run the kernel was still writing its warehouse out, and a
    single run into it measured twice its later runs (36.4 s against 18.3 s)."""
    inc = work / "inc"
    generate(inc, 1000, args.seed + 1, args.shared, args.reuse)
    trials: dict[str, list[float]] = {"full": [], "empty": []}
    for _ in range(TRIALS):
        for kind in trials:
            target = work / f"inc_{kind}_{n}.duckdb"
            target.unlink(missing_ok=True)
            if kind == "full":
                shutil.copyfile(db, target)
            os.sync()
            trials[kind].append(ingest([inc / "corpus.jsonl"], target, extra)["wall_s"])
            target.unlink()
    full, empty = statistics.median(trials["full"]), statistics.median(trials["empty"])
    return {
        "incremental_1k_into_full_s": full,
        "incremental_1k_into_empty_s": empty,
        "incremental_trials_s": trials,
        "incremental_ratio": round(full / empty, 2),
    }


def markdown(report: dict) -> str:
    lines = [
        f"# sift ingest benchmark ({report['commit']}, {report['cores']} cores, runner {report['task_runner']})",
        "",
        f"Fixed overhead (empty input): {report['overhead_s']} s",
        "",
        "| docs | wall s | docs/s | peak RSS MB (PSS) | largest process of each kind, RSS MB | warehouse MB "
        "| write lock held s | per stage docs/s | CPU s by process (all of a kind) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["sizes"]:
        stages = ", ".join(f"{k} {v}" for k, v in r["stage_docs_per_s"].items())
        by_process = ", ".join(f"{k} {v}" for k, v in r.get("peak_rss_mb_by_process", {}).items())
        cpu = ", ".join(f"{k} {v}" for k, v in r.get("cpu_s_by_process", {}).items())
        lines.append(
            f"| {r['n']} | {r['wall_s']} | {r['docs_per_s']} | {r['peak_rss_mb']} ({r.get('peak_pss_mb')}) "
            f"| {by_process} | {r['warehouse_mb']} | {r.get('lock_held_s')} | {stages} | {cpu} |"
        )
    for r in report["sizes"]:
        at_peak = ", ".join(f"{k} {v}" for k, v in r.get("at_peak_rss_mb", {}).items())
        if at_peak:
            lines.append(f"\n{r['n']} docs: the tree's RSS peaked {r['peak_at_s']} s in, holding {at_peak} MB")
    for r in report["sizes"]:
        if "incremental_ratio" in r:
            lines.append(
                f"\n1,000 docs into the {r['n']}-doc warehouse: {r['incremental_1k_into_full_s']} s vs "
                f"{r['incremental_1k_into_empty_s']} s into an empty one (ratio {r['incremental_ratio']})"
            )
    if report.get("naive"):
        nv = report["naive"]
        lines += ["", f"Naive baseline on {nv['n']} docs: {nv['docs_per_s']} docs/s", ""]
        lines += ["| stage | sift ms/doc | naive ms/doc | ratio |", "|---|---|---|---|"]
        for k, v in nv["ratios"].items():
            ratio = "" if v["ratio"] is None else f"{v['ratio']}x"
            sift_ms = "" if v["sift_ms"] is None else v["sift_ms"]
            lines.append(f"| {k} | {sift_ms} | {v['naive_ms'] or ''} | {ratio} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shared", type=Path, default=None, help="../shared for real lingua sentences")
    p.add_argument("--sizes", default="10000")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--task-runner", default="", help="passed to sift ingest --task-runner")
    p.add_argument("--incremental", action="store_true")
    p.add_argument("--naive-sample", type=int, default=1000, help="0 to skip the naive baseline")
    p.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp dir)")
    p.add_argument("--reuse", action="store_true", help="keep a corpus already in --work made with the same options")
    args = p.parse_args()
    if args.shared and not (args.shared / "data" / "lingua").is_dir():
        p.error(f"--shared {args.shared}: no data/lingua there")
    OUT.mkdir(parents=True, exist_ok=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="sift-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    empty = work / "empty_input"
    empty.mkdir(exist_ok=True)
    overhead = ingest([empty], work / "overhead.duckdb", [])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {
        "commit": commit.stdout.strip() or "unknown",
        "cores": os.cpu_count(),
        "task_runner": args.task_runner or "default",
        "overhead_s": overhead["wall_s"],
        "sizes": [run_size(int(n), args, work) for n in args.sizes.split(",")],
    }
    if args.naive_sample:
        from bench.naive import compare

        report["naive"] = compare(work / f"corpus_{args.sizes.split(',')[0]}" / "corpus.jsonl", args.naive_sample)
    (OUT / "ingest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    text = markdown(report)
    (OUT / "ingest.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
