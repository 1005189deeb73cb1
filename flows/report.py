"""`sift report`: one static HTML page about a run, with charts, readable offline.

Charts are drawn with matplotlib (imported only here, and only when a report
is made) as SVG and embedded as data URIs, so the page needs no network, no
script and no files beside it. The numbers come from the same queries as the
run's Prefect artifact (flows/artifacts.py).
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence

import duckdb

from flows.artifacts import PAIR_KINDS, run_details
from warehouse.summary import query_text

RECENT_RUNS = 20
STAGE_ORDER = ("read", "clean", "pairs", "stage", "run_pairs", "cluster", "load")


class ReportError(RuntimeError):
    """The report cannot be made; the message says what to do."""


def latest_run(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(query_text("report_latest_run")).fetchone()
    if row is None:
        raise ReportError("no succeeded run in this warehouse yet: run `sift ingest PATH` first")
    return row[0]


def report_data(con: duckdb.DuckDBPyConnection, run_id: str | None = None, recent: int = RECENT_RUNS) -> dict:
    """The numbers the page shows: one run in detail, the last `recent` runs as trends."""
    run_id = run_id or latest_run(con)
    try:
        details = run_details(con, run_id)
    except LookupError as err:
        raise ReportError(f'{err}: list runs with `sift sql "SELECT run_id, status FROM runs"`') from err
    runs = []
    for rid, started, status, n_inputs, n_docs, n_quar, n_skip, wall, summary in con.execute(
        query_text("report_recent_runs"), {"limit": recent}
    ).fetchall():
        stages = json.loads(summary).get("stage_seconds", {}) if summary else {}
        runs.append(
            {
                "run_id": rid,
                "started_at": started,
                "status": status,
                "n_inputs": n_inputs or 0,
                "n_documents": n_docs or 0,
                "n_quarantined": n_quar or 0,
                "n_skipped": n_skip or 0,
                "wall_seconds": float(wall or 0.0),
                "stage_seconds": stages,
            }
        )
    sizes = dict(con.execute(query_text("report_cluster_sizes")).fetchall())
    return {"run": details, "recent_runs": runs, "cluster_sizes_all": sizes}


def _matplotlib():
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as err:
        raise ReportError(
            f"sift report draws its charts with matplotlib, which is not installed ({err}): "
            "install it in this environment (e.g. `uv pip install matplotlib`)"
        ) from err
    return matplotlib, Figure, MaxNLocator


def _svg(fig) -> str:
    matplotlib, _, _ = _matplotlib()
    buf = io.BytesIO()
    # text as paths: the page needs no fonts; a fixed salt: the same data gives the same file
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "sift-report"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _barh(title: str, labels: Sequence[str], values: Sequence[float], xlabel: str) -> str:
    _, Figure, MaxNLocator = _matplotlib()
    fig = Figure(figsize=(7, 0.35 * len(labels) + 1.2))
    ax = fig.subplots()
    ax.barh(list(labels)[::-1], list(values)[::-1], color="#3b6ea5")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    for y, v in enumerate(list(values)[::-1]):
        ax.annotate(f"{v:g}", (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.margins(x=0.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return _svg(fig)


def _cluster_sizes(run_sizes: dict, all_sizes: dict) -> str:
    _, Figure, MaxNLocator = _matplotlib()
    sizes = sorted(set(run_sizes) | set(all_sizes))
    fig = Figure(figsize=(7, 3.2))
    ax = fig.subplots()
    xs = range(len(sizes))
    ax.bar([x - 0.2 for x in xs], [all_sizes.get(s, 0) for s in sizes], width=0.4, label="whole warehouse")
    ax.bar([x + 0.2 for x in xs], [run_sizes.get(s, 0) for s in sizes], width=0.4, label="created or grown by this run")
    ax.set_xticks(list(xs), [str(s) for s in sizes])
    ax.set_xlabel("documents in the cluster")
    ax.set_ylabel("clusters")
    ax.set_title("Duplicate clusters (exact + near) by size")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _svg(fig)


def _trends(runs: list[dict]) -> str:
    _, Figure, MaxNLocator = _matplotlib()
    fig = Figure(figsize=(8, 6))
    top, bottom = fig.subplots(2, 1, sharex=True)
    xs = list(range(len(runs)))
    labels = [r["run_id"][:15] for r in runs]
    top.bar(xs, [r["n_documents"] for r in runs], label="documents landed", color="#3b6ea5")
    top.bar(
        xs,
        [r["n_quarantined"] for r in runs],
        bottom=[r["n_documents"] for r in runs],
        label="quarantined",
        color="#d08c2e",
    )
    top.set_ylabel("inputs per run")
    top.set_title(f"The last {len(runs)} finished runs")
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    stages = [s for s in STAGE_ORDER if any(s in r["stage_seconds"] for r in runs)]
    stages += sorted({s for r in runs for s in r["stage_seconds"]} - set(stages))
    base = [0.0] * len(runs)
    for stage in stages:
        vals = [float(r["stage_seconds"].get(stage, 0.0)) for r in runs]
        bottom.bar(xs, vals, bottom=base, label=stage)
        base = [b + v for b, v in zip(base, vals, strict=True)]
    other = [max(r["wall_seconds"] - b, 0.0) for r, b in zip(runs, base, strict=True)]
    bottom.bar(xs, other, bottom=base, label="other", color="#cccccc")
    bottom.set_ylabel("seconds per stage")
    bottom.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    bottom.set_xticks(xs, labels, rotation=60, ha="right", fontsize=7)
    return _svg(fig)


def _chart(title: str, uri: str | None) -> str:
    if uri is None:
        return f"<section><h2>{html.escape(title)}</h2><p class=none>(none in this run)</p></section>"
    return f'<section><h2>{html.escape(title)}</h2><img alt="{html.escape(title)}" src="{uri}"></section>'


def _rows(pairs) -> str:
    return "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in pairs)


CSS = """body{font-family:sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse}
th,td{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}td{text-align:right}
img{max-width:100%}.none{color:#777}code{background:#f3f3f3;padding:0 .2rem}"""


def render_html(data: dict) -> str:
    """The whole page as one string (charts inline)."""
    r = data["run"]
    pairs = {k: r["pairs"].get(k, 0) for k in PAIR_KINDS}
    removed = r["removed_by_rule"]
    langs = r["languages"]
    sections = [
        _chart(
            "Lines removed by rule",
            _barh("Lines removed by rule", list(removed), list(removed.values()), "lines") if removed else None,
        ),
        _chart(
            "Languages",
            _barh("Documents per language", list(langs), list(langs.values()), "documents") if langs else None,
        ),
        _chart(
            "Duplicate cluster sizes",
            _cluster_sizes(r["cluster_sizes"], data["cluster_sizes_all"]) if data["cluster_sizes_all"] else None,
        ),
        _chart("Documents and time per stage", _trends(data["recent_runs"]) if data["recent_runs"] else None),
    ]
    counts = [
        ("status", r["status"]),
        ("inputs read", r["n_inputs"]),
        ("documents landed", r["n_documents"]),
        ("already landed, skipped", r["n_skipped"]),
        ("non-canonical duplicate copies", r["n_duplicates"]),
        ("quarantined", r["n_quarantined"]),
        *[(f"{k} pairs", v) for k, v in pairs.items()],
        *[(f"quarantined: {k}", v) for k, v in r["quarantined_by_reason"].items()],
        *[(f"source files: {k}", v) for k, v in sorted(r["sources"].items())],
        ("wall time (s)", f"{r['wall_seconds']:.1f}" if r.get("wall_seconds") is not None else "-"),
    ]
    title = f"sift run {r['run_id']}"
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>Started {html.escape(str(r['started_at']))} UTC; sources "
        f"{html.escape(', '.join(map(str, r['params'].get('paths', []))) or '-')}.</p>"
        f"<table>{_rows(counts)}</table>" + "".join(sections) + "</body></html>\n"
    )
