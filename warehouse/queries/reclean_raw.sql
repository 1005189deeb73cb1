-- What a reclean rebuilds documents from: provenance and the verbatim raw input of each of
-- $doc_ids (path and content NULL when a document has lost its raw.inputs row).
SELECT d.doc_id, d.source_uri, d.source, r.path, r.line_no, r.content
FROM clean.documents d
LEFT JOIN raw.inputs r ON r.raw_id = d.doc_id
WHERE d.doc_id IN (SELECT unnest($doc_ids::VARCHAR[]))
ORDER BY d.doc_id;
