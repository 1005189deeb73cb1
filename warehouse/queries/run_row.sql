-- The ops.runs row of one run.
SELECT run_id, status, n_inputs, n_documents, n_duplicates, n_quarantined, n_skipped,
       started_at, finished_at
FROM ops.runs WHERE run_id = $run_id;
