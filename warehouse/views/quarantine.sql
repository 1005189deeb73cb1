-- quarantine: inputs (or records of an input) that could not be landed, and why.
CREATE OR REPLACE VIEW main.quarantine AS
SELECT
    source_uri,
    reason,          -- short code: unsupported_type, binary, empty, bad_json, ...
    detail,          -- human-readable explanation
    raw_sha256,
    size,
    run_id,
    quarantined_at
FROM ops.quarantine;

-- comments: re-applied with the view (re-creating a view drops them)
COMMENT ON VIEW main.quarantine IS 'Inputs (or records of an input) that could not be landed, and why';
COMMENT ON COLUMN main.quarantine.source_uri IS 'File path, or path#L<n> for one record of a JSONL file';
COMMENT ON COLUMN main.quarantine.reason IS 'Short reason code: unsupported_type, binary, empty, bad_json, ...';
COMMENT ON COLUMN main.quarantine.detail IS 'Human-readable explanation';
COMMENT ON COLUMN main.quarantine.raw_sha256 IS 'sha256 of the input bytes, when they could be read';
COMMENT ON COLUMN main.quarantine.size IS 'Size of the input in bytes, when known';
COMMENT ON COLUMN main.quarantine.run_id IS 'Run that first quarantined it';
COMMENT ON COLUMN main.quarantine.quarantined_at IS 'Start time of that run (UTC)';
