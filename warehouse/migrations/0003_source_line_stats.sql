-- 0003: per-source line statistics for the `learned_chrome` rule
-- (cleaners/learned_chrome.py). A line that recurs across many documents of
-- one source is that site's chrome; these counts let scheduled runs keep
-- learning. Read before cleaning and upserted in the run's load transaction
-- by warehouse/source_stats.py. Only lines of at most 40 words are counted
-- (chrome is short; counting every paragraph would grow with the corpus).

CREATE TABLE clean.source_line_stats (
    source           VARCHAR NOT NULL,
    line_hash        VARCHAR NOT NULL,
    n_docs           INTEGER NOT NULL,
    sample_text      VARCHAR NOT NULL,
    first_run_id     VARCHAR NOT NULL,
    last_run_id      VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (source, line_hash)
);

CREATE TABLE clean.source_doc_counts (
    source           VARCHAR PRIMARY KEY,
    n_docs           INTEGER NOT NULL,
    last_run_id      VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

COMMENT ON TABLE clean.source_line_stats IS 'Per source, how many of its documents contain each normalised short line: the evidence of the learned_chrome rule';
COMMENT ON COLUMN clean.source_line_stats.source IS 'Source (site or folder) the documents came from, as documents.source';
COMMENT ON COLUMN clean.source_line_stats.line_hash IS 'blake2b-80 of the line normalised by cleaners.learned_chrome.normalize_line (case, NFKC, punctuation, whitespace folded; digit runs as 0)';
COMMENT ON COLUMN clean.source_line_stats.n_docs IS 'Landed documents of this source whose text before cleaning contains the line (each document counted once)';
COMMENT ON COLUMN clean.source_line_stats.sample_text IS 'One verbatim occurrence of the line, to show what a hash stands for';
COMMENT ON COLUMN clean.source_line_stats.first_run_id IS 'Run that first counted the line for this source';
COMMENT ON COLUMN clean.source_line_stats.last_run_id IS 'Run that last added to n_docs';
COMMENT ON COLUMN clean.source_line_stats.updated_at IS 'When n_docs last changed (UTC)';
COMMENT ON TABLE clean.source_doc_counts IS 'Per source, how many landed documents the line statistics have counted: the denominator of the learned_chrome thresholds';
COMMENT ON COLUMN clean.source_doc_counts.source IS 'Source (site or folder), as documents.source';
COMMENT ON COLUMN clean.source_doc_counts.n_docs IS 'Documents of this source counted into clean.source_line_stats';
COMMENT ON COLUMN clean.source_doc_counts.last_run_id IS 'Run that last added to n_docs';
COMMENT ON COLUMN clean.source_doc_counts.updated_at IS 'When n_docs last changed (UTC)';
