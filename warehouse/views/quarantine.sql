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
