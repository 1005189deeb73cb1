"""The pure parts of `sift reclean`: rebuilding a document from its raw input, and
recomputing clusters when links can disappear."""

from __future__ import annotations

from datetime import datetime

import pytest

from cleaners.readers import read_path
from cleaners.rebuild import RawRow, document_from_raw
from cleaners.record import Quarantined
from dedup.cluster_history import HistoryEvent
from dedup.clusters import Member
from dedup.recluster import OldCluster, recluster

T0, T1, NOW = datetime(2024, 1, 1), datetime(2024, 2, 1), datetime(2024, 6, 1)


def _row(doc, source=None):
    return RawRow(doc.doc_id, doc.source_uri, source or doc.source, doc.input_path, doc.input_line, doc.raw)


def test_a_rebuilt_document_is_what_the_reader_made(tmp_path):
    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "page.html"
    page.write_bytes(b"<html><body><article><p>Hello there, harbour.</p></article></body></html>")
    feed = tmp_path / "site" / "feed.jsonl"
    feed.write_text('{"text": "one"}\n\n{"text": "two", "url": "https://x.org/a", "title": "T", "lang": "en"}\n')
    for path in (page, feed):
        for doc in read_path(path):
            assert document_from_raw(_row(doc)) == doc
    two = read_path(feed)[1]
    assert (two.input_line, two.url, two.title, two.lang_hint) == (3, "https://x.org/a", "T", "en")
    # the source is provenance: the one the document was landed under is kept
    assert document_from_raw(_row(two, source="landed-as")).source == "landed-as"


def test_a_raw_input_that_does_not_rebuild_its_document_is_quarantined(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Some text.\n")
    (doc,) = read_path(path)
    wrong = RawRow(doc.doc_id, doc.source_uri, doc.source, doc.input_path, None, b"Other text.\n")
    missing = RawRow(doc.doc_id, doc.source_uri, doc.source, None, None, None)
    assert isinstance(q := document_from_raw(wrong), Quarantined) and q.reason == "reclean_raw_mismatch"
    assert isinstance(q := document_from_raw(missing), Quarantined) and q.reason == "reclean_no_raw"


def _m(doc_id, published=None, length=100):
    return Member(doc_id, published, T0, length)


def _old(cluster_id, canonical, members):
    return OldCluster(cluster_id, canonical, tuple(members), T0, T1)


def test_unchanged_clusters_are_not_rewritten():
    out = recluster([_m("a"), _m("b")], [("a", "b")], [_old("a", "a", ["a", "b"])], NOW)
    assert (out.write, out.delete, out.events) == ((), (), ())


def test_a_document_that_leaves_keeps_the_cluster_id_with_the_rest():
    members = [_m("a"), _m("b"), _m("c")]
    out = recluster(members, [("a", "b")], [_old("a", "a", ["a", "b", "c"])], NOW)
    (c,) = out.write
    assert (c.cluster_id, c.canonical_doc_id, c.members, c.first_seen_at, c.last_seen_at) == (
        "a",
        "a",
        ("a", "b"),
        T0,
        NOW,
    )
    assert out.delete == ("a",)
    assert out.events == (HistoryEvent("a", "left", "c", None, 2),)


def test_when_the_document_naming_a_cluster_leaves_the_rest_form_a_new_cluster():
    members = [_m("a", "2020-01-01"), _m("b"), _m("c")]
    out = recluster(members, [("b", "c")], [_old("a", "a", ["a", "b", "c"])], NOW)
    (c,) = out.write
    assert (c.cluster_id, c.members, c.first_seen_at) == ("b", ("b", "c"), NOW)  # an id names a member
    assert out.delete == ("a",)
    assert set(out.events) == {
        HistoryEvent("b", "created", "b", None, 2),
        HistoryEvent("b", "joined", "b", "a", 2),
        HistoryEvent("b", "joined", "c", "a", 2),
        HistoryEvent("a", "left", "a", None, 0),
        HistoryEvent("a", "left", "b", "b", 0),
        HistoryEvent("a", "left", "c", "b", 0),
        HistoryEvent("a", "retired", None, None, 0),
    }


def test_a_cluster_without_links_dissolves():
    out = recluster([_m("a"), _m("b")], [], [_old("a", "a", ["a", "b"])], NOW)
    assert (out.write, out.delete) == ((), ("a",))
    assert out.events[-1] == HistoryEvent("a", "retired", None, None, 0)


def test_a_document_linking_two_clusters_merges_them_into_the_older():
    members = [_m("a"), _m("b"), _m("k"), _m("m"), _m("x")]
    old = [_old("a", "a", ["a", "b"]), OldCluster("k", "k", ("k", "m"), T1, T1)]
    out = recluster(members, [("a", "b"), ("k", "m"), ("b", "x"), ("x", "k")], old, NOW)
    (c,) = out.write
    assert (c.cluster_id, c.members, c.first_seen_at) == ("a", ("a", "b", "k", "m", "x"), T0)
    assert out.delete == ("a", "k")
    assert out.events == (
        HistoryEvent("a", "merged", "k", "k", 5),
        HistoryEvent("a", "joined", "x", None, 5),
        HistoryEvent("k", "retired", None, "a", 0),
    )


def test_a_new_canonical_is_recorded():
    members = [_m("a", "2021-01-01"), _m("b", "2020-01-01")]
    out = recluster(members, [("a", "b")], [_old("a", "a", ["a", "b"])], NOW)
    (c,) = out.write
    assert (c.cluster_id, c.canonical_doc_id, c.last_seen_at) == ("a", "b", T1)
    assert out.events == (HistoryEvent("a", "canonical_changed", "b", None, 2),)


def test_links_and_clusters_must_name_given_members():
    with pytest.raises(ValueError, match="not among the members"):
        recluster([_m("a")], [("a", "z")], [], NOW)
    with pytest.raises(ValueError, match="not given"):
        recluster([_m("a")], [], [_old("a", "a", ["a", "z"])], NOW)
