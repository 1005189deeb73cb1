-- The stored clusters any of $doc_ids belongs to, with all their members.
SELECT c.cluster_id, c.canonical_doc_id, c.first_seen_at, c.last_seen_at,
       list(m.doc_id ORDER BY m.doc_id) AS members
FROM dedup.clusters c
JOIN dedup.cluster_members m USING (cluster_id)
WHERE c.cluster_id IN (
    SELECT cluster_id FROM dedup.cluster_members WHERE doc_id IN (SELECT unnest($doc_ids::VARCHAR[]))
)
GROUP BY c.cluster_id, c.canonical_doc_id, c.first_seen_at, c.last_seen_at
ORDER BY c.cluster_id;
