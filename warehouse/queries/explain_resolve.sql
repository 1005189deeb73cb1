-- Documents a key given to `sift explain` names: a doc_id, a doc_id prefix (6+ characters) or a source_uri.
SELECT doc_id, source_uri
FROM clean.documents
WHERE doc_id = $key OR source_uri = $key OR (length($key) >= 6 AND starts_with(doc_id, $key))
ORDER BY doc_id
LIMIT 10;
