-- Verified pairs found by one run, per kind.
SELECT kind, count(*) AS n_pairs
FROM dedup.pairs WHERE run_id = $run_id
GROUP BY kind ORDER BY kind;
