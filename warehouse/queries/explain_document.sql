-- One document with its cluster (singletons are their own cluster) and whether its bands are indexed
-- (an exact copy is not: only one representative per normalised text is).
SELECT d.doc_id, d.source_uri, d.source, d.title, d.url, d.published_at, d.lang, d.n_words, d.n_removed_lines,
       d.norm_hash, d.run_id, d.ingested_at, v.cluster_id, v.is_canonical,
       EXISTS (SELECT 1 FROM dedup.bands b WHERE b.doc_id = d.doc_id AND b.para_no < 0) AS indexed
FROM clean.documents d
JOIN main.documents v USING (doc_id)
WHERE d.doc_id = $doc_id;
