"""SIGKILL the ingest at random points, rerun, and find exactly a clean run's rows.

The kill lands anywhere: reading, cleaning, pair finding, staging, clustering
or the load transaction itself. The rerun must leave a warehouse that passes
the integrity check and holds the same rows as a run never interrupted
(compared without the columns that name or time a run).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.fixtures_landed import write_corpus
from tests.kill_driver import STEPS
from warehouse.integrity import check_integrity, table_checksum

pytestmark = pytest.mark.slow
DRIVER = ROOT / "tests" / "kill_driver.py"
# Every step after the run row exists once, the load transaction itself, then random moments.
TARGETED = (*STEPS[1:], "in_load")
RANDOM_KILLS = 13


def _drive(db: Path, corpus: Path, kill_after: float | None = None, kill_at: str = "") -> str:
    """Run the driver to its end, or kill it `kill_after` seconds after its run
    starts (past interpreter start-up), or let it kill itself at step `kill_at`.

    Returns the last step it started."""
    env = {**os.environ, "SIFT_LOCK_WAIT_S": "0.2", "SIFT_KILL_AT": kill_at}
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(db), str(corpus)], stdout=subprocess.PIPE, text=True, env=env
    )
    seen = []
    if kill_after is not None:
        first = proc.stdout.readline()  # blocks until the run has started
        seen.append(first.strip())
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=300)
    if kill_after is None and not kill_at:
        assert proc.returncode == 0, out
    seen += [x for x in out.splitlines() if x.startswith("STEP ")]
    return seen[-1] if seen else "STEP (before start)"


def _timed_run(db: Path, corpus: Path) -> float:
    """Seconds from the run's first step to its end."""
    proc = subprocess.Popen([sys.executable, str(DRIVER), str(db), str(corpus)], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    started = time.perf_counter()
    proc.communicate(timeout=300)
    return time.perf_counter() - started


def _content(db: Path) -> dict[str, str]:
    """Checksums of every table but run bookkeeping, without run ids and times."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = con.execute(
            "SELECT schema_name || '.' || table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE schema_name IN ('raw', 'clean', 'dedup', 'ops') AND table_name NOT IN ('runs', 'source_files')"
        ).fetchall()
        by_table: dict[str, list[str]] = {}
        for table, column, dtype in cols:
            if not column.endswith("run_id") and not dtype.startswith("TIMESTAMP"):
                by_table.setdefault(table, []).append(column)
        return {t: table_checksum(con, t, columns=c) for t, c in sorted(by_table.items())}
    finally:
        con.close()


def _problems(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return check_integrity(con)
    finally:
        con.close()


def test_sigkill_at_random_points_then_rerun_lands_exactly_a_clean_run(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    write_corpus(corpus / "more")
    reference = tmp_path / "reference.duckdb"
    assert _drive(reference, corpus) == "STEP done"
    duration = _timed_run(tmp_path / "timing.duckdb", corpus)
    expected = _content(reference)
    assert expected["clean.documents"] and not _problems(reference)

    rng = random.Random(20261122)
    where: Counter[str] = Counter()
    plan: list[tuple[str, str | float]] = [("at", step) for step in TARGETED]
    plan += [("after", rng.uniform(0.0, duration)) for _ in range(RANDOM_KILLS)]
    for i, (how, point) in enumerate(plan):
        db = tmp_path / f"killed_{i}.duckdb"
        if i % 2:  # half the kills hit a warehouse that already holds an earlier run
            shutil.copy(reference, db)
        if how == "at":
            where[_drive(db, corpus, kill_at=point)] += 1
        else:
            where[_drive(db, corpus, kill_after=point)] += 1
        assert _drive(db, corpus) == "STEP done"
        assert _problems(db) == [], f"kill {i}"
        assert _content(db) == expected, f"kill {i}: rows differ from a clean run"
        assert not (tmp_path / f"killed_{i}.duckdb.staging").exists(), "staging left behind"
    print("kills by step:", dict(where))
    assert len(plan) >= 20
    assert {f"STEP {step}" for step in TARGETED} <= set(where)
