"""Why a landed document is (or is not) a duplicate, read back from the warehouse.

`explain(con, key)` gathers, for one document: its duplicate cluster (id,
canonical document, members with their sources and the fields the survivor
policy compares), every verified pair with its kind, exact Jaccard, MinHash
estimate and containment both ways, the paragraphs it shares with each
document (texts side by side), the lines its cleaning removed and by which
rule, and, when it has no verified pair, the closest candidates that share
LSH bands with it and the threshold each one missed. Queries live in
warehouse/queries/explain_*.sql; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import duckdb

from dedup.config import DedupConfig
from dedup.fingerprint import doc_shingles
from dedup.minhash import exact_jaccard
from dedup.overlap import long_paragraphs, paragraph_overlap
from dedup.words import paragraphs_of

CANDIDATES_SHOWN = 5


class ExplainError(LookupError):
    """The key names no document, or several; the message says what to pass instead."""


@dataclass(frozen=True)
class SharedParagraph:
    para_this: int
    para_other: int
    jaccard: float
    text_this: str
    text_other: str


@dataclass(frozen=True)
class Candidate:
    """A document sharing LSH bands with this one but not a verified pair, and why."""

    other_id: str
    other_uri: str
    doc_bands: int
    paragraphs_hit: int
    jaccard: float
    shared_paragraphs: int
    containment_this: float
    containment_other: float
    missed: str


@dataclass(frozen=True)
class Explanation:
    document: dict
    verdict: str
    cluster: dict | None  # cluster_id, canonical_doc_id, size, first/last seen, members (list of dicts)
    matches: list[dict]  # verified pairs seen from this document
    shared: dict[str, list[SharedParagraph]]  # other doc_id -> paragraph map with texts
    removed_lines: list[dict]
    candidates: list[Candidate] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)  # dedup.cluster_history of its cluster, oldest first


def _query(name: str) -> str:
    return (resources.files("warehouse") / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    cur = con.execute(_query(name), params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def resolve(con: duckdb.DuckDBPyConnection, key: str) -> str:
    """The doc_id a key names: a doc_id, a unique doc_id prefix (6+ characters) or a source_uri."""
    found = _rows(con, "explain_resolve", {"key": key})
    exact = [r for r in found if key in (r["doc_id"], r["source_uri"])]
    if len(exact) == 1:
        return exact[0]["doc_id"]
    if not found:
        raise ExplainError(
            f"no landed document has id, id prefix or source_uri {key!r}; "
            'find one with: sift sql "SELECT doc_id, source_uri FROM documents"'
        )
    if len(found) > 1:
        listed = ", ".join(f"{r['doc_id']} ({r['source_uri']})" for r in found[:5])
        raise ExplainError(f"{key!r} names {len(found)} documents: {listed}; pass more of the id")
    return found[0]["doc_id"]


def _docs(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, dict]:
    """doc_id -> {source_uri, clean_text} for a few documents."""
    if not doc_ids:
        return {}
    return {r["doc_id"]: r for r in _rows(con, "explain_texts", {"doc_ids": doc_ids})}


def _shared(con, doc_id: str, texts: dict[str, str], width: int) -> dict[str, list[SharedParagraph]]:
    out: dict[str, list[SharedParagraph]] = {}
    paras = {k: paragraphs_of(v) for k, v in texts.items()}

    def cut(doc: str, no: int) -> str:
        text = paras[doc][no] if no < len(paras[doc]) else ""
        return text if len(text) <= width else text[: width - 1] + "…"

    for r in _rows(con, "explain_paragraph_map", {"doc_id": doc_id}):
        other = r["other_id"]
        out.setdefault(other, []).append(
            SharedParagraph(
                r["para_this"], r["para_other"], r["jaccard"], cut(doc_id, r["para_this"]), cut(other, r["para_other"])
            )
        )
    return out


def _missed(jac: float, n_shared: int, long_hit: bool, containment: float, cfg: DedupConfig) -> str:
    reasons = [f"Jaccard {jac:.2f} < {cfg.near_threshold:.2f} (near)"]
    if n_shared < cfg.overlap_min_paragraphs:
        reasons.append(f"{n_shared} shared paragraph(s) < {cfg.overlap_min_paragraphs} (overlap)")
    elif not long_hit:
        reasons.append(f"no shared paragraph has {cfg.para_min_words}+ words (overlap)")
    elif containment < cfg.overlap_min_containment:
        reasons.append(f"shared paragraphs cover {containment:.0%} < {cfg.overlap_min_containment:.0%} (overlap)")
    return "; ".join(reasons)


def _candidates(con, doc_id: str, paired: set[str], text: str, cfg: DedupConfig) -> list[Candidate]:
    rows = [
        r
        for r in _rows(con, "explain_candidates", {"doc_id": doc_id, "limit": CANDIDATES_SHOWN + len(paired)})
        if r["other_id"] not in paired
    ][:CANDIDATES_SHOWN]
    others = _docs(con, [r["other_id"] for r in rows])
    mine = doc_shingles(text, cfg)
    out = []
    for r in rows:
        other = others[r["other_id"]]["clean_text"]
        jac = exact_jaccard(mine, doc_shingles(other, cfg))
        result = paragraph_overlap(text, other, cfg)
        long_hit = any(m.para_a in long_paragraphs(text, cfg) for m in result.matches)
        containment = max(result.containment_a, result.containment_b)
        out.append(
            Candidate(
                other_id=r["other_id"],
                other_uri=others[r["other_id"]]["source_uri"],
                doc_bands=r["doc_bands"],
                paragraphs_hit=r["paragraphs_hit"],
                jaccard=round(jac, 4),
                shared_paragraphs=len(result.matches),
                containment_this=round(result.containment_a, 4),
                containment_other=round(result.containment_b, 4),
                missed=_missed(jac, len(result.matches), long_hit, containment, cfg),
            )
        )
    return out


def _verdict(doc: dict, cluster: dict | None, matches: list[dict]) -> str:
    overlaps = [m for m in matches if m["kind"] == "overlap"]
    tail = f"; it also partially overlaps {len(overlaps)} document(s)" if overlaps else ""
    if cluster is not None:
        n = cluster["size"]
        if doc["is_canonical"]:
            return (
                f"canonical copy of cluster {cluster['cluster_id']} ({n} documents): "
                f"the others are its duplicates{tail}"
            )
        canonical = cluster["members"][0]
        return (
            f"duplicate: one of {n} documents in cluster {cluster['cluster_id']}, whose canonical copy is "
            f"{canonical['doc_id']} ({canonical['source_uri']}){tail}"
        )
    if overlaps:
        return f"not a duplicate, but it shares passages with {len(overlaps)} document(s) (partial overlap)"
    return "unique: no verified exact, near-duplicate or overlap pair"


def explain(con: duckdb.DuckDBPyConnection, key: str, cfg: DedupConfig | None = None, width: int = 60) -> Explanation:
    cfg = cfg or DedupConfig()
    doc_id = resolve(con, key)
    doc = _rows(con, "explain_document", {"doc_id": doc_id})[0]
    members = _rows(con, "explain_cluster", {"doc_id": doc_id})
    cluster = None
    if members:
        head = members[0]
        keys = ("cluster_id", "canonical_doc_id", "size", "first_seen_at", "last_seen_at", "updated_run_id")
        cluster = {k: head[k] for k in keys}
        fields = ("doc_id", "source_uri", "source", "published_at", "ingested_at", "text_length", "is_canonical")
        cluster["members"] = [{k: m[k] for k in fields} for m in members]
    matches = _rows(con, "explain_pairs", {"doc_id": doc_id})
    paired = {m["other_id"] for m in matches}
    mapped = sorted({r["other_id"] for r in _rows(con, "explain_paragraph_map", {"doc_id": doc_id})})
    texts = {k: v["clean_text"] for k, v in _docs(con, [doc_id, *mapped]).items()}
    candidates = []
    if doc["indexed"] and not any(m["kind"] in ("exact", "near") for m in matches):
        candidates = _candidates(con, doc_id, paired, texts[doc_id], cfg)
    has_history = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'dedup' AND table_name = 'cluster_history'"
    ).fetchall()[0][0]
    history = _rows(con, "explain_cluster_history", {"doc_id": doc_id}) if has_history and cluster else []
    return Explanation(
        document=doc,
        verdict=_verdict(doc, cluster, matches),
        cluster=cluster,
        matches=matches,
        shared=_shared(con, doc_id, texts, width),
        removed_lines=_rows(con, "explain_removed_lines", {"doc_id": doc_id}),
        candidates=candidates,
        history=history,
    )
