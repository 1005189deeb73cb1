"""Markdown table of the dedup targets from bench_dedup's and bench_datatrove's JSON results.

python -m bench.dedup_report bench/out/dedup   (reads results.json and datatrove.json there)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _get(d: dict | None, *keys, default=None):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def _ge(value, target) -> bool | None:
    return None if value is None else value >= target


def rows(results: dict, datatrove: dict | None) -> list[tuple[str, str, str, str]]:
    q = results.get("quality", {})
    sig = results.get("signatures", {})
    stage = results.get("stage", {})
    inc = results.get("incremental", {})
    out = []
    prec, rec = _get(q, "duplicates", "precision"), _get(q, "duplicates", "recall_pair_or_cluster")
    direct = _get(q, "duplicates", "recall_recorded_pair")
    out.append(("pair precision, true J >= 0.8", ">= 0.98", f"{prec}", _mark(_ge(prec, 0.98))))
    out.append(
        (
            "pair recall, true J >= 0.8 (pair or cluster)",
            ">= 0.95",
            f"{rec} (pair only: {direct})",
            _mark(_ge(rec, 0.95)),
        )
    )
    ov = _get(q, "overlaps", "recall")
    out.append(("overlap recall, >= 50 % paragraphs shared", ">= 0.95", f"{ov}", _mark(_ge(ov, 0.95))))
    # scored on a corpus with boilerplate sites when the results hold one (the main one may have none)
    bq = results.get("quality_boilerplate_corpus", q)
    fp = _get(bq, "false_pairs", "boilerplate_only")
    where = f"{fp} (of {_get(bq, 'false_pairs', 'total')} false pairs, {bq.get('docs')} docs)"
    out.append(("pairs between pages sharing only boilerplate", "0", where, _mark(None if fp is None else fp == 0)))
    rate = sig.get("docs_per_cpu_second")
    out.append(
        ("signatures per core (fingerprint_batch)", ">= 4,000 docs/s", f"{rate} docs/CPU-s", _mark(_ge(rate, 4000)))
    )
    sift_wall, sift_cpu = stage.get("wall_s"), stage.get("cpu_s")
    dt = min((r for r in _get(datatrove, "runs", default=[]) or []), key=lambda r: r["wall_s"], default=None)
    if sift_wall and dt:
        speedup = round(dt["wall_s"] / sift_wall, 2)
        cpu_speedup = round(dt["cpu_s"] / sift_cpu, 2) if sift_cpu else None
        value = (
            f"sift {sift_wall} s ({sift_cpu} CPU-s) vs datatrove {dt['config']}/{dt['tokenizer']} {dt['wall_s']} s "
            f"({dt['cpu_s']} CPU-s): {speedup}x wall, {cpu_speedup}x CPU at {stage.get('docs')} docs"
        )
        out.append(("whole dedup stage vs datatrove MinHash", ">= 5x", value, _mark(speedup >= 5)))
    ratio = inc.get("ratio_warehouse_over_empty")
    if ratio is not None:
        med = inc.get("median_wall_s", {})
        value = (
            f"{ratio} ({med.get('warehouse')} s vs {med.get('empty')} s, warehouse {inc.get('warehouse_docs')} docs)"
        )
        label = f"{inc.get('run_docs')} docs into a warehouse / into an empty one"
        out.append((label, "<= 1.5", value, _mark(ratio <= 1.5)))
        rss = inc.get("run_peak_rss_mb", {})
        value = f"{rss.get('warehouse')} MB into the warehouse vs {rss.get('empty')} MB into an empty one"
        out.append(("peak RSS of that run", "does not grow", value, "see value"))
    return out


def markdown(results: dict, datatrove: dict | None) -> str:
    lines = ["| target | wanted | measured | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(results, datatrove)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.dedup_report", description=__doc__.split("\n")[0])
    p.add_argument("folder", type=Path)
    a = p.parse_args(argv)
    results = json.loads((a.folder / "results.json").read_text(encoding="utf-8"))
    dt_path = a.folder / "datatrove.json"
    datatrove = json.loads(dt_path.read_text(encoding="utf-8")) if dt_path.exists() else None
    text = markdown(results, datatrove)
    (a.folder / "results.md").write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
