-- Paragraphs one document shares with others (paragraph i of this <-> paragraph j of the other).
SELECT CASE WHEN doc_id_a = $doc_id THEN doc_id_b ELSE doc_id_a END AS other_id,
       CASE WHEN doc_id_a = $doc_id THEN para_no_a ELSE para_no_b END AS para_this,
       CASE WHEN doc_id_a = $doc_id THEN para_no_b ELSE para_no_a END AS para_other,
       jaccard
FROM dedup.paragraph_map
WHERE doc_id_a = $doc_id OR doc_id_b = $doc_id
ORDER BY other_id, para_this;
