-- Duplicate clusters (exact + near) one run created or grew, counted per size.
-- Only clusters of two or more documents are stored; a lone document is its own cluster.
SELECT size AS cluster_size, count(*) AS n_clusters
FROM dedup.clusters WHERE updated_run_id = $run_id
GROUP BY size ORDER BY size;
