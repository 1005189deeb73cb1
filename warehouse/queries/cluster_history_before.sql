-- The state a run is about to replace: canonical document and members of the given clusters
-- (read inside the load transaction, before dedup.clusters and dedup.cluster_members change).
SELECT c.cluster_id, c.canonical_doc_id, m.doc_id
FROM dedup.clusters c
JOIN dedup.cluster_members m USING (cluster_id)
WHERE list_contains($cluster_ids, c.cluster_id)
ORDER BY c.cluster_id, m.doc_id;
