"""The ingest flow end to end through Prefect, on the project's own examples/;
its progress reports, its run artifact and the CLI's exit codes."""

from __future__ import annotations

import io

import pytest

from cleaners import worker_pool
from flows import progress
from flows.cli import main
from tests.conftest import EXAMPLES
from warehouse.connection import connect


class RecordingReporter:
    """Keeps what the flow reports, per stage."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.finished: list[str] = []
        self.closed = False

    def advance(self, stage: str, n: int, seconds: float = 0.0) -> None:
        self.counts[stage] = self.counts.get(stage, 0) + n
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def done(self, stage: str) -> None:
        self.finished.append(stage)

    def close(self) -> None:
        self.closed = True


def _ingest(paths, db, **options):
    from flows.ingest import ingest_flow

    return ingest_flow(paths=[str(p) for p in paths], db=str(db), batch_size=4, **options)


def _artifact_markdown(run_id: str) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["sift-run"])))
    return [a.data for a in found if run_id in (a.data or "")]


def _q(db, sql):
    con = connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _counts(db):
    tables = [r[0] for r in _q(db, "SELECT schema_name || '.' || table_name FROM duckdb_tables()")]
    return {t: _q(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


@pytest.mark.prefect
def test_examples_land_with_every_phenomenon(prefect_harness, db_path):
    recorder = RecordingReporter()
    with progress.reporting(recorder):
        result = _ingest([EXAMPLES], db_path)
    assert recorder.closed
    # every stage reported what it finished: 18 inputs read, 15 documents cleaned (2 of them quarantined
    # there: binary, empty), 13 paired and staged; among them, the run's own pass found 2 pairs
    counts = {"read": 18, "clean": 15, "pairs": 13, "stage": 13, "run_pairs": 2, "cluster": 1, "load": 1}
    assert recorder.counts == counts
    assert recorder.finished == ["read", "clean", "pairs", "stage", "run_pairs", "cluster", "load"]
    # the busy seconds reported are the stage times the run records
    assert recorder.seconds == pytest.approx(result["timings"], abs=0.01)
    (markdown,) = _artifact_markdown(result["run_id"])
    assert markdown.startswith(f"# sift run `{result['run_id']}` (succeeded)")
    assert "| documents landed | 13 |" in markdown and "| teaser_link | 15 |" in markdown
    docs = dict(_q(db_path, "SELECT regexp_extract(source_uri, '[^/]+$'), lang FROM documents"))
    assert docs["id_banjir_jakarta.txt"] == "id" and docs["en_wildfire.txt"] == "en"
    assert {"en_market_report.html", "id_pasar.htm", "scraper_output.jsonl#L1"} <= set(docs)
    quarantined = dict(_q(db_path, "SELECT regexp_extract(source_uri, '[^/]+$'), reason FROM quarantine"))
    assert quarantined == {
        "photo.txt": "binary",
        "notes.docx": "unsupported_type",
        "empty.txt": "empty",
        "scraper_output.jsonl#L4": "bad_json",
        "scraper_output.jsonl#L5": "no_text",
    }
    # raw inputs are staged as read, but only those beside a landed document land
    # (binary and empty were read as documents, then quarantined by cleaning)
    raw = _q(db_path, "SELECT count(*), count(d.doc_id) FROM raw.inputs r LEFT JOIN documents d ON d.doc_id = r.raw_id")
    assert raw == [(13, 13)]
    teasers = _q(
        db_path,
        "SELECT count(*) FROM removed_lines r JOIN documents d USING (doc_id) "
        "WHERE d.source_uri LIKE '%id_banjir_jakarta.txt' AND r.rule = 'teaser_link'",
    )
    assert teasers[0][0] == 6
    pairs = {
        (a, b): kind
        for a, b, kind in _q(
            db_path,
            "SELECT regexp_extract(x.source_uri, '[^/]+$'), regexp_extract(y.source_uri, '[^/]+$'), p.kind "
            "FROM similar_pairs p JOIN documents x ON x.doc_id = p.doc_id_a JOIN documents y ON y.doc_id = p.doc_id_b",
        )
    }
    by_files = {frozenset(k): v for k, v in pairs.items()}
    assert by_files[frozenset({"en_wildfire.txt", "en_wildfire_copy.txt"})] == "exact"
    assert by_files[frozenset({"en_wildfire.txt", "en_wildfire_near.txt"})] == "near"
    assert by_files[frozenset({"id_banjir_jakarta.txt", "id_banjir_jakarta_syndicated.txt"})] == "overlap"
    run = _q(
        db_path, f"SELECT status, n_inputs, n_documents, n_quarantined FROM runs WHERE run_id = '{result['run_id']}'"
    )
    status, n_inputs, n_documents, n_quarantined = run[0]
    assert status == "succeeded" and n_inputs == n_documents + n_quarantined


@pytest.mark.prefect
def test_rerun_adds_only_a_runs_row(prefect_harness, db_path):
    _ingest([EXAMPLES], db_path)
    assert worker_pool._idle == []  # the run stopped its cleaning workers before its load
    before = _counts(db_path)
    _ingest([EXAMPLES], db_path)
    after = _counts(db_path)
    assert after.pop("ops.runs") == before.pop("ops.runs") + 1
    assert after == before
    last = _q(db_path, "SELECT n_documents, n_skipped FROM runs ORDER BY started_at DESC LIMIT 1")[0]
    assert last[0] == 0 and last[1] > 0


@pytest.mark.prefect
def test_a_failed_artifact_does_not_fail_a_landed_run(prefect_harness, db_path, monkeypatch):
    from flows import artifacts

    def broken(*args, **kwargs):
        raise RuntimeError("artifact store unavailable")

    monkeypatch.setattr(artifacts, "run_markdown", broken)
    result = _ingest([EXAMPLES / "news"], db_path)
    status = _q(db_path, f"SELECT status, n_documents FROM runs WHERE run_id = '{result['run_id']}'")
    assert status == [("succeeded", 8)]
    assert _artifact_markdown(result["run_id"]) == []


@pytest.mark.prefect
def test_cli_runs_incrementally_quietly_and_exits_0_with_quarantined_inputs(prefect_harness, tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    cli = ["ingest", str(EXAMPLES), "--db", str(db), "--incremental", "--batch-size", "4", "--chunk-size", "8"]
    assert main(cli) == 0  # several chunks: each is matched against those staged before it
    out, err = capsys.readouterr()
    assert "quarantined         5" in out and "source files        new 14" in out
    assert "read" not in err  # stderr is not a terminal here: no progress bars
    assert main(["ingest", str(EXAMPLES), "--db", str(db), "--incremental"]) == 0
    out, _ = capsys.readouterr()
    assert "inputs read         0" in out and "unchanged 14" in out


@pytest.mark.prefect
def test_cli_exits_1_when_the_run_fails(prefect_harness, tmp_path, capsys):
    db = tmp_path / "not-a-warehouse.duckdb"
    db.write_bytes(b"this is not a DuckDB file" * 100)
    assert main(["ingest", str(EXAMPLES), "--db", str(db)]) == 1
    assert capsys.readouterr().err.startswith("sift: ")


def test_cli_exits_2_on_usage_errors(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "missing"), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest"])
    assert exit_info.value.code == 2


def test_terminal_progress_shows_count_unit_and_rate_per_stage():
    stream = io.StringIO()
    reporter = progress.for_stream(stream, force=True)
    with progress.reporting(reporter):
        progress.advance("read", 1500, 1.0)
        progress.advance("read", 500, 1.0)
        progress.done("read")
        progress.advance("clean", 7, 0.5)
    lines = stream.getvalue().splitlines()
    read = next(x for x in lines if x.startswith("read"))
    assert "2,000 inputs" in read and "1,000.0/s" in read and "2.0 s busy" in read
    clean = next(x for x in lines if x.startswith("clean"))
    assert "7 documents" in clean and "14.0/s" in clean


def test_no_progress_unless_stderr_is_a_terminal():
    assert isinstance(progress.for_stream(io.StringIO()), progress.NullReporter)
