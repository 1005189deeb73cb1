-- documents: one row per landed document, with its duplicate cluster.
-- Consumer contract: columns may be added, never renamed or removed.
CREATE OR REPLACE VIEW main.documents AS
SELECT
    d.doc_id,                                   -- content hash of (source_uri, raw bytes)
    d.source_uri,                               -- file path, or path#L<n> for a JSONL record
    d.source,                                   -- site or folder the document came from
    d.title,
    d.url,
    d.author,
    d.published_at,
    d.lang,                                     -- ISO 639-1 code, or 'und'
    d.lang_score,                               -- detector probability of lang
    d.clean_text,                               -- text after repair and line rules
    d.n_words,
    d.n_removed_lines,                          -- see removed_lines
    coalesce(m.cluster_id, d.doc_id) AS cluster_id, -- duplicate cluster (exact + near)
    coalesce(c.canonical_doc_id = d.doc_id, true) AS is_canonical,
    d.encoding,
    d.repairs,
    d.rules_version,
    d.run_id,
    d.ingested_at
FROM clean.documents d
LEFT JOIN dedup.cluster_members m USING (doc_id)
LEFT JOIN dedup.clusters c ON c.cluster_id = m.cluster_id;

-- comments: re-applied with the view (re-creating a view drops them)
COMMENT ON VIEW main.documents IS 'One row per landed document, with its duplicate cluster. Consumer contract: columns may be added, never renamed or removed';
COMMENT ON COLUMN main.documents.doc_id IS 'Content hash of (source_uri, raw bytes): deterministic';
COMMENT ON COLUMN main.documents.source_uri IS 'File path, or path#L<n> for one record of a JSONL file';
COMMENT ON COLUMN main.documents.source IS 'Site or folder the document came from';
COMMENT ON COLUMN main.documents.title IS 'Title from the input or the first headline-like line; NULL if none';
COMMENT ON COLUMN main.documents.url IS 'URL of the page, when the input gave one';
COMMENT ON COLUMN main.documents.author IS 'Author from the input or from a removed byline';
COMMENT ON COLUMN main.documents.published_at IS 'Publication time in UTC when parseable; NULL otherwise';
COMMENT ON COLUMN main.documents.lang IS 'ISO 639-1 language code, or und when undetermined';
COMMENT ON COLUMN main.documents.lang_score IS 'Detector probability of lang';
COMMENT ON COLUMN main.documents.clean_text IS 'Text after repair, extraction and line rules';
COMMENT ON COLUMN main.documents.n_words IS 'Words in clean_text';
COMMENT ON COLUMN main.documents.n_removed_lines IS 'Lines removed by cleaning rules (see removed_lines)';
COMMENT ON COLUMN main.documents.cluster_id IS 'Duplicate cluster (exact + near); a document without duplicates is its own cluster (its doc_id)';
COMMENT ON COLUMN main.documents.is_canonical IS 'True for the surviving copy of its cluster and for documents without duplicates';
COMMENT ON COLUMN main.documents.encoding IS 'Encoding the raw bytes were decoded with';
COMMENT ON COLUMN main.documents.repairs IS 'Text repairs applied (ftfy fixes), empty when none';
COMMENT ON COLUMN main.documents.rules_version IS 'Cleaning-rules version that produced clean_text';
COMMENT ON COLUMN main.documents.run_id IS 'Run that landed the document';
COMMENT ON COLUMN main.documents.ingested_at IS 'Start time of that run (UTC)';
