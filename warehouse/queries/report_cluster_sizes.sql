-- Duplicate clusters (exact + near) in the whole warehouse now, counted per size.
SELECT size AS cluster_size, count(*) AS n_clusters
FROM dedup.clusters
GROUP BY size ORDER BY size;
