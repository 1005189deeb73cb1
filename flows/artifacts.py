"""What a run did, as data read back from the warehouse and as markdown.

`run_details` gathers one run's numbers (warehouse.summary.run_summary plus
the report_* queries); `to_markdown` is a plain function over them, which
the flow publishes as a Prefect markdown artifact and tests call directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from warehouse.connection import connect
from warehouse.summary import query_text, run_summary

PAIR_KINDS = ("exact", "near", "overlap")


def _json(value) -> dict:
    if value is None:
        return {}
    return value if isinstance(value, dict) else json.loads(value)


def run_details(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
    """Everything the artifact and the HTML report say about one run."""
    out = run_summary(con, run_id)
    params = {"run_id": run_id}
    started_at, finished_at, run_params, summary, error = con.execute(
        query_text("report_run_extras"), params
    ).fetchone()
    summary = _json(summary)
    out.update(
        started_at=started_at,
        finished_at=finished_at,
        params=_json(run_params),
        error=error,
        stage_seconds=summary.get("stage_seconds", {}),
        sources=summary.get("sources", {}),
        cluster_sizes=dict(con.execute(query_text("report_run_cluster_sizes"), params).fetchall()),
        missing_files=[r[0] for r in con.execute(query_text("report_missing_files"), params).fetchall()],
    )
    return out


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, str], rows) -> list[str]:
    rows = list(rows)
    if not rows:
        return ["(none)", ""]
    lines = [f"| {header[0]} | {header[1]} |", "|---|---:|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in rows]
    return [*lines, ""]


def to_markdown(d: dict) -> str:
    """The run report as markdown (Prefect renders it on the flow run's Artifacts tab)."""
    pairs = {k: d["pairs"].get(k, 0) for k in PAIR_KINDS}
    lines = [f"# sift run `{d['run_id']}` ({d['status']})", ""]
    if d.get("params", {}).get("paths"):
        lines += ["Sources: " + ", ".join(f"`{_cell(p)}`" for p in d["params"]["paths"]), ""]
    lines += _table(
        ("", "count"),
        [
            ("inputs read", d["n_inputs"]),
            ("documents landed", d["n_documents"]),
            ("already landed, skipped", d["n_skipped"]),
            ("non-canonical duplicate copies", d["n_duplicates"]),
            ("quarantined", d["n_quarantined"]),
            *[(f"{kind} pairs", n) for kind, n in pairs.items()],
        ],
    )
    if d.get("sources"):
        lines += ["## Source files", "", *_table(("change", "files"), sorted(d["sources"].items()))]
        if d.get("missing_files"):
            shown = d["missing_files"][:20]
            more = len(d["missing_files"]) - len(shown)
            lines += ["Missing since this run:", "", *[f"- `{_cell(p)}`" for p in shown]]
            lines += [f"- ... and {more} more" if more else "", ""]
    lines += ["## Lines removed by rule", "", *_table(("rule", "lines"), d["removed_by_rule"].items())]
    lines += ["## Languages", "", *_table(("language", "documents"), d["languages"].items())]
    lines += [
        "## Duplicate clusters created or grown",
        "",
        *_table(("cluster size", "clusters"), sorted(d["cluster_sizes"].items())),
    ]
    lines += ["## Quarantined by reason", "", *_table(("reason", "inputs"), d["quarantined_by_reason"].items())]
    stages = [(k, f"{v:.2f}") for k, v in d["stage_seconds"].items()]
    if d.get("wall_seconds") is not None:
        stages.append(("wall time", f"{d['wall_seconds']:.2f}"))
    lines += ["## Time per stage (seconds)", "", *_table(("stage", "seconds"), stages)]
    if d.get("error"):
        lines += ["## Error", "", f"`{_cell(d['error'])}`", ""]
    return "\n".join(lines).rstrip() + "\n"


def run_markdown(db: str | Path, run_id: str) -> str:
    """Markdown for a landed run, read back from the warehouse."""
    con = connect(db, read_only=True)
    try:
        return to_markdown(run_details(con, run_id))
    finally:
        con.close()
