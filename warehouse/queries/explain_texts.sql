-- Source and clean text of a few documents (paragraphs are the text's non-blank lines).
SELECT doc_id, source_uri, clean_text
FROM clean.documents
WHERE list_contains($doc_ids, doc_id);
