-- Lines cleaning removed from one document, with the rule that removed each (0-based line numbers).
SELECT line_no, rule, line_text
FROM clean.removed_lines
WHERE doc_id = $doc_id
ORDER BY line_no;
