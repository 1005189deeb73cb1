-- The duplicate cluster of one document with every member, canonical first, then by the survivor order.
SELECT c.cluster_id, c.canonical_doc_id, c.size, c.first_seen_at, c.last_seen_at, c.updated_run_id,
       d.doc_id, d.source_uri, d.source, d.published_at, d.ingested_at, length(d.clean_text) AS text_length,
       d.doc_id = c.canonical_doc_id AS is_canonical
FROM dedup.cluster_members me
JOIN dedup.clusters c ON c.cluster_id = me.cluster_id
JOIN dedup.cluster_members m ON m.cluster_id = c.cluster_id
JOIN clean.documents d ON d.doc_id = m.doc_id
WHERE me.doc_id = $doc_id
ORDER BY is_canonical DESC, d.published_at NULLS LAST, d.ingested_at, length(d.clean_text) DESC, d.doc_id;
