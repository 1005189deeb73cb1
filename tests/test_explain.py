"""`sift explain`: why a landed document is (or is not) a duplicate."""

import json

import pytest

from cleaners.record import RemovedLine
from dedup.explain import ExplainError, explain
from flows.cli import main
from tests.helpers import clean_doc, essay, fingerprinted, land_plain
from warehouse.connection import connect


@pytest.fixture
def landed(db_path):
    base = essay(1)
    near = base[:]
    near[2] = near[2].replace("w1x2y1 ", "changed ")  # one word: J stays >= 0.8
    teaser = RemovedLine(1, "Baca: another story", "teaser_link")
    docs = fingerprinted(
        [
            clean_doc("a.txt", "\n".join(base), published_at="2024-01-01T00:00:00", removed=(teaser,)),
            clean_doc("a_copy.txt", "\n".join(base).upper(), published_at="2024-01-03T00:00:00"),
            clean_doc("a_near.txt", "\n".join(near), published_at="2024-01-02T00:00:00"),
            clean_doc("partial.txt", "\n".join(base[:3] + essay(2, 4))),
            clean_doc("one_para.txt", "\n".join(base[5:] + essay(3, 5))),  # one shared paragraph only
            clean_doc("other.txt", "\n".join(essay(4))),
        ]
    )
    land_plain(db_path, docs, chunk_size=3)
    return db_path, {d.source_uri: d.doc_id for d in docs}


def _explain(db, key):
    con = connect(db, read_only=True)
    try:
        return explain(con, key)
    finally:
        con.close()


def test_a_near_copy_is_explained_by_its_cluster_and_pair(landed):
    db, ids = landed
    e = _explain(db, ids["a_near.txt"])
    assert e.verdict.startswith("duplicate")
    assert e.cluster["canonical_doc_id"] == ids["a.txt"]  # published first
    members = {m["doc_id"]: m for m in e.cluster["members"]}
    assert set(members) == {ids["a.txt"], ids["a_copy.txt"], ids["a_near.txt"]}
    assert e.cluster["members"][0]["doc_id"] == ids["a.txt"]  # canonical listed first
    assert members[ids["a.txt"]]["source_uri"] == "a.txt"
    near = [m for m in e.matches if m["other_id"] == ids["a.txt"]]
    assert near and near[0]["kind"] == "near"
    assert 0.8 <= near[0]["jaccard"] < 1.0
    assert near[0]["jaccard_estimate"] is not None
    assert e.candidates == []  # a verified duplicate needs no candidate list


def test_the_canonical_document_shows_overlaps_with_paragraph_texts_and_removed_lines(landed):
    db, ids = landed
    e = _explain(db, "a.txt")  # a source_uri works as the key
    assert e.verdict.startswith("canonical copy of cluster")
    kinds = {m["other_id"]: m["kind"] for m in e.matches}
    assert kinds[ids["partial.txt"]] == "overlap"
    assert kinds[ids["a_near.txt"]] == "near"
    shared = e.shared[ids["partial.txt"]]
    assert [(p.para_this, p.para_other) for p in shared] == [(0, 0), (1, 1), (2, 2)]
    assert all(p.jaccard == 1.0 for p in shared)
    assert shared[0].text_this.startswith("common0 w1x0y1")
    assert shared[0].text_this == shared[0].text_other
    assert shared[0].text_this.endswith("…") and len(shared[0].text_this) == 60  # truncated to the width
    overlap = next(m for m in e.matches if m["kind"] == "overlap")
    assert overlap["containment_this"] == pytest.approx(0.5)  # 3 of its 6 equal paragraphs
    assert e.removed_lines == [{"line_no": 1, "rule": "teaser_link", "line_text": "Baca: another story"}]


def test_a_document_without_pairs_lists_the_candidates_it_missed(landed):
    db, ids = landed
    e = _explain(db, ids["one_para.txt"])
    assert e.verdict.startswith("unique")
    assert e.cluster is None
    by_id = {c.other_id: c for c in e.candidates}
    assert ids["a.txt"] in by_id  # it shares paragraph 5 of a.txt, so their paragraph bands meet
    missed = by_id[ids["a.txt"]]
    assert missed.shared_paragraphs == 1
    assert "1 shared paragraph(s) < 2" in missed.missed
    assert missed.jaccard < 0.8
    assert ids["other.txt"] not in by_id  # nothing in common: not a candidate


def test_keys_resolve_by_prefix_and_bad_keys_say_what_to_do(landed):
    db, ids = landed
    assert _explain(db, ids["other.txt"][:8]).document["doc_id"] == ids["other.txt"]
    with pytest.raises(ExplainError, match="no landed document"):
        _explain(db, "no-such-document")


def test_the_command_prints_text_and_json(landed, capsys):
    db, ids = landed
    assert main(["explain", ids["a_near.txt"], "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "verdict: duplicate" in text
    assert "near" in text and "a.txt" in text
    assert main(["explain", "a.txt", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["removed_lines"][0]["rule"] == "teaser_link"
    assert main(["explain", "nothing-here", "--db", str(db)]) == 1
    assert "no landed document" in capsys.readouterr().err


def test_cluster_history_rows_are_shown_oldest_first(landed):
    db, ids = landed
    con = connect(db)
    try:
        cluster = con.execute(
            "SELECT cluster_id FROM dedup.cluster_members WHERE doc_id = ?", [ids["a.txt"]]
        ).fetchall()
        con.execute(
            "INSERT INTO dedup.cluster_history VALUES "
            "(?, 'r2', 'joined', ?, NULL, 3, TIMESTAMP '2024-02-01'), "
            "(?, 'r1', 'created', ?, NULL, 2, TIMESTAMP '2024-01-01')",
            [cluster[0][0], ids["a_copy.txt"], cluster[0][0], ids["a.txt"]],
        )
    finally:
        con.close()
    e = _explain(db, "a_near.txt")
    assert [(h["event"], h["run_id"]) for h in e.history] == [("created", "r1"), ("joined", "r2")]
    assert _explain(db, "other.txt").history == []  # no cluster, no history
