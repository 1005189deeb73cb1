-- removed_lines: every line cleaning removed, with the rule that removed it.
CREATE OR REPLACE VIEW main.removed_lines AS
SELECT
    doc_id,
    line_no,      -- 0-based line index in the document before cleaning
    line_text,
    rule          -- reason code, documented in cleaners/reasons.py and README
FROM clean.removed_lines;

-- comments: re-applied with the view (re-creating a view drops them)
COMMENT ON VIEW main.removed_lines IS 'Every line cleaning removed, with the rule that removed it';
COMMENT ON COLUMN main.removed_lines.doc_id IS 'Document the line was removed from';
COMMENT ON COLUMN main.removed_lines.line_no IS '0-based line index in the document before cleaning';
COMMENT ON COLUMN main.removed_lines.line_text IS 'The removed line verbatim';
COMMENT ON COLUMN main.removed_lines.rule IS 'Reason code of the rule, documented in cleaners/reasons.py and the README';
