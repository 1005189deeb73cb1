"""The `sift` console command: its exit codes, and nothing on stderr after a run's summary."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main

ROOT = Path(__file__).resolve().parents[1]
SIFT = [sys.executable, "-c", "from flows.cli import entry; entry()"]  # what the installed `sift` script runs


def _sift(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    return subprocess.run(
        [*SIFT, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )


def test_the_console_script_is_the_entry_point():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'sift = "flows.cli:entry"' in text


@pytest.mark.slow
def test_an_ingest_ends_with_its_summary_and_exit_code_zero(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "A harbour town counts its boats each morning.\n\nThe fishermen came back with the catch.\n", encoding="utf-8"
    )
    done = _sift("ingest", str(corpus), "--db", str(tmp_path / "w.duckdb"), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "documents landed    1" in done.stdout
    # DuckDB 2.0's bindings printed "nanobind: leaked 27 instances!" and ~40 more lines here
    assert "nanobind" not in done.stderr, done.stderr[-3000:]


def test_usage_errors_exit_2_and_failed_queries_exit_1(tmp_path):
    usage = _sift("no-such-command", tmp_path=tmp_path)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    assert _sift("--help", tmp_path=tmp_path).returncode == 0
    failed = _sift("sql", "SELECT no_such_column", "--db", str(tmp_path / "none.duckdb"), tmp_path=tmp_path)
    assert failed.returncode == 1 and "sift:" in failed.stderr


def test_an_escaping_exception_exits_1_with_its_traceback(tmp_path):
    code = "import flows.cli as c; c.main = lambda: 1 / 0; c.entry()"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "ZeroDivisionError" in done.stderr


def test_a_file_that_is_not_a_warehouse_is_refused_before_prefect_starts(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Some text.\n", encoding="utf-8")
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database at all\n" * 10)
    assert main(["ingest", str(corpus), "--db", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sift: cannot open {bad}") and "not a valid DuckDB database" in err
    assert "Traceback" not in err and "Flow run" not in err
