-- What a run recorded beyond its counts: parameters and its summary JSON
-- (seconds per stage, source files by change).
SELECT started_at, finished_at, params, summary, error
FROM ops.runs WHERE run_id = $run_id;
