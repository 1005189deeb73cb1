-- Documents `sift reclean` re-cleans: those whose clean text was made by other cleaning rules than
-- $rules_version (every document when $all), except $skip (documents a reclean under these rules
-- already quarantined), in doc_id order so that runs with a --limit work through the backlog.
SELECT doc_id, rules_version
FROM clean.documents
WHERE ($all OR rules_version <> $rules_version)
  AND doc_id NOT IN (SELECT unnest($skip::VARCHAR[]))
ORDER BY doc_id
LIMIT $limit;
