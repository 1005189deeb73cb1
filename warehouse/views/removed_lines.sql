-- removed_lines: every line cleaning removed, with the rule that removed it.
CREATE OR REPLACE VIEW main.removed_lines AS
SELECT
    doc_id,
    line_no,      -- 0-based line index in the document before cleaning
    line_text,
    rule          -- reason code, documented in cleaners/reasons.py and README
FROM clean.removed_lines;
