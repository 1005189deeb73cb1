-- Documents sharing LSH bands with one document, most shared first: the candidates the dedup stage
-- would consider for it. Whole-document and paragraph bands are counted apart.
WITH mine AS (
    SELECT para_no < 0 AS is_doc, band, band_hash
    FROM dedup.bands
    WHERE doc_id = $doc_id
)
SELECT b.doc_id AS other_id,
       count(*) FILTER (WHERE m.is_doc) AS doc_bands,
       count(DISTINCT b.para_no) FILTER (WHERE NOT m.is_doc) AS paragraphs_hit
FROM dedup.bands b
JOIN mine m ON b.band = m.band AND b.band_hash = m.band_hash AND (b.para_no < 0) = m.is_doc
WHERE b.doc_id <> $doc_id
GROUP BY b.doc_id
ORDER BY doc_bands DESC, paragraphs_hit DESC, other_id
LIMIT $limit;
