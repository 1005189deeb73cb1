-- similar_pairs: verified duplicate and overlap pairs (doc_id_a < doc_id_b).
CREATE OR REPLACE VIEW main.similar_pairs AS
SELECT
    doc_id_a,
    doc_id_b,
    kind,             -- exact | near | overlap
    jaccard,          -- exact Jaccard of word 5-gram shingle sets
    jaccard_estimate, -- MinHash estimate of the same (NULL for exact pairs)
    containment_a,    -- share of A's words in paragraphs shared with B
    containment_b,
    run_id
FROM dedup.pairs;

-- comments: re-applied with the view (re-creating a view drops them)
COMMENT ON VIEW main.similar_pairs IS 'Verified duplicate and overlap pairs (doc_id_a < doc_id_b)';
COMMENT ON COLUMN main.similar_pairs.doc_id_a IS 'The smaller doc_id of the pair';
COMMENT ON COLUMN main.similar_pairs.doc_id_b IS 'The larger doc_id of the pair';
COMMENT ON COLUMN main.similar_pairs.kind IS 'exact | near | overlap';
COMMENT ON COLUMN main.similar_pairs.jaccard IS 'Exact Jaccard of the word 5-gram shingle sets';
COMMENT ON COLUMN main.similar_pairs.jaccard_estimate IS 'MinHash estimate of jaccard (NULL for exact pairs)';
COMMENT ON COLUMN main.similar_pairs.containment_a IS 'Share of A''s words in paragraphs shared with B';
COMMENT ON COLUMN main.similar_pairs.containment_b IS 'Share of B''s words in paragraphs shared with A';
COMMENT ON COLUMN main.similar_pairs.run_id IS 'Run that found the pair';
