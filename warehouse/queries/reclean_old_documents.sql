-- The stored values a reclean may replace, for $doc_ids (read in its transaction, before the update).
SELECT doc_id, rules_version, title, url, author, published_at, site_name, encoding, repairs,
       clean_text, n_words, n_removed_lines, lang, lang_score, norm_hash
FROM clean.documents
WHERE doc_id IN (SELECT unnest($doc_ids::VARCHAR[]))
ORDER BY doc_id;
