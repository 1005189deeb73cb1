-- Verified pairs of one document, seen from it: the other document, kind, Jaccard and containment both ways.
WITH mine AS (
    SELECT *, doc_id_a = $doc_id AS this_is_a
    FROM dedup.pairs
    WHERE doc_id_a = $doc_id OR doc_id_b = $doc_id
)
SELECT CASE WHEN this_is_a THEN doc_id_b ELSE doc_id_a END AS other_id,
       o.source_uri AS other_uri,
       o.source AS other_source,
       p.kind,
       p.jaccard,
       p.jaccard_estimate,
       CASE WHEN this_is_a THEN containment_a ELSE containment_b END AS containment_this,
       CASE WHEN this_is_a THEN containment_b ELSE containment_a END AS containment_other,
       p.run_id
FROM mine p
JOIN clean.documents o ON o.doc_id = CASE WHEN this_is_a THEN doc_id_b ELSE doc_id_a END
ORDER BY CASE p.kind WHEN 'exact' THEN 0 WHEN 'near' THEN 1 ELSE 2 END, p.jaccard DESC, other_id;
