-- 0002: the data dictionary. A comment on every table and column that exists
-- after 0001 (and on schema_migrations, which connection.py creates), so that
-- `sift schema` and duckdb_columns() explain the warehouse. Views carry their
-- comments in their own files (warehouse/views), since they are re-created on
-- every writable open and re-creating a view drops its comments.

COMMENT ON TABLE main.schema_migrations IS 'Migrations applied to this file, one row per warehouse/migrations/NNNN_*.sql';
COMMENT ON COLUMN main.schema_migrations.version IS 'Migration number (the NNNN of its file name)';
COMMENT ON COLUMN main.schema_migrations.name IS 'File name of the migration';
COMMENT ON COLUMN main.schema_migrations.applied_at IS 'When the migration was applied (UTC)';
COMMENT ON COLUMN main.schema_migrations.checksum IS 'sha256 of the migration file when applied; an applied migration must never be edited';

-- ops.runs -------------------------------------------------------------------
COMMENT ON TABLE ops.runs IS 'One row per ingest run: parameters, versions, status and counts';
COMMENT ON COLUMN ops.runs.run_id IS 'Run id: UTC start time (YYYYMMDDTHHMMSS) and a random suffix';
COMMENT ON COLUMN ops.runs.started_at IS 'When the run started (UTC)';
COMMENT ON COLUMN ops.runs.finished_at IS 'When the run succeeded or failed (UTC); NULL while running';
COMMENT ON COLUMN ops.runs.status IS 'running | succeeded | failed | abandoned (a running run whose process died)';
COMMENT ON COLUMN ops.runs.n_inputs IS 'Input units read: files and JSONL records';
COMMENT ON COLUMN ops.runs.n_documents IS 'Documents landed by this run';
COMMENT ON COLUMN ops.runs.n_duplicates IS 'Of the landed documents, exact or near copies that are not canonical';
COMMENT ON COLUMN ops.runs.n_quarantined IS 'Inputs or records quarantined by this run';
COMMENT ON COLUMN ops.runs.n_skipped IS 'Inputs skipped: landed by an earlier run, or repeated within this run';
COMMENT ON COLUMN ops.runs.params IS 'Run parameters as JSON (paths, batch size, ...)';
COMMENT ON COLUMN ops.runs.code_version IS 'Version of the sift code that ran';
COMMENT ON COLUMN ops.runs.rules_version IS 'Cleaning-rules version (hash of the rule modules) used by this run';
COMMENT ON COLUMN ops.runs.summary IS 'Run summary as JSON (seconds per stage, ...)';
COMMENT ON COLUMN ops.runs.error IS 'Exception type and message of a failed run; NULL otherwise';

-- raw.inputs -----------------------------------------------------------------
COMMENT ON TABLE raw.inputs IS 'Every landed input unit verbatim (a file or one JSONL line), with provenance';
COMMENT ON COLUMN raw.inputs.raw_id IS 'Content address of (source_uri, content); equals the doc_id made from it';
COMMENT ON COLUMN raw.inputs.source_uri IS 'File path, or path#L<n> for one record of a JSONL file';
COMMENT ON COLUMN raw.inputs.path IS 'Path of the file the unit was read from';
COMMENT ON COLUMN raw.inputs.line_no IS '1-based line of the record in a JSONL file; NULL for whole files';
COMMENT ON COLUMN raw.inputs.size IS 'Size of content in bytes';
COMMENT ON COLUMN raw.inputs.sha256 IS 'sha256 of content, hex';
COMMENT ON COLUMN raw.inputs.content IS 'The verbatim bytes of the input unit';
COMMENT ON COLUMN raw.inputs.first_run_id IS 'Run that first landed this unit';
COMMENT ON COLUMN raw.inputs.first_seen_at IS 'Start time of that run (UTC)';

-- clean.documents ------------------------------------------------------------
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
COMMENT ON COLUMN clean.documents.clean_text IS 'Text after decoding, repair, extraction and line rules';
COMMENT ON COLUMN clean.documents.n_words IS 'Words in clean_text';
COMMENT ON COLUMN clean.documents.n_removed_lines IS 'Lines removed by cleaning rules (rows in clean.removed_lines)';
COMMENT ON COLUMN clean.documents.lang IS 'ISO 639-1 language code, or und when undetermined';
COMMENT ON COLUMN clean.documents.lang_score IS 'Detector probability of lang';
COMMENT ON COLUMN clean.documents.norm_hash IS 'Hash of the normalised text: equal for exact duplicates';
COMMENT ON COLUMN clean.documents.rules_version IS 'Cleaning-rules version that produced clean_text';
COMMENT ON COLUMN clean.documents.run_id IS 'Run that landed the document';
COMMENT ON COLUMN clean.documents.ingested_at IS 'Start time of that run (UTC)';

-- clean.removed_lines --------------------------------------------------------
COMMENT ON TABLE clean.removed_lines IS 'Every line a cleaning rule removed, with the rule';
COMMENT ON COLUMN clean.removed_lines.doc_id IS 'Document the line was removed from';
COMMENT ON COLUMN clean.removed_lines.line_no IS '0-based line index in the text before cleaning';
COMMENT ON COLUMN clean.removed_lines.line_text IS 'The removed line verbatim';
COMMENT ON COLUMN clean.removed_lines.rule IS 'Reason code of the rule that removed it (cleaners/reasons.py)';

-- clean.paragraphs -----------------------------------------------------------
COMMENT ON TABLE clean.paragraphs IS 'Kept paragraphs (non-blank lines of clean text) with their hashes';
COMMENT ON COLUMN clean.paragraphs.doc_id IS 'Document the paragraph belongs to';
COMMENT ON COLUMN clean.paragraphs.para_no IS '0-based paragraph index in clean_text';
COMMENT ON COLUMN clean.paragraphs.n_words IS 'Words in the paragraph';
COMMENT ON COLUMN clean.paragraphs.norm_hash IS 'Hash of the normalised paragraph, for exact matches';

-- dedup ----------------------------------------------------------------------
COMMENT ON TABLE dedup.bands IS 'MinHash LSH band hashes of documents and paragraphs: the candidate index';
COMMENT ON COLUMN dedup.bands.doc_id IS 'Document the band belongs to';
COMMENT ON COLUMN dedup.bands.para_no IS 'Paragraph the band belongs to; -1 for the whole-document signature';
COMMENT ON COLUMN dedup.bands.band IS 'Band number within the signature';
COMMENT ON COLUMN dedup.bands.band_hash IS 'Hash of the band rows: equal hashes make candidates';

COMMENT ON TABLE dedup.pairs IS 'Verified duplicate and overlap pairs, doc_id_a < doc_id_b';
COMMENT ON COLUMN dedup.pairs.doc_id_a IS 'The smaller doc_id of the pair';
COMMENT ON COLUMN dedup.pairs.doc_id_b IS 'The larger doc_id of the pair';
COMMENT ON COLUMN dedup.pairs.kind IS 'exact | near | overlap';
COMMENT ON COLUMN dedup.pairs.jaccard IS 'Exact Jaccard of the word 5-gram shingle sets';
COMMENT ON COLUMN dedup.pairs.jaccard_estimate IS 'MinHash estimate of jaccard; NULL for exact pairs';
COMMENT ON COLUMN dedup.pairs.containment_a IS 'Share of A''s words in paragraphs shared with B';
COMMENT ON COLUMN dedup.pairs.containment_b IS 'Share of B''s words in paragraphs shared with A';
COMMENT ON COLUMN dedup.pairs.run_id IS 'Run that found the pair';

COMMENT ON TABLE dedup.paragraph_map IS 'For overlap pairs: paragraph para_no_a of A matches paragraph para_no_b of B';
COMMENT ON COLUMN dedup.paragraph_map.doc_id_a IS 'Document A of the pair (the smaller doc_id)';
COMMENT ON COLUMN dedup.paragraph_map.para_no_a IS 'Paragraph of A';
COMMENT ON COLUMN dedup.paragraph_map.doc_id_b IS 'Document B of the pair';
COMMENT ON COLUMN dedup.paragraph_map.para_no_b IS 'Matching paragraph of B';
COMMENT ON COLUMN dedup.paragraph_map.jaccard IS 'Jaccard of the two paragraphs (word 3-grams)';
COMMENT ON COLUMN dedup.paragraph_map.run_id IS 'Run that found the match';

COMMENT ON TABLE dedup.clusters IS 'Current duplicate clusters (exact + near) of two or more documents, with their canonical document';
COMMENT ON COLUMN dedup.clusters.cluster_id IS 'Cluster id: kept when documents join; the older id survives a merge';
COMMENT ON COLUMN dedup.clusters.canonical_doc_id IS 'The surviving document: earliest published, ingested, longest, smallest id';
COMMENT ON COLUMN dedup.clusters.size IS 'Number of member documents';
COMMENT ON COLUMN dedup.clusters.first_seen_at IS 'When the cluster was first formed (UTC)';
COMMENT ON COLUMN dedup.clusters.last_seen_at IS 'When a document last joined it (UTC)';
COMMENT ON COLUMN dedup.clusters.updated_run_id IS 'Run that last changed the cluster';

COMMENT ON TABLE dedup.cluster_members IS 'Which cluster each duplicated document belongs to (current state); a document in no row is its own cluster';
COMMENT ON COLUMN dedup.cluster_members.doc_id IS 'Member document';
COMMENT ON COLUMN dedup.cluster_members.cluster_id IS 'Its cluster (dedup.clusters)';
COMMENT ON COLUMN dedup.cluster_members.run_id IS 'Run that last assigned the membership';

-- ops.quarantine -------------------------------------------------------------
COMMENT ON TABLE ops.quarantine IS 'Inputs or records that could not be landed, and why';
COMMENT ON COLUMN ops.quarantine.quarantine_id IS 'Hash of (source_uri, reason, content hash or detail): deterministic';
COMMENT ON COLUMN ops.quarantine.source_uri IS 'File path, or path#L<n> for one record of a JSONL file';
COMMENT ON COLUMN ops.quarantine.reason IS 'Short reason code: unsupported_type, binary, empty, bad_json, ...';
COMMENT ON COLUMN ops.quarantine.detail IS 'Human-readable explanation';
COMMENT ON COLUMN ops.quarantine.raw_sha256 IS 'sha256 of the input bytes, when they could be read';
COMMENT ON COLUMN ops.quarantine.size IS 'Size of the input in bytes, when known';
COMMENT ON COLUMN ops.quarantine.run_id IS 'Run that first quarantined it';
COMMENT ON COLUMN ops.quarantine.quarantined_at IS 'Start time of that run (UTC)';
