-- Source files a run found gone from their root (incremental state, ops.source_files).
SELECT path, root, missing_since
FROM ops.source_files WHERE missing_run_id = $run_id
ORDER BY path;
