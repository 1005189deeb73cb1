"""Cluster history: the events a run's cluster changes produce, and their table."""

from datetime import datetime

from dedup.cluster_history import HistoryEvent, history_events
from dedup.clusters import ClusterState
from warehouse.connection import open_warehouse

T0, T1 = datetime(2024, 1, 1), datetime(2024, 2, 1)


def _cluster(cluster_id, canonical, members):
    return ClusterState(cluster_id, canonical, tuple(members), T0, T1)


def test_a_new_cluster_is_created_with_its_other_members_joining():
    events = history_events([], [_cluster("a", "a", ["a", "b", "c"])], [])
    assert events == [
        HistoryEvent("a", "created", "a", None, 3),
        HistoryEvent("a", "joined", "b", None, 3),
        HistoryEvent("a", "joined", "c", None, 3),
    ]


def test_a_later_copy_joins_and_can_take_over_as_canonical():
    before = [("a", "a", "a"), ("a", "a", "b")]
    events = history_events(before, [_cluster("a", "z", ["a", "b", "z"])], [])
    assert events == [
        HistoryEvent("a", "joined", "z", None, 3),
        HistoryEvent("a", "canonical_changed", "z", None, 3),
    ]


def test_two_clusters_merge_into_the_older_and_the_other_is_retired():
    before = [("a", "a", "a"), ("a", "a", "b"), ("k", "k", "k"), ("k", "k", "m")]
    merged = _cluster("a", "a", ["a", "b", "k", "m", "x"])  # x linked b and k
    events = history_events(before, [merged], ["k"])
    assert events == [
        HistoryEvent("a", "merged", "k", "k", 5),
        HistoryEvent("a", "joined", "x", None, 5),
        HistoryEvent("k", "retired", None, "a", 0),
    ]


def test_an_unchanged_cluster_and_singletons_produce_nothing():
    before = [("a", "a", "a"), ("a", "a", "b")]
    assert history_events(before, [_cluster("a", "a", ["a", "b"]), _cluster("s", "s", ["s"])], []) == []


def test_the_history_table_exists_with_its_comments(db_path):
    con = open_warehouse(db_path)
    try:
        cols = con.execute(
            "SELECT column_name, comment FROM duckdb_columns() "
            "WHERE schema_name = 'dedup' AND table_name = 'cluster_history' ORDER BY column_index"
        ).fetchall()
        table_comment = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE schema_name = 'dedup' AND table_name = 'cluster_history'"
        ).fetchall()[0][0]
    finally:
        con.close()
    expected = ("cluster_id", "run_id", "event", "doc_id", "other_cluster_id", "size", "happened_at")
    assert tuple(c[0] for c in cols) == expected
    assert all(c[1] for c in cols)  # every column explained
    assert "never updated" in table_comment
