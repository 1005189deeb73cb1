"""Exactly once: rerunning the same input changes no row of any table except
the new ops.runs row (table checksums identical)."""

from tests.fixtures_landed import land_folder, write_corpus
from warehouse.connection import connect
from warehouse.integrity import check_integrity, table_checksum, table_checksums


def test_rerun_of_the_same_input_changes_nothing_but_adds_its_run(tmp_path):
    db = tmp_path / "w.duckdb"
    corpus = write_corpus(tmp_path / "corpus")
    first = land_folder(db, [corpus])
    con = connect(db, read_only=True)
    before = table_checksums(con)
    n_rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    con.close()
    assert n_rows["clean.documents"] == 5 and n_rows["ops.quarantine"] == 2 and n_rows["dedup.pairs"] >= 1

    second = land_folder(db, [corpus])
    con = connect(db, read_only=True)
    try:
        after = table_checksums(con)
        changed = {t for t in before if before[t] != after[t]}
        assert changed == {"ops.runs"}, f"a rerun changed {changed - {'ops.runs'}}"
        assert set(after) == set(before)
        # the first run's row is untouched; the rerun only added its own
        old_runs = table_checksum(con, "ops.runs", where=f"run_id <> '{second}'")
        assert old_runs == before["ops.runs"]
        row = con.execute(
            "SELECT status, n_inputs, n_documents, n_quarantined, n_skipped FROM runs WHERE run_id = ?", [second]
        ).fetchone()
        assert row == ("succeeded", 7, 0, 2, 5)
        assert second != first
        assert check_integrity(con) == []
    finally:
        con.close()


def test_a_runs_finished_at_is_when_its_load_ended_not_when_it_began(tmp_path, monkeypatch):
    import time
    from datetime import UTC, datetime

    from tests.helpers import clean_doc, essay, fingerprinted, land_plain
    from warehouse import load
    from warehouse.connection import connect

    slow, inside = load.land_staged_counts, []

    def slower(*args, **kwargs):  # a load that takes a while inside its transaction
        inside.append(datetime.now(UTC).replace(tzinfo=None))
        time.sleep(1.5)
        return slow(*args, **kwargs)

    monkeypatch.setattr(load, "land_staged_counts", slower)
    db = tmp_path / "w.duckdb"
    land_plain(db, fingerprinted([clean_doc("u1", "\n\n".join(essay(1)))]))
    con = connect(db, read_only=True)
    try:
        (finished,) = con.execute("SELECT finished_at FROM ops.runs").fetchone()
    finally:
        con.close()
    assert (finished - inside[0]).total_seconds() >= 1.5
