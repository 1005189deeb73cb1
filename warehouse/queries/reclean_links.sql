-- Exact and near pairs (the links clusters are made of) touching any of $doc_ids.
SELECT doc_id_a, doc_id_b
FROM dedup.pairs
WHERE kind <> 'overlap'
  AND (doc_id_a IN (SELECT unnest($doc_ids::VARCHAR[])) OR doc_id_b IN (SELECT unnest($doc_ids::VARCHAR[])))
ORDER BY doc_id_a, doc_id_b;
