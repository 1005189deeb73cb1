"""A warehouse made by the previous migration set (the spine: migration 0001
only, recorded without checksums), holding one small consistent run.

Built the way the spine's code built it (its bootstrap of schema_migrations,
its 0001 frozen in tests/fixtures/spine_0001_layers.sql, its documents view),
so opening it with the current code exercises a real in-place upgrade.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

FROZEN_0001 = Path(__file__).parent / "fixtures" / "spine_0001_layers.sql"

SPINE_DOCUMENTS_VIEW = """
CREATE OR REPLACE VIEW main.documents AS
SELECT d.doc_id, d.source_uri, d.source, d.title, d.url, d.author, d.published_at, d.lang, d.lang_score,
       d.clean_text, d.n_words, d.n_removed_lines, m.cluster_id,
       coalesce(c.canonical_doc_id = d.doc_id, true) AS is_canonical,
       d.encoding, d.repairs, d.rules_version, d.run_id, d.ingested_at
FROM clean.documents d
LEFT JOIN dedup.cluster_members m USING (doc_id)
LEFT JOIN dedup.clusters c ON c.cluster_id = m.cluster_id;
"""

RUN = "20240501T120000-0ld0ld00"
WHEN = datetime(2024, 5, 1, 12, 0)
DOC_A, DOC_B = "a" * 20, "b" * 20

# table -> rows, in column order of the spine's tables
ROWS: dict[str, list[tuple]] = {
    "ops.runs": [
        (RUN, WHEN, datetime(2024, 5, 1, 12, 1), "succeeded", 3, 2, 1, 1, 0, '{"paths": ["old"]}', "0.0.1", "r-old",
         '{"stage_seconds": {}}', None),
    ],
    "raw.inputs": [
        (DOC_A, "old/a.txt", "old/a.txt", None, 11, "0" * 64, b"Baca: x\nA.", RUN, WHEN),
        (DOC_B, "old/b.txt", "old/b.txt", None, 2, "1" * 64, b"A.", RUN, WHEN),
    ],
    "clean.documents": [
        (DOC_A, "old/a.txt", "old", "text", "A", None, None, datetime(2024, 4, 1), None, "utf-8", [], "A.", 1, 1,
         "en", 0.99, "h" * 16, "r-old", RUN, WHEN),
        (DOC_B, "old/b.txt", "old", "text", None, None, None, None, None, "utf-8", ["mojibake"], "A.", 1, 0,
         "en", 0.98, "h" * 16, "r-old", RUN, WHEN),
    ],
    "clean.removed_lines": [(DOC_A, 0, "Baca: x", "teaser_link")],
    "clean.paragraphs": [(DOC_A, 0, 1, "p" * 16), (DOC_B, 0, 1, "p" * 16)],
    "dedup.bands": [(DOC_A, -1, 0, 42), (DOC_A, -1, 1, 43)],
    "dedup.pairs": [(DOC_A, DOC_B, "exact", 1.0, None, 1.0, 1.0, RUN)],
    "dedup.paragraph_map": [(DOC_A, 0, DOC_B, 0, 1.0, RUN)],
    "dedup.clusters": [(DOC_A, DOC_A, 2, WHEN, WHEN, RUN)],
    "dedup.cluster_members": [(DOC_A, DOC_A, RUN), (DOC_B, DOC_A, RUN)],
    "ops.quarantine": [("q" * 20, "old/c.bin", "binary", "binary content", "2" * 64, 9, RUN, WHEN)],
}  # fmt: skip


def build_old_db(path: str | Path) -> dict[str, int]:
    """Write the spine-era warehouse at `path`; returns rows per table."""
    con = duckdb.connect(str(path))
    try:
        # exactly the spine's bootstrap and bookkeeping (no checksum column)
        con.execute(
            "CREATE TABLE IF NOT EXISTS main.schema_migrations ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        con.execute("BEGIN TRANSACTION")
        con.execute(FROZEN_0001.read_text(encoding="utf-8"))
        con.execute("INSERT INTO main.schema_migrations VALUES (1, '0001_layers.sql', ?)", [WHEN])
        con.execute("COMMIT")
        con.execute(SPINE_DOCUMENTS_VIEW)
        for table, rows in ROWS.items():
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    finally:
        con.close()
    return {table: len(rows) for table, rows in ROWS.items()}
