-- 0005: cluster history. dedup.clusters and dedup.cluster_members hold the
-- current state only; this table keeps what happened to each cluster, run by
-- run, so a cluster's story (formed, joined, merged, canonical changed,
-- absorbed) can be told after later runs have changed it.
CREATE TABLE dedup.cluster_history (
    cluster_id       VARCHAR NOT NULL,
    run_id           VARCHAR NOT NULL,
    event            VARCHAR NOT NULL,   -- created | joined | merged | canonical_changed | retired
    doc_id           VARCHAR,            -- the document the event is about (see event)
    other_cluster_id VARCHAR,            -- merged: the cluster absorbed; retired: the one that absorbed it
    size             INTEGER NOT NULL,   -- the cluster's size after the run
    happened_at      TIMESTAMP NOT NULL
);

COMMENT ON TABLE dedup.cluster_history IS 'What each run did to each duplicate cluster: one row per event, never updated';
COMMENT ON COLUMN dedup.cluster_history.cluster_id IS 'The cluster the event happened to';
COMMENT ON COLUMN dedup.cluster_history.run_id IS 'The run that caused the event (ops.runs)';
COMMENT ON COLUMN dedup.cluster_history.event IS 'created (first formed; doc_id = its canonical document) | joined (doc_id joined) | merged (other_cluster_id was absorbed, doc_id = one of its members) | canonical_changed (doc_id is the new canonical document) | retired (absorbed into other_cluster_id)';
COMMENT ON COLUMN dedup.cluster_history.doc_id IS 'The document the event is about; NULL for retired';
COMMENT ON COLUMN dedup.cluster_history.other_cluster_id IS 'merged: the cluster absorbed into this one; retired: the cluster that absorbed this one; NULL otherwise';
COMMENT ON COLUMN dedup.cluster_history.size IS 'Members of the cluster after the run (for retired: 0)';
COMMENT ON COLUMN dedup.cluster_history.happened_at IS 'When the run started (UTC)';
