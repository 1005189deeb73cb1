-- 0001: the layered warehouse. raw (inputs verbatim), clean (documents and
-- what cleaning removed), dedup (bands, pairs, clusters), ops (runs,
-- quarantine). Consumer views live in the default schema (warehouse/views).
-- Large per-document child tables (removed_lines, paragraphs, bands,
-- paragraph_map) have no primary key: exactly-once comes from the load's
-- anti-joins on the document id, and their indexes would cost memory that
-- grows with the warehouse.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS clean;
CREATE SCHEMA IF NOT EXISTS dedup;
CREATE SCHEMA IF NOT EXISTS ops;

CREATE TABLE ops.runs (
    run_id        VARCHAR PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,            -- running | succeeded | failed
    n_inputs      INTEGER,
    n_documents   INTEGER,
    n_duplicates  INTEGER,
    n_quarantined INTEGER,
    n_skipped     INTEGER,
    params        JSON,
    code_version  VARCHAR,
    rules_version VARCHAR,
    summary       JSON,
    error         VARCHAR
);

CREATE TABLE raw.inputs (
    raw_id         VARCHAR PRIMARY KEY,        -- = doc_id of the document made from it
    source_uri     VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,
    line_no        INTEGER,                    -- 1-based line for JSONL records
    size           BIGINT NOT NULL,
    sha256         VARCHAR NOT NULL,
    content        BLOB NOT NULL,
    first_run_id   VARCHAR NOT NULL,
    first_seen_at  TIMESTAMP NOT NULL
);

CREATE TABLE clean.documents (
    doc_id          VARCHAR PRIMARY KEY,
    source_uri      VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    body_kind       VARCHAR NOT NULL,
    title           VARCHAR,
    url             VARCHAR,
    author          VARCHAR,
    published_at    TIMESTAMP,
    site_name       VARCHAR,
    encoding        VARCHAR,
    repairs         VARCHAR[],
    clean_text      VARCHAR NOT NULL,
    n_words         INTEGER NOT NULL,
    n_removed_lines INTEGER NOT NULL,
    lang            VARCHAR NOT NULL,
    lang_score      DOUBLE NOT NULL,
    norm_hash       VARCHAR NOT NULL,
    rules_version   VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    ingested_at     TIMESTAMP NOT NULL
);

CREATE TABLE clean.removed_lines (
    doc_id    VARCHAR NOT NULL,
    line_no   INTEGER NOT NULL,
    line_text VARCHAR NOT NULL,
    rule      VARCHAR NOT NULL
);

CREATE TABLE clean.paragraphs (
    doc_id    VARCHAR NOT NULL,
    para_no   INTEGER NOT NULL,
    n_words   INTEGER NOT NULL,
    norm_hash VARCHAR NOT NULL
);

CREATE TABLE dedup.bands (
    doc_id    VARCHAR NOT NULL,
    para_no   INTEGER NOT NULL,               -- -1: whole-document band
    band      SMALLINT NOT NULL,
    band_hash BIGINT NOT NULL
);

CREATE TABLE dedup.pairs (
    doc_id_a         VARCHAR NOT NULL,
    doc_id_b         VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,        -- exact | near | overlap
    jaccard          DOUBLE NOT NULL,
    jaccard_estimate DOUBLE,
    containment_a    DOUBLE NOT NULL,
    containment_b    DOUBLE NOT NULL,
    run_id           VARCHAR NOT NULL,
    PRIMARY KEY (doc_id_a, doc_id_b)
);

CREATE TABLE dedup.paragraph_map (
    doc_id_a  VARCHAR NOT NULL,
    para_no_a INTEGER NOT NULL,
    doc_id_b  VARCHAR NOT NULL,
    para_no_b INTEGER NOT NULL,
    jaccard   DOUBLE NOT NULL,
    run_id    VARCHAR NOT NULL
);

CREATE TABLE dedup.clusters (
    cluster_id       VARCHAR PRIMARY KEY,
    canonical_doc_id VARCHAR NOT NULL,
    size             INTEGER NOT NULL,
    first_seen_at    TIMESTAMP NOT NULL,
    last_seen_at     TIMESTAMP NOT NULL,
    updated_run_id   VARCHAR NOT NULL
);

-- Only clusters with several members are stored: a document in no row here
-- is its own cluster (cluster_id = doc_id), which keeps these tables small.
CREATE TABLE dedup.cluster_members (
    doc_id     VARCHAR PRIMARY KEY,
    cluster_id VARCHAR NOT NULL,
    run_id     VARCHAR NOT NULL
);

CREATE TABLE ops.quarantine (
    quarantine_id  VARCHAR PRIMARY KEY,       -- hash of (source_uri, reason, content)
    source_uri     VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    detail         VARCHAR NOT NULL,
    raw_sha256     VARCHAR,
    size           BIGINT,
    run_id         VARCHAR NOT NULL,
    quarantined_at TIMESTAMP NOT NULL
);
