-- 0007: what the stored band hashes were made with. A band hash depends on
-- how words are hashed, the shingle sizes, the bands x rows split and the
-- MinHash seed (dedup.config.DedupConfig.band_params); bands made with other
-- values never match, so a run that would mix them is refused (dedup/scheme.py)
-- until `sift refingerprint` recomputes the stored bands.
CREATE TABLE dedup.band_params (
    params      VARCHAR NOT NULL,   -- JSON object, keys sorted
    recorded_at TIMESTAMP NOT NULL,
    run_id      VARCHAR             -- the ingest or refingerprint that recorded it; NULL: this migration
);

COMMENT ON TABLE dedup.band_params IS 'What the band hashes in dedup.bands were computed with; the newest row is current. A run whose parameters differ is refused until sift refingerprint recomputes the bands';
COMMENT ON COLUMN dedup.band_params.params IS 'JSON: word_hash (how a word becomes a 64-bit hash), minhash (permutation scheme), shingle_size, bands, rows, seed, para_shingle_size, para_bands, para_rows';
COMMENT ON COLUMN dedup.band_params.recorded_at IS 'When these parameters were recorded';
COMMENT ON COLUMN dedup.band_params.run_id IS 'The run that recorded them (an ingest into an empty warehouse, or a refingerprint); NULL when recorded by this migration';

-- Bands landed before this table existed were made with the first word hash
-- (blake2b of each word) and the default parameters of that time.
INSERT INTO dedup.band_params
SELECT '{"bands": 20, "minhash": "datasketch-affine32", "para_bands": 8, "para_rows": 3, "para_shingle_size": 3, "rows": 6, "seed": 1, "shingle_size": 5, "word_hash": "blake2b-word-v1"}',
       now()::TIMESTAMP, NULL
WHERE EXISTS (SELECT 1 FROM dedup.bands);
