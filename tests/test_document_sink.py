"""Cleaning tasks that stage their own rows land exactly what the flow staging them would."""

from pathlib import Path

from dedup.config import DedupConfig
from flows import learned, steps
from tests.conftest import EXAMPLES
from warehouse.connection import connect
from warehouse.load import DocumentSink

# every landed table, in a deterministic order, without the run's own id and times
TABLES = {
    "clean.documents": "SELECT * EXCLUDE (run_id, ingested_at) FROM clean.documents ORDER BY doc_id",
    "raw.inputs": "SELECT * EXCLUDE (first_run_id, first_seen_at) FROM raw.inputs ORDER BY raw_id",
    "clean.removed_lines": "SELECT * FROM clean.removed_lines ORDER BY ALL",
    "clean.paragraphs": "SELECT * FROM clean.paragraphs ORDER BY ALL",
    "dedup.bands": "SELECT * FROM dedup.bands ORDER BY ALL",
    "dedup.pairs": "SELECT doc_id_a, doc_id_b, kind, jaccard FROM dedup.pairs ORDER BY ALL",
    "clean.source_line_stats": "SELECT source, line_hash, n_docs FROM clean.source_line_stats ORDER BY ALL",
}


def _land(db: Path, with_sink: bool) -> tuple[dict, int]:
    cfg = DedupConfig()
    counters = steps.RunCounters()
    run, staging = steps.start_run(db, {})
    slim = 0
    try:
        sink = DocumentSink(staging.writer, run) if with_sink else None
        for docs, rejected in steps.input_chunks([EXAMPLES], 7, counters):
            docs = learned.with_source_stats(steps.filter_new(docs, db, staging, counters), db)
            kept, quarantined = [], list(rejected)
            for batch in steps.batches(docs, 3):
                batch_kept, batch_rejected = steps.prepare_batch(batch, cfg, sink)
                kept += batch_kept
                quarantined += batch_rejected
            slim += sum(1 for d in kept if d.raw == b"" and not d.removed and not d.counted_lines)
            found = steps.find_chunk_pairs(kept, db, staging, cfg)
            steps.stage(staging, run, kept, quarantined, found, counters, documents_staged=with_sink)
        steps.finish_run(db, run, staging, steps.cluster_run(db, staging, run), counters)
    finally:
        staging.remove()
    con = connect(db, read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}, slim
    finally:
        con.close()


def test_documents_staged_by_their_tasks_land_the_same_rows(tmp_path):
    by_flow, slim_by_flow = _land(tmp_path / "flow.duckdb", with_sink=False)
    by_tasks, slim_by_tasks = _land(tmp_path / "tasks.duckdb", with_sink=True)
    assert by_flow["clean.documents"] and by_flow["clean.removed_lines"] and by_flow["dedup.pairs"]
    assert slim_by_flow == 0 and slim_by_tasks == len(by_tasks["clean.documents"])  # came back without them
    for name in TABLES:
        assert by_tasks[name] == by_flow[name], name
