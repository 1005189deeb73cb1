-- runs: one row per ingest run.
CREATE OR REPLACE VIEW main.runs AS
SELECT
    run_id,
    started_at,
    finished_at,
    status,          -- running | succeeded | failed
    n_inputs,        -- input units read (files, JSONL records)
    n_documents,     -- documents landed by this run
    n_duplicates,    -- of those, exact or near copies of another document
    n_quarantined,
    n_skipped,       -- already landed by an earlier run
    summary
FROM ops.runs;
