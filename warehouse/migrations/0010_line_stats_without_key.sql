-- 0010: clean.source_line_stats loses its primary key. It holds one row per
-- source and short line ever counted (most lines occur once), so it grows
-- with the corpus, and DuckDB keeps a key's index in memory: a 1M-document
-- run's load failed with DuckDB's out-of-memory error at its 512MB limit
-- while upserting these counts (2026-12-02). The load keeps (source,
-- line_hash) unique itself (warehouse/source_stats.py: an update joined with
-- the run's counts, then an insert of the lines not there yet). DuckDB
-- cannot drop a key in place, so the table is rebuilt, rows and comments as
-- they were.
CREATE TABLE clean.source_line_stats_0010 (
    source           VARCHAR NOT NULL,
    line_hash        VARCHAR NOT NULL,
    n_docs           INTEGER NOT NULL,
    sample_text      VARCHAR NOT NULL,
    first_run_id     VARCHAR NOT NULL,
    last_run_id      VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
INSERT INTO clean.source_line_stats_0010 SELECT * FROM clean.source_line_stats;
DROP TABLE clean.source_line_stats;
ALTER TABLE clean.source_line_stats_0010 RENAME TO source_line_stats;

COMMENT ON TABLE clean.source_line_stats IS 'Per source, how many of its documents contain each normalised short line: the evidence of the learned_chrome rule. One row per (source, line_hash), kept unique by the load (no key index: see migration 0010)';
COMMENT ON COLUMN clean.source_line_stats.source IS 'Source (site or folder) the documents came from, as documents.source';
COMMENT ON COLUMN clean.source_line_stats.line_hash IS 'blake2b-80 of the line normalised by cleaners.learned_chrome.normalize_line (case, NFKC, punctuation, whitespace folded; digit runs as 0)';
COMMENT ON COLUMN clean.source_line_stats.n_docs IS 'Landed documents of this source whose text before cleaning contains the line (each document counted once)';
COMMENT ON COLUMN clean.source_line_stats.sample_text IS 'One verbatim occurrence of the line, to show what a hash stands for';
COMMENT ON COLUMN clean.source_line_stats.first_run_id IS 'Run that first counted the line for this source';
COMMENT ON COLUMN clean.source_line_stats.last_run_id IS 'Run that last added to n_docs';
COMMENT ON COLUMN clean.source_line_stats.updated_at IS 'When n_docs last changed (UTC)';
