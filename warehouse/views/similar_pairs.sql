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
