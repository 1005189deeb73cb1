-- Lines removed per rule for the documents of one run.
SELECT r.rule, count(*) AS n_lines
FROM clean.removed_lines r JOIN clean.documents d USING (doc_id)
WHERE d.run_id = $run_id
GROUP BY r.rule ORDER BY n_lines DESC, r.rule;
