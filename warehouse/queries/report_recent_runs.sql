-- The last $limit runs that finished (succeeded or failed), oldest first, for trend charts.
SELECT run_id, started_at, status, n_inputs, n_documents, n_quarantined, n_skipped,
       epoch(finished_at - started_at) AS wall_seconds, summary
FROM (
    SELECT * FROM ops.runs WHERE finished_at IS NOT NULL
    ORDER BY started_at DESC, run_id DESC LIMIT $limit
)
ORDER BY started_at, run_id;
