"""Read-side queries the dedup stage needs, answered by DuckDB joins.

Implements `dedup.stage.LandedIndex`. Candidate pairs come from joining the
new documents' bands with `dedup.bands`, so the cost grows with the new
documents, not with the warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from dedup.bands import min_cover
from dedup.clusters import Member
from dedup.config import DedupConfig
from warehouse.staging import Staging, read_texts

# A band shared by more documents than this is boilerplate, not a passage
# copied between a few documents; pairing them all would be quadratic.
MAX_BUCKET = 200


class WarehouseIndex:
    """Landed rows, plus what the run with `staging` holds.

    Candidates and exact copies are matched against landed rows only, plus,
    for exact copies, `staging.run_representatives` (dedup.run_copies): the
    ingest flow finds pairs among the run's own documents once, after its
    last chunk (dedup.run_bands). Joins with the staged parts grew with the
    square of the run.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, staging: Staging | None = None) -> None:
        self.con = con
        self.staging = staging

    def _ids_table(self, name: str, ids: Sequence[str]) -> None:
        self.con.register(name, pa.table({"doc_id": pa.array(list(ids), pa.string())}))

    def exact_representatives(self, norm_hashes: Sequence[str]) -> dict[str, str]:
        if not norm_hashes:
            return {}
        self.con.register("q_hashes", pa.table({"norm_hash": pa.array(list(norm_hashes), pa.string())}))
        rows = self.con.execute(
            """
            SELECT d.norm_hash, min(d.doc_id)
            FROM clean.documents d JOIN q_hashes q USING (norm_hash)
            -- the representative is the copy whose bands were indexed
            WHERE d.doc_id IN (SELECT doc_id FROM dedup.bands WHERE para_no < 0)
            GROUP BY d.norm_hash
            """
        ).fetchall()
        self.con.unregister("q_hashes")
        found = dict(rows)
        if self.staging is not None:
            for norm_hash, doc_id in self.staging.run_representatives.lookup(norm_hashes).items():
                found[norm_hash] = min(doc_id, found.get(norm_hash, doc_id))
        return found

    def band_matches(self, bands: pa.Table, cfg: DedupConfig) -> set[tuple[str, str]]:
        """(new, landed) pairs that share a document band, or paragraph bands of
        at least `overlap_min_paragraphs` distinct paragraphs on both sides
        covering `min_cover` of one side: one shared paragraph is a coincidence
        or boilerplate, and verifying every such pair cost most of the dedup
        stage (measured: 3,843 of 3,897 candidates). `bands` has QUERY_SCHEMA."""
        if bands.num_rows == 0:
            return set()
        self.con.register("q_bands", bands)
        found = self.con.execute(
            f"""
            -- landed band rows in the chunk's buckets: one per document, not per pair.
            -- On the hash alone: the scan of every landed band row is most of this
            -- query, and probing one column halves it (1M documents, 134.7M rows:
            -- 0.70 -> 0.37 s); a row of another band with the same hash is a
            -- bucket of its own below, which no new row joins (the joins match band too)
            WITH old AS (
                SELECT b.doc_id, b.para_no, b.band, b.band_hash FROM dedup.bands b
                SEMI JOIN q_bands q ON b.band_hash = q.band_hash
            ),
            crowded AS (  -- paragraph buckets that hold boilerplate, not a copied passage
                SELECT band, band_hash FROM old WHERE para_no >= 0
                GROUP BY ALL HAVING count(DISTINCT doc_id) > {MAX_BUCKET}
            ),
            q AS (
                SELECT * FROM q_bands
                WHERE para_no < 0 OR (band, band_hash) NOT IN (SELECT band, band_hash FROM crowded)
            ),
            -- one row per (new paragraph, old paragraph) sharing any band (-1: whole
            -- documents), aggregated before anything else reads it: crowded buckets
            -- are gone first and the 8 bands of a paragraph pair become one row
            kept AS (
                SELECT q.doc_id AS new_id, o.doc_id AS old_id, q.para_no AS new_para, o.para_no AS old_para,
                       any_value(q.words) AS new_words, any_value(q.doc_words) AS new_doc_words
                FROM q JOIN old o
                  ON o.band = q.band AND o.band_hash = q.band_hash AND (o.para_no < 0) = (q.para_no < 0)
                WHERE q.doc_id <> o.doc_id
                GROUP BY ALL
            ),
            passing AS (
                SELECT new_id, old_id FROM kept WHERE new_para >= 0 GROUP BY ALL
                HAVING least(count(DISTINCT new_para), count(DISTINCT old_para)) >= $need
            ),
            new_cover AS (
                SELECT new_id, old_id, sum(new_words) / any_value(new_doc_words) AS cover
                FROM (SELECT DISTINCT new_id, old_id, new_para, new_words, new_doc_words
                      FROM kept JOIN passing USING (new_id, old_id) WHERE new_para >= 0)
                GROUP BY ALL
            ),
            old_paras AS (
                SELECT DISTINCT new_id, old_id, old_para
                FROM kept JOIN passing USING (new_id, old_id) WHERE new_para >= 0
            ),
            -- the lengths of those paragraphs only, semi-joined before any aggregate:
            -- written as one join, DuckDB 2.0 pushed the sum below it and grouped
            -- every staged and landed paragraph (measured, 350k staged documents:
            -- 5.8 -> 3.9-4.0 CPU-s for the whole query, same pairs)
            old_words AS (
                SELECT p.doc_id, p.para_no, p.n_words FROM clean.paragraphs p
                SEMI JOIN old_paras o ON p.doc_id = o.old_id AND p.para_no = o.old_para
            ),
            old_cover AS (
                SELECT o.new_id, o.old_id, sum(w.n_words) / any_value(d.n_words) AS cover
                FROM old_paras o
                JOIN old_words w ON w.doc_id = o.old_id AND w.para_no = o.old_para
                JOIN clean.documents d ON d.doc_id = o.old_id
                GROUP BY ALL
            )
            SELECT DISTINCT new_id, old_id FROM kept WHERE new_para < 0
            UNION
            SELECT new_id, old_id FROM new_cover JOIN old_cover USING (new_id, old_id)
            WHERE greatest(new_cover.cover, old_cover.cover) >= $min_cover
            """,
            {"need": cfg.overlap_min_paragraphs, "min_cover": min_cover(cfg)},
        ).fetchall()
        self.con.unregister("q_bands")
        return {(a, b) for a, b in found}

    def clean_texts(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Texts of landed or staged documents. Staged ones are located in
        memory (warehouse.staged_ids), then read by seeking (warehouse.staging):
        a join on the text column decompressed every staged text."""
        if not doc_ids:
            return {}
        self._ids_table("q_ids", doc_ids)
        landed = "SELECT doc_id, clean_text FROM clean.documents JOIN q_ids USING (doc_id)"
        texts = dict(self.con.execute(landed).fetchall())
        self.con.unregister("q_ids")
        missing = [doc_id for doc_id in doc_ids if doc_id not in texts]
        if self.staging is not None and missing:
            where = sorted((at, doc_id) for doc_id, at in self.staging.staged_ids.locate(missing).items())
            # by part and row: each part read in order
            staged = read_texts((at for at, _ in where), self.staging.text_offsets)
            texts.update(zip((doc_id for _, doc_id in where), staged, strict=True))
        return texts

    def cluster_members(self, doc_ids: Sequence[str]) -> list[Member]:
        """Every member of the clusters the given landed documents belong to.

        A landed document with no `dedup.cluster_members` row is its own
        cluster: its cluster id is its doc id.
        """
        if not doc_ids:
            return []
        self._ids_table("q_ids", doc_ids)
        rows = self.con.execute(
            """
            WITH touched AS (
                SELECT DISTINCT coalesce(m.cluster_id, q.doc_id) AS cluster_id
                FROM q_ids q LEFT JOIN dedup.cluster_members m USING (doc_id)
            ),
            members AS (
                SELECT m.doc_id, m.cluster_id FROM dedup.cluster_members m JOIN touched USING (cluster_id)
                UNION
                SELECT t.cluster_id AS doc_id, t.cluster_id FROM touched t
                WHERE t.cluster_id NOT IN (SELECT cluster_id FROM dedup.clusters)
            )
            SELECT d.doc_id, strftime(d.published_at, '%Y-%m-%dT%H:%M:%S'), d.ingested_at,
                   length(d.clean_text), m.cluster_id, coalesce(c.first_seen_at, d.ingested_at)
            FROM members m
            JOIN clean.documents d USING (doc_id)
            LEFT JOIN dedup.clusters c USING (cluster_id)
            ORDER BY d.doc_id
            """
        ).fetchall()
        self.con.unregister("q_ids")
        return [Member(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def landed_doc_ids(self, doc_ids: Sequence[str]) -> set[str]:
        """Those of `doc_ids` landed, or staged by this run."""
        if not doc_ids:
            return set()
        self._ids_table("q_ids", doc_ids)
        rows = self.con.execute("SELECT doc_id FROM clean.documents JOIN q_ids USING (doc_id)").fetchall()
        self.con.unregister("q_ids")
        found = {r[0] for r in rows}
        if self.staging is not None:
            found.update(self.staging.staged_ids.locate(doc_ids))
        return found
