-- The removed lines of $doc_ids before a reclean replaces them.
SELECT doc_id, line_no, line_text, rule
FROM clean.removed_lines
WHERE doc_id IN (SELECT unnest($doc_ids::VARCHAR[]))
ORDER BY doc_id, line_no, rule, line_text;
