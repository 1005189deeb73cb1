"""Where a run's memory goes over time: `sift ingest` with its process tree sampled.

    uv run python bench/ingest_timeline.py CORPUS.jsonl --db /tmp/t.duckdb --out /tmp/t.json

Every `--every` seconds, the RSS of each kind of process (flow, cleaning
workers, Prefect's server: bench/rss.py) summed over the processes of that
kind; every fourth sample the tree's PSS. Writes the samples as JSON lines of
[seconds, {kind: MB}, PSS MB or null] and prints the tree's peak, what each
kind held then, and the flow's median and largest RSS over the middle 60 % of
the run (the chunk loop, without start-up and the load). The run's own
stage seconds are in its `ops.runs` summary. bench_ingest.py reports the
same peak; this shows when it came and what was beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.rss import _pss, _rss, _tree, role  # noqa: E402


def sample(pid: int, with_pss: bool) -> tuple[dict[str, int], int | None]:
    by_kind: dict[str, int] = {}
    pids = _tree(pid)
    for p in pids:
        size = _rss(p)
        if size:
            kind = role(p)
            by_kind[kind] = by_kind.get(kind, 0) + (size >> 20)
    return by_kind, (sum(_pss(p) for p in pids) >> 20) if with_pss else None


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus", type=Path)
    p.add_argument("--db", type=Path, required=True, help="a warehouse to ingest into (use a fresh one)")
    p.add_argument("--out", type=Path, required=True, help="JSON lines of samples")
    p.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    args, extra = p.parse_known_args()
    cmd = [sys.executable, "-m", "flows.cli", "ingest", str(args.corpus), "--db", str(args.db), *extra]
    env = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(ROOT / ".prefect"))}
    started = time.monotonic()
    samples = []
    # a file, not a pipe read at the end: a verbose run's log would fill the pipe and block it
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log, args.out.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
        while proc.poll() is None:
            by_kind, pss = sample(proc.pid, len(samples) % 4 == 0)
            row = [round(time.monotonic() - started, 1), by_kind, pss]
            samples.append(row)
            out.write(json.dumps(row) + "\n")
            time.sleep(args.every)
        log.seek(0)
        err = log.read()
    if proc.returncode != 0:
        print(f"sift ingest failed ({proc.returncode}):\n{err[-3000:]}", file=sys.stderr)
        return 1
    if not samples:
        print("the run ended before the first sample")
        return 0
    at, peak_kinds, _ = max(samples, key=lambda s: sum(s[1].values()))
    flow = [s[1].get("flow", 0) for s in samples]
    middle = sorted(flow[len(flow) // 5 : 4 * len(flow) // 5] or flow)
    print(f"wall {time.monotonic() - started:.1f} s")
    print(f"tree peak {sum(peak_kinds.values())} MB at {at} s: {peak_kinds}")
    print(f"tree peak PSS {max((s[2] for s in samples if s[2] is not None), default=0)} MB")
    print(f"flow over the middle 60 %: median {middle[len(middle) // 2]} MB, largest {middle[-1]} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
