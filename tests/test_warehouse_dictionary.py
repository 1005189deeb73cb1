"""The data dictionary: every table, view and column has a comment, `sift
schema` prints them, and the README's lists of views and tables match the
database."""

import json
import re
from pathlib import Path

from flows.cli import main
from warehouse.connection import connect, open_warehouse
from warehouse.schema import missing_comments, relations

README = Path(__file__).resolve().parent.parent / "README.md"
VIEWS_SECTION = "## The consumer contract"
TABLES_SECTION = "## The warehouse schema"
FORMAT_HINT = (
    f"the README needs a '{TABLES_SECTION}' section with a markdown table whose first column names every "
    "table as `schema.table` (one row each), and the views table under "
    f"'{VIEWS_SECTION}' whose first column names every view in `backticks`"
)


def _section(text: str, heading: str) -> str | None:
    """The text under `heading` up to the next heading of the same or a higher level."""
    lines = text.splitlines()
    level = len(heading) - len(heading.lstrip("#"))
    for i, line in enumerate(lines):
        if line.strip() == heading:
            body = []
            for rest in lines[i + 1 :]:
                hashes = len(rest) - len(rest.lstrip("#"))
                if 0 < hashes <= level and rest[hashes : hashes + 1] == " ":
                    break
                body.append(rest)
            return "\n".join(body)
    return None


def first_column_names(section: str) -> set[str]:
    """`name` from the first cell of each markdown table row (header and rule skipped)."""
    names = set()
    for line in section.splitlines():
        match = re.match(r"^\|\s*`([A-Za-z_][\w.]*)`\s*\|", line.strip())
        if match:
            names.add(match.group(1))
    return names


def readme_lists(text: str) -> tuple[set[str] | None, set[str] | None]:
    views, tables = _section(text, VIEWS_SECTION), _section(text, TABLES_SECTION)
    return (
        None if views is None else {f"main.{v}" for v in first_column_names(views)},
        None if tables is None else first_column_names(tables),
    )


def test_every_table_view_and_column_has_a_comment(db_path):
    open_warehouse(db_path).close()  # applies migrations, then views with their comments
    con = connect(db_path, read_only=True)
    rels = relations(con)
    missing = missing_comments(con)
    con.close()
    assert {"main.documents", "clean.documents", "main.schema_migrations"} <= {r.qualified for r in rels}
    assert missing == [], "add COMMENT ON for: " + ", ".join(missing)


def test_the_comment_check_finds_what_has_none(db_path):
    con = open_warehouse(db_path)
    con.execute("CREATE TABLE ops.undocumented (a INTEGER)")
    con.execute("COMMENT ON TABLE ops.undocumented IS 'documented table, undocumented column'")
    con.execute("CREATE VIEW main.bare AS SELECT 1 AS x")
    assert missing_comments(con) == ["view main.bare", "column main.bare.x", "column ops.undocumented.a"]
    con.close()


def test_readme_lists_exactly_the_views_and_tables_of_the_database(db_path):
    open_warehouse(db_path).close()
    con = connect(db_path, read_only=True)
    rels = relations(con)
    con.close()
    db_views = {r.qualified for r in rels if r.kind == "view"}
    db_tables = {r.qualified for r in rels if r.kind == "table"}
    views, tables = readme_lists(README.read_text(encoding="utf-8"))
    assert views is not None and tables is not None, FORMAT_HINT
    assert views == db_views, f"README views drift: missing {db_views - views}, extra {views - db_views}"
    assert tables == db_tables, f"README tables drift: missing {db_tables - tables}, extra {tables - db_tables}"


def test_readme_parser_reads_the_documented_format():
    text = (
        "## The consumer contract\n\n| view | columns |\n|---|---|\n| `documents` | `doc_id` |\n"
        "| `runs` | `run_id` |\n\nUnderneath, `raw.inputs` in prose is not a row.\n\n"
        "### Detail\n| `in_subsection` | x |\n\n"
        "## The warehouse schema\n\n| table | holds |\n|---|---|\n| `raw.inputs` | bytes |\n"
        "| `ops.runs` | runs |\n\n## Next\n| `not.this` | x |\n"
    )
    views, tables = readme_lists(text)
    assert views == {"main.documents", "main.runs", "main.in_subsection"}
    assert tables == {"raw.inputs", "ops.runs"}
    assert readme_lists("# nothing here\n") == (None, None)


def test_sift_schema_prints_every_relation_and_column(db_path, capsys):
    open_warehouse(db_path).close()
    con = connect(db_path, read_only=True)
    rels = relations(con)
    con.close()
    assert main(["schema", "--db", str(db_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["schema"] + "." + r["name"] for r in data["relations"]] == [r.qualified for r in rels]
    docs = next(r for r in data["relations"] if r["name"] == "documents" and r["schema"] == "main")
    assert all(c["comment"] for c in docs["columns"])
    assert main(["schema", "--db", str(db_path)]) == 0
    markdown = capsys.readouterr().out
    for rel in rels:
        assert f"`{rel.qualified}`" in markdown
    assert "| `is_canonical` | BOOLEAN |" in markdown


def test_sift_schema_without_a_file_describes_a_new_warehouse(tmp_path, capsys):
    assert main(["schema", "--db", str(tmp_path / "none.duckdb"), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "showing the schema sift creates" in captured.err
    assert any(r["name"] == "inputs" for r in json.loads(captured.out)["relations"])
    assert not (tmp_path / "none.duckdb").exists()
