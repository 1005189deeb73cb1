-- A reclean's new values for the documents in the registered table `reclean_documents`
-- (rows built by warehouse/rows.py documents()). Provenance (doc_id, source_uri, source,
-- body_kind) and landing (run_id, ingested_at) stay: the document was landed by its run.
UPDATE clean.documents AS d SET
    title = s.title,
    url = s.url,
    author = s.author,
    published_at = s.published_at,
    site_name = s.site_name,
    encoding = s.encoding,
    repairs = s.repairs,
    clean_text = s.clean_text,
    n_words = s.n_words,
    n_removed_lines = s.n_removed_lines,
    lang = s.lang,
    lang_score = s.lang_score,
    norm_hash = s.norm_hash,
    rules_version = s.rules_version
FROM reclean_documents AS s
WHERE d.doc_id = s.doc_id;
