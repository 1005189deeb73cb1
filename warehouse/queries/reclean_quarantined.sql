-- Documents that a reclean under $rules_version quarantined: they keep their old clean text and
-- rules version, and re-cleaning them again under the same rules would only quarantine them again.
SELECT DISTINCT doc_id
FROM ops.reclean_changes
WHERE change = 'quarantined' AND new_rules_version = $rules_version
ORDER BY doc_id;
