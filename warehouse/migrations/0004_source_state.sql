-- 0004: source state for incremental runs. One row per input file a run has
-- read or checked, so the next scheduled run reads only files that are new
-- or changed (size and mtime first, sha256 to confirm), notes files that
-- disappeared, and reads a grown JSONL file from where the last run stopped.
-- Written right after a run's load commits: a run that fails leaves the
-- state as it was, and re-reading unchanged files is idempotent anyway.

CREATE TABLE ops.source_files (
    path              VARCHAR PRIMARY KEY,
    root              VARCHAR NOT NULL,
    size              BIGINT NOT NULL,
    mtime_ns          BIGINT NOT NULL,
    sha256            VARCHAR NOT NULL,
    line_offset       BIGINT,
    n_lines           BIGINT,
    prefix_sha256     VARCHAR,
    status            VARCHAR NOT NULL,
    last_change       VARCHAR NOT NULL,
    first_run_id      VARCHAR NOT NULL,
    last_read_run_id  VARCHAR NOT NULL,
    missing_since     TIMESTAMP,
    missing_run_id    VARCHAR,
    updated_at        TIMESTAMP NOT NULL
);

COMMENT ON TABLE ops.source_files IS 'Input files as the last successful run saw them: what incremental runs compare against';
COMMENT ON COLUMN ops.source_files.path IS 'File path as read (the source_uri of its documents, without #L<n>)';
COMMENT ON COLUMN ops.source_files.root IS 'Source folder or file given to the run that found the file; missing files are noted per root';
COMMENT ON COLUMN ops.source_files.size IS 'File size in bytes when last checked';
COMMENT ON COLUMN ops.source_files.mtime_ns IS 'Modification time in nanoseconds since the epoch when last checked';
COMMENT ON COLUMN ops.source_files.sha256 IS 'sha256 of the whole file when last checked, hex: confirms a change that size and mtime suggest';
COMMENT ON COLUMN ops.source_files.line_offset IS 'JSONL: byte offset just past the last complete line; a grown file is read from here. NULL for other files';
COMMENT ON COLUMN ops.source_files.n_lines IS 'JSONL: complete lines before line_offset, so the next record read is line n_lines + 1. NULL for other files';
COMMENT ON COLUMN ops.source_files.prefix_sha256 IS 'JSONL: sha256 of the bytes before line_offset; a file whose prefix still has it only grew. NULL for other files';
COMMENT ON COLUMN ops.source_files.status IS 'present | missing (gone from its root when a later run looked)';
COMMENT ON COLUMN ops.source_files.last_change IS 'What the last run that checked the file found: new | changed | grown | touched (mtime changed, content not) | reappeared (back after missing, content unchanged). Rows of unchanged files are not rewritten';
COMMENT ON COLUMN ops.source_files.first_run_id IS 'Run that first recorded the file';
COMMENT ON COLUMN ops.source_files.last_read_run_id IS 'Last run that read the file (whole, or the grown tail of a JSONL file)';
COMMENT ON COLUMN ops.source_files.missing_since IS 'When a run first found the file gone (UTC); NULL while present';
COMMENT ON COLUMN ops.source_files.missing_run_id IS 'Run that first found the file gone; NULL while present';
COMMENT ON COLUMN ops.source_files.updated_at IS 'When this row was last written (UTC)';
