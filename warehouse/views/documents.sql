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
    m.cluster_id,                               -- duplicate cluster (exact + near)
    coalesce(c.canonical_doc_id = d.doc_id, true) AS is_canonical,
    d.encoding,
    d.repairs,
    d.rules_version,
    d.run_id,
    d.ingested_at
FROM clean.documents d
LEFT JOIN dedup.cluster_members m USING (doc_id)
LEFT JOIN dedup.clusters c ON c.cluster_id = m.cluster_id;
