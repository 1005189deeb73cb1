-- Documents per detected language for one run.
SELECT lang, count(*) AS n_documents
FROM clean.documents WHERE run_id = $run_id
GROUP BY lang ORDER BY n_documents DESC, lang;
