"""learned_chrome: counting, thresholds, the rule, and the warehouse round trip."""

from __future__ import annotations

import hashlib
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import learned_chrome as lc
from cleaners import reasons
from cleaners.learned_chrome import SourceStats, count_source_lines, learned_chrome_ranks, line_hash, normalize_line
from cleaners.lines import classify_lines
from warehouse.connection import open_warehouse
from warehouse.source_stats import load_source_stats, upsert_source_stats

CHROME = "Follow The Valley Gazette on WhatsApp for the latest updates"


def story(i: int) -> str:
    # digits are folded by the normalisation, so stories differ by a word
    tag = "".join("abcdefghij"[int(d)] for d in f"{i:03d}")
    return "\n".join(
        [
            f"Council approves budget {tag} after a long debate",
            f"The council voted on proposal {tag} late on Tuesday, and members argued about the cost for hours.",
            f"Residents of district {tag} said they would watch how the money is spent over the coming year.",
            CHROME,
        ]
    )


def test_normalize_line_folds_case_punctuation_and_digits() -> None:
    assert normalize_line("[ 167 Comments ]") == normalize_line("[12 comments]") == "0 comments"
    assert line_hash("Read   MORE!") == line_hash("read more")
    assert line_hash("") is None
    assert line_hash(" ".join(["word"] * (lc.MAX_LINE_WORDS + 1))) is None  # long lines are not counted


def _reference_hash(line: str) -> str | None:
    """line_hash as specified: normalise, then count words (no shortcut)."""
    norm = normalize_line(line)
    if not norm or len(norm.split()) > lc.MAX_LINE_WORDS:
        return None
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=10).hexdigest()


# ASCII words and separators, and characters that normalisation changes:
# combining accents (NFKC composes e + U+0301), U+0130 and U+0345 (casefold
# splits or turns them into a letter), compatibility forms (1/2, ligatures,
# full width), non-ASCII spaces and punctuation.
_PIECES = st.sampled_from(
    [
        "word",
        "Z9",
        "a.b",
        "a_b",
        "-",
        "_",
        " ",
        "  ",
        "\t",
        ". ",
        "\x1c",
        "e\u0301",
        "I\u0307",
        "\u0130",
        "x\u0345y",
        "\u00bd",
        "\u2460",
        "\ufb01",
        "\uff21",
        "\u00df",
        "\u2019",
        "\u2014",
        "\u00a0",
        "\u3000",
        "\u0915\u093e",
        "1\u20e3",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=30, max_size=120).map("".join) | st.text(max_size=200))
def test_line_hash_shortcuts_give_the_specified_hash(line: str) -> None:
    # ASCII lines are split in bytes and long lines rejected before NFKC: same answers
    assert line_hash(line) == _reference_hash(line)


def test_line_hash_limit_is_exact() -> None:
    for text in ("word", "caf\u00e9 \u2019word\u2019"):
        at_limit = " ".join([text] * (lc.MAX_LINE_WORDS // len(text.split())))
        assert line_hash(at_limit) is not None and line_hash(at_limit) == _reference_hash(at_limit)
        assert line_hash(at_limit + " x") is None


def test_counts_each_document_once_per_source() -> None:
    counts = count_source_lines([("a", f"{CHROME}\n{CHROME}\nbody one"), ("a", f"{CHROME}\nbody two"), ("b", CHROME)])
    assert counts.n_docs == {"a": 2, "b": 1}
    assert counts.line_docs["a"][line_hash(CHROME)] == 2
    assert counts.line_docs["b"][line_hash(CHROME)] == 1


def test_thresholds() -> None:
    h = line_hash(CHROME)
    few_docs = SourceStats(n_docs=lc.MIN_SOURCE_DOCS - 1, line_docs={h: lc.MIN_SOURCE_DOCS - 1})
    assert not few_docs.is_chrome(h)  # too little evidence about the source
    enough = SourceStats(n_docs=100, line_docs={h: 6, "rare": 4})
    assert enough.is_chrome(h)
    assert not enough.is_chrome("rare")  # below MIN_LINE_DOCS
    big = SourceStats(n_docs=1000, line_docs={h: 40})
    assert not big.is_chrome(h)  # 4% of the source's documents: below MIN_LINE_SHARE


def test_rule_drops_recurring_line_and_keeps_the_article() -> None:
    stats = SourceStats(n_docs=50, line_docs={line_hash(CHROME): 50})
    outcomes = classify_lines(story(1), source_stats=stats)
    rules = [o.verdict.rule if o.verdict else None for o in outcomes]
    assert rules == [None, None, None, reasons.LEARNED_CHROME]
    # without stats, nothing is learned
    assert all(o.verdict is None for o in classify_lines(story(1)))


def test_copy_of_a_recurring_document_is_left_to_dedup() -> None:
    lines = story(1).split("\n")
    stats = SourceStats(n_docs=50, line_docs={line_hash(line): 30 for line in lines})
    assert learned_chrome_ranks(lines, stats) == frozenset()


def test_warehouse_round_trip(tmp_path) -> None:
    db = tmp_path / "stats.duckdb"
    con = open_warehouse(db)
    try:
        first = count_source_lines([("gazette", story(i)) for i in range(15)])
        con.execute("BEGIN TRANSACTION")
        assert upsert_source_stats(con, first, "run-1", datetime(2024, 5, 1)) == (46, 1)
        con.execute("COMMIT")
        second = count_source_lines([("gazette", story(i)) for i in range(15, 30)] + [("other", story(0))])
        upsert_source_stats(con, second, "run-2", datetime(2024, 5, 2))
        stats = load_source_stats(con, ["gazette", "other", "unknown"])
        row = con.execute(
            "SELECT n_docs, first_run_id, last_run_id, sample_text FROM clean.source_line_stats "
            "WHERE source = 'gazette' AND line_hash = ?",
            [line_hash(CHROME)],
        ).fetchone()
        # no key index since migration 0010: the load itself keeps (source, line_hash) unique
        rows, keys = con.execute(
            "SELECT count(*), count(DISTINCT (source, line_hash)) FROM clean.source_line_stats"
        ).fetchone()
        comments = con.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE table_name IN ('source_line_stats', 'source_doc_counts') "
            "AND (comment IS NULL OR comment = '')"
        ).fetchone()[0]
    finally:
        con.close()
    assert row == (30, "run-1", "run-2", CHROME)
    assert rows == keys > 46
    assert comments == 0
    assert set(stats) == {"gazette", "other"}
    assert stats["gazette"].n_docs == 30
    # lines seen in one document are not loaded; the recurring one is
    assert stats["gazette"].line_docs == {line_hash(CHROME): 30}
    assert stats["other"].n_docs == 1 and stats["other"].line_docs == {}
    outcomes = classify_lines(story(99), source_stats=stats["gazette"])
    assert [o.verdict.rule for o in outcomes if o.verdict] == [reasons.LEARNED_CHROME]


def test_merged_adds_unstored_counts() -> None:
    h = line_hash(CHROME)
    merged = SourceStats(n_docs=10, line_docs={h: 3}).merged(12, {h: 12, "x": 1})
    assert merged.n_docs == 22 and merged.line_docs == {h: 15, "x": 1}


def test_stage_for_a_batch_picks_the_documents_source() -> None:
    import functools
    import pickle

    from cleaners.lines import apply_line_rules_by_source
    from cleaners.record import KIND_TEXT, Document, make_doc_id

    text = story(3)
    raw = text.encode()
    doc = Document(
        doc_id=make_doc_id("m", raw), source_uri="m", source="gazette", body_kind=KIND_TEXT, raw=raw, text=text
    )
    stage = functools.partial(
        apply_line_rules_by_source, stats_by_source={"gazette": SourceStats(50, {line_hash(CHROME): 50})}
    )
    stage = pickle.loads(pickle.dumps(stage))  # the pipeline sends its stages to a worker process
    assert [r.rule for r in stage(doc).removed] == [reasons.LEARNED_CHROME]
    other = Document(**{**doc.__dict__, "source": "elsewhere"})
    assert stage(other).removed == ()


def test_each_line_is_hashed_once_per_document(monkeypatch) -> None:
    from cleaners import lines
    from cleaners.record import KIND_TEXT, Document

    calls: list[str] = []

    def counting(line: str) -> str | None:
        calls.append(line)
        return line_hash(line)

    monkeypatch.setattr(lc, "line_hash", counting)
    monkeypatch.setattr(lines, "line_hash", counting)
    text = story(4) + "\nRead more: Council budget explained\n" + CHROME
    doc = Document(doc_id="d", source_uri="d", source="gazette", body_kind=KIND_TEXT, raw=b"", text=text)
    stats = SourceStats(50, {line_hash(CHROME): 50})
    out = lines.apply_line_rules(doc, stats)
    # the chrome and the teaser went in the first pass; a second pass confirmed the rest
    assert [r.rule for r in out.removed] == [reasons.LEARNED_CHROME, "teaser_link", reasons.LEARNED_CHROME]
    assert sorted(calls) == sorted(set(text.split("\n")))  # every distinct line once, none again
    # what the document adds to its source's counts: each short line once
    assert dict(out.counted_lines)[line_hash(CHROME)] == CHROME
    assert len(out.counted_lines) == 5 and out.source_stats is None  # CHROME twice, counted once
