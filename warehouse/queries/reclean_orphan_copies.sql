-- Exact copies that lose their representative when the documents $doc_ids change their text:
-- documents outside $doc_ids with an exact pair to one of them and no document bands of their own
-- (an exact copy is not indexed; only its representative is). A reclean indexes them again.
WITH changed AS (SELECT unnest($doc_ids::VARCHAR[]) AS doc_id),
partners AS (
    SELECT p.doc_id_b AS doc_id FROM dedup.pairs p
    WHERE p.kind = 'exact' AND p.doc_id_a IN (SELECT doc_id FROM changed)
    UNION
    SELECT p.doc_id_a AS doc_id FROM dedup.pairs p
    WHERE p.kind = 'exact' AND p.doc_id_b IN (SELECT doc_id FROM changed)
)
SELECT d.doc_id, d.source_uri, d.source, d.body_kind, d.clean_text
FROM partners x
JOIN clean.documents d USING (doc_id)
WHERE x.doc_id NOT IN (SELECT doc_id FROM changed)
  AND NOT EXISTS (SELECT 1 FROM dedup.bands b WHERE b.doc_id = x.doc_id AND b.para_no < 0)
ORDER BY d.doc_id;
