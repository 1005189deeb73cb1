"""The dedup stage against a real DuckDB warehouse, across runs."""

from tests.helpers import clean_doc, essay, fingerprinted, land_plain
from warehouse.connection import connect


def _bands_of(db):
    con = connect(db, read_only=True)
    rows = {r[0] for r in con.execute("SELECT DISTINCT doc_id FROM dedup.bands").fetchall()}
    con.close()
    return rows


def _pairs(db):
    con = connect(db, read_only=True)
    rows = con.execute("SELECT doc_id_a, doc_id_b, kind FROM similar_pairs ORDER BY ALL").fetchall()
    con.close()
    return rows


def test_exact_near_overlap_and_unrelated_in_one_run(db_path):
    base = essay(1)
    near = base[:]
    near[2] = near[2].replace("w1x2y1 ", "changed ")  # one word changed: J stays >= 0.8
    overlap = base[:3] + essay(2, 4)
    docs = fingerprinted(
        [
            clean_doc("a.txt", "\n".join(base)),
            clean_doc("a_copy.txt", "\n".join(base).upper()),  # exact after normalisation
            clean_doc("a_near.txt", "\n".join(near)),
            clean_doc("partial.txt", "\n".join(overlap)),
            clean_doc("other.txt", "\n".join(essay(3))),
        ]
    )
    ids = {d.source_uri: d.doc_id for d in docs}
    # chunks of 2: the copies meet their originals through the run's staging
    pairs, clusters = land_plain(db_path, docs, chunk_size=2)
    kinds = {(p.doc_id_a, p.doc_id_b): p for p in pairs}

    def pair(x, y):
        return kinds.get(tuple(sorted((ids[x], ids[y]))))

    assert pair("a.txt", "a_copy.txt").kind == "exact"
    assert pair("a.txt", "a_near.txt").kind == "near"
    assert 0.8 <= pair("a.txt", "a_near.txt").jaccard < 1.0
    assert pair("a.txt", "partial.txt").kind == "overlap"
    assert all(ids["other.txt"] not in k for k in kinds)
    # one cluster holds the original and its two copies; the overlap stays apart
    clusters = {c.cluster_id: set(c.members) for c in clusters.clusters}
    assert {ids["a.txt"], ids["a_copy.txt"], ids["a_near.txt"]} in clusters.values()
    # the exact copy is not indexed: only one representative per hash has bands
    assert ids["a_copy.txt"] not in _bands_of(db_path)
    assert ids["a.txt"] in _bands_of(db_path)


def test_pairs_and_paragraph_maps_do_not_depend_on_the_chunk_size(tmp_path):
    # in one chunk, pairs are found as the chunk is staged; across chunks, by
    # the run's own pass after the last chunk (signatures recomputed from text)
    base = essay(11)
    near = base[:]
    near[4] = near[4].replace("w11x4y1 ", "edited ")
    docs = fingerprinted(
        [
            clean_doc("a.txt", "\n".join(base)),
            clean_doc("b.txt", "\n".join(essay(12))),
            clean_doc("near.txt", "\n".join(near)),
            clean_doc("copy.txt", "\n".join(base)),
            clean_doc("partial.txt", "\n".join(base[:3] + essay(13, 4))),
            clean_doc("partial2.txt", "\n".join(essay(14, 2) + base[1:4])),
        ]
    )
    seen = []
    for size in (6, 1, 2, 4):
        db = tmp_path / f"chunks_{size}.duckdb"
        land_plain(db, docs, chunk_size=size)
        con = connect(db, read_only=True)
        pairs = con.execute("SELECT * EXCLUDE (run_id) FROM dedup.pairs ORDER BY ALL").fetchall()
        pmap = con.execute("SELECT * EXCLUDE (run_id) FROM dedup.paragraph_map ORDER BY ALL").fetchall()
        con.close()
        seen.append((pairs, pmap))
    assert {row[2] for row in seen[0][0]} == {"exact", "near", "overlap"}
    assert seen[0][1]  # overlaps come with their paragraph maps
    assert all(other == seen[0] for other in seen[1:])


def test_later_run_matches_landed_documents_and_joins_their_cluster(db_path):
    base = essay(4)
    first = fingerprinted([clean_doc("a.txt", "\n".join(base)), clean_doc("b.txt", "\n".join(essay(5)))])
    land_plain(db_path, first)
    later_near = base[:]
    later_near[0] = later_near[0].replace("w4x0y1", "edited")
    second = fingerprinted([clean_doc("a_later.txt", "\n".join(later_near), published_at="2020-01-01T00:00:00")])
    land_plain(db_path, second)
    pairs = _pairs(db_path)
    assert [p[2] for p in pairs] == ["near"]
    con = connect(db_path, read_only=True)
    rows = con.execute("SELECT source_uri, cluster_id, is_canonical FROM documents ORDER BY source_uri").fetchall()
    con.close()
    by_uri = {r[0]: r for r in rows}
    assert by_uri["a.txt"][1] == by_uri["a_later.txt"][1] == first[0].doc_id  # the old cluster id is kept
    assert by_uri["a_later.txt"][2] is True  # published earlier: the new copy survives
    assert by_uri["a.txt"][2] is False
    assert by_uri["b.txt"][2] is True


def test_landing_the_same_documents_twice_adds_nothing(db_path):
    docs = fingerprinted([clean_doc("a.txt", "\n".join(essay(6))), clean_doc("b.txt", "\n".join(essay(6)[:4]))])
    land_plain(db_path, docs)
    con = connect(db_path, read_only=True)
    tables = [
        r[0]
        for r in con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name <> 'ops'"
        ).fetchall()
    ]
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}
    con.close()
    land_plain(db_path, docs)
    con = connect(db_path, read_only=True)
    after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}
    con.close()
    assert before == after
    assert before["clean.documents"] == 2
