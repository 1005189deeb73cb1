-- The most recent succeeded run: what `sift report` shows when no run is named.
SELECT run_id FROM ops.runs WHERE status = 'succeeded'
ORDER BY started_at DESC, run_id DESC LIMIT 1;
