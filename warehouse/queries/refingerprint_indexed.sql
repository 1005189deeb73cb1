-- The documents that have bands (one per normalised text: exact copies are not
-- indexed), with what fingerprinting needs, for `sift refingerprint`.
SELECT d.doc_id, d.source_uri, d.source, d.body_kind, d.clean_text
FROM clean.documents d
SEMI JOIN dedup.bands b ON b.doc_id = d.doc_id AND b.para_no < 0
ORDER BY d.doc_id
