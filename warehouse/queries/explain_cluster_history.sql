-- The story of one document's cluster, oldest first.
SELECT h.happened_at, h.run_id, h.event, h.doc_id, h.other_cluster_id, h.size
FROM dedup.cluster_history h
WHERE h.cluster_id = (SELECT cluster_id FROM dedup.cluster_members WHERE doc_id = $doc_id)
ORDER BY h.happened_at, CASE h.event WHEN 'created' THEN 0 WHEN 'merged' THEN 1 WHEN 'joined' THEN 2 ELSE 3 END, h.doc_id;
