-- $doc_ids and every member of the clusters they belong to, with what the survivor policy needs
-- and the cluster each belongs to now (NULL: a singleton).
WITH given AS (SELECT unnest($doc_ids::VARCHAR[]) AS doc_id),
touched AS (
    SELECT DISTINCT cluster_id FROM dedup.cluster_members WHERE doc_id IN (SELECT doc_id FROM given)
),
universe AS (
    SELECT doc_id FROM given
    UNION
    SELECT doc_id FROM dedup.cluster_members WHERE cluster_id IN (SELECT cluster_id FROM touched)
)
SELECT d.doc_id, strftime(d.published_at, '%Y-%m-%dT%H:%M:%S') AS published_at, d.ingested_at,
       length(d.clean_text) AS text_len, m.cluster_id
FROM universe u
JOIN clean.documents d USING (doc_id)
LEFT JOIN dedup.cluster_members m USING (doc_id)
ORDER BY d.doc_id;
