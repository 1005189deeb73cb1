-- 0006: what `sift reclean` changed. A reclean re-cleans landed documents
-- from raw.inputs with the current cleaning rules and updates them in place
-- (flows/reclean.py); this table keeps, per reclean run, every document whose
-- stored values changed and every document the new rules quarantined, so a
-- rules change can be audited after the fact. Documents whose re-cleaning
-- changed nothing but their rules_version get no row.
CREATE TABLE ops.reclean_changes (
    run_id            VARCHAR NOT NULL,
    doc_id            VARCHAR NOT NULL,
    change            VARCHAR NOT NULL,   -- text | metadata | quarantined
    fields            VARCHAR[] NOT NULL,
    old_rules_version VARCHAR NOT NULL,
    new_rules_version VARCHAR NOT NULL,
    old_len           INTEGER NOT NULL,
    new_len           INTEGER,
    reason            VARCHAR
);

COMMENT ON TABLE ops.reclean_changes IS 'What each sift reclean run changed: one row per document whose stored values changed, or that the new rules quarantined';
COMMENT ON COLUMN ops.reclean_changes.run_id IS 'The reclean run (ops.runs; its params say command reclean)';
COMMENT ON COLUMN ops.reclean_changes.doc_id IS 'The re-cleaned document (clean.documents)';
COMMENT ON COLUMN ops.reclean_changes.change IS 'text (clean_text differs; its dedup rows were recomputed) | metadata (same clean_text, other values differ) | quarantined (the new rules reject it: the document keeps its old clean text and rules_version, see ops.quarantine)';
COMMENT ON COLUMN ops.reclean_changes.fields IS 'Columns of clean.documents whose values changed, and removed_lines when the removed lines changed; empty when quarantined';
COMMENT ON COLUMN ops.reclean_changes.old_rules_version IS 'Cleaning-rules version the document had before the run';
COMMENT ON COLUMN ops.reclean_changes.new_rules_version IS 'Cleaning-rules version the run re-cleaned it with';
COMMENT ON COLUMN ops.reclean_changes.old_len IS 'Characters of clean_text before the run';
COMMENT ON COLUMN ops.reclean_changes.new_len IS 'Characters of clean_text after the run; NULL when quarantined';
COMMENT ON COLUMN ops.reclean_changes.reason IS 'Quarantine reason code when change = quarantined; NULL otherwise';

-- dedup.cluster_history gains the events a reclean produces: a re-cleaned
-- document can leave its cluster, which ingest runs never do.
COMMENT ON COLUMN dedup.cluster_history.event IS 'created (first formed; doc_id = its canonical document) | joined (doc_id joined; other_cluster_id = the cluster it came from, if any) | merged (other_cluster_id was absorbed, doc_id = one of its members) | canonical_changed (doc_id is the new canonical document) | left (doc_id left after sift reclean changed its text; other_cluster_id = where it went, if anywhere) | retired (absorbed into other_cluster_id, or dissolved when NULL)';
COMMENT ON COLUMN dedup.cluster_history.other_cluster_id IS 'merged: the cluster absorbed into this one; retired: the cluster that absorbed this one; joined / left: the cluster the document came from / went to; NULL otherwise';
