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

-- comments: re-applied with the view (re-creating a view drops them)
COMMENT ON VIEW main.runs IS 'One row per ingest run';
COMMENT ON COLUMN main.runs.run_id IS 'Run id: UTC start time (YYYYMMDDTHHMMSS) and a random suffix';
COMMENT ON COLUMN main.runs.started_at IS 'When the run started (UTC)';
COMMENT ON COLUMN main.runs.finished_at IS 'When the run succeeded or failed (UTC); NULL while running';
COMMENT ON COLUMN main.runs.status IS 'running | succeeded | failed | abandoned (a running run whose process died)';
COMMENT ON COLUMN main.runs.n_inputs IS 'Input units read (files, JSONL records)';
COMMENT ON COLUMN main.runs.n_documents IS 'Documents landed by this run';
COMMENT ON COLUMN main.runs.n_duplicates IS 'Of those, exact or near copies of another document that are not canonical';
COMMENT ON COLUMN main.runs.n_quarantined IS 'Inputs or records quarantined by this run';
COMMENT ON COLUMN main.runs.n_skipped IS 'Inputs skipped: landed by an earlier run, or repeated within this run';
COMMENT ON COLUMN main.runs.summary IS 'Run summary as JSON (seconds per stage, ...)';
