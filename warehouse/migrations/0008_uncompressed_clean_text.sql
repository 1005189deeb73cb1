-- 0008: clean.documents.clean_text is stored uncompressed. The dedup stage
-- reads the clean text of the landed documents its candidates name (a few
-- hundred a run) and the clusters read their lengths. zstd compresses a
-- column in blocks of many rows, so fetching one row decompressed its whole
-- block, and a join with a few hundred ids decompressed nearly the whole
-- column: 300 texts out of 100,000 took 1.3-4.5 s, and the time grew with
-- the warehouse. Uncompressed, DuckDB reads only the rows the join keeps
-- (8 ms). It costs disk: ~4.6 KB a document instead of ~1.8. DuckDB cannot
-- change a column's compression in place, so the table is rebuilt (rows,
-- key and comments as they were).
CREATE TABLE clean.documents_0008 (
    doc_id          VARCHAR PRIMARY KEY,
    source_uri      VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    body_kind       VARCHAR NOT NULL,
    title           VARCHAR,
    url             VARCHAR,
    author          VARCHAR,
    published_at    TIMESTAMP,
    site_name       VARCHAR,
    encoding        VARCHAR,
    repairs         VARCHAR[],
    clean_text      VARCHAR NOT NULL USING COMPRESSION uncompressed,
    n_words         INTEGER NOT NULL,
    n_removed_lines INTEGER NOT NULL,
    lang            VARCHAR NOT NULL,
    lang_score      DOUBLE NOT NULL,
    norm_hash       VARCHAR NOT NULL,
    rules_version   VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    ingested_at     TIMESTAMP NOT NULL
);
INSERT INTO clean.documents_0008 SELECT * FROM clean.documents;
DROP TABLE clean.documents;
ALTER TABLE clean.documents_0008 RENAME TO documents;

COMMENT ON TABLE clean.documents IS 'One row per landed document: clean text and metadata';
COMMENT ON COLUMN clean.documents.doc_id IS 'Content hash of (source_uri, raw bytes): deterministic';
COMMENT ON COLUMN clean.documents.source_uri IS 'File path, or path#L<n> for one record of a JSONL file';
COMMENT ON COLUMN clean.documents.source IS 'Site or folder the document came from (grouping key)';
COMMENT ON COLUMN clean.documents.body_kind IS 'text | html: how the input was decoded';
COMMENT ON COLUMN clean.documents.title IS 'Title from the input or the first headline-like line; NULL if none';
COMMENT ON COLUMN clean.documents.url IS 'URL of the page, when the input gave one';
COMMENT ON COLUMN clean.documents.author IS 'Author from the input or from a removed byline';
COMMENT ON COLUMN clean.documents.published_at IS 'Publication time in UTC when parseable; NULL otherwise';
COMMENT ON COLUMN clean.documents.site_name IS 'Site name found by HTML extraction';
COMMENT ON COLUMN clean.documents.encoding IS 'Encoding the raw bytes were decoded with';
COMMENT ON COLUMN clean.documents.repairs IS 'Text repairs applied (ftfy fixes), empty when none';
COMMENT ON COLUMN clean.documents.clean_text IS 'Text after decoding, repair, extraction and line rules (stored uncompressed: see migration 0008)';
COMMENT ON COLUMN clean.documents.n_words IS 'Words in clean_text';
COMMENT ON COLUMN clean.documents.n_removed_lines IS 'Lines removed by cleaning rules (rows in clean.removed_lines)';
COMMENT ON COLUMN clean.documents.lang IS 'ISO 639-1 language code, or und when undetermined';
COMMENT ON COLUMN clean.documents.lang_score IS 'Detector probability of lang';
COMMENT ON COLUMN clean.documents.norm_hash IS 'Hash of the normalised text: equal for exact duplicates';
COMMENT ON COLUMN clean.documents.rules_version IS 'Cleaning-rules version that produced clean_text';
COMMENT ON COLUMN clean.documents.run_id IS 'Run that landed the document';
COMMENT ON COLUMN clean.documents.ingested_at IS 'Start time of that run (UTC)';
