"""Scoring sift's pairs and clusters against the corpus ground truth.

Targets (issue 4): pair precision >= 0.98 and recall >= 0.95 for true Jaccard
>= 0.8; overlap recall >= 0.95 for pairs sharing >= 50 % of paragraphs; no
pair flagged between documents that only share site boilerplate.

A true duplicate pair counts as found when sift recorded it (exact or near)
or put both documents in one cluster: an exact copy is not indexed, so its
near matches are recorded against its representative only, and the cluster
is what says they are duplicates. Both numbers are reported.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable

from bench.corpus_truth import jaccard, shingles

NEAR = 0.8
SHARE = 0.5


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def _bucket(value: float, edges: Iterable[float]) -> str:
    edges = list(edges)
    for lo, hi in itertools.pairwise(edges):
        if lo <= value < hi:
            return f"[{lo:.2f}, {hi:.2f})"
    return f">= {edges[-1]:.2f}"


def score(
    truth_pairs: list[dict],
    doc_truth: dict[str, dict],
    found: list[tuple],
    clusters: dict[str, tuple[str, bool]],
    texts,
) -> dict:
    """`found`: adapter.found_pairs rows; `clusters`: uri -> (cluster, canonical);
    `texts(ids)` returns {id: text} for pairs the truth does not know."""
    truth = {_key(p["a"], p["b"]): p for p in truth_pairs}
    flagged = {_key(a, b): (kind, jac, ca, cb) for a, b, kind, jac, _est, ca, cb in found}

    def same_cluster(a: str, b: str) -> bool:
        return a in clusters and b in clusters and clusters[a][0] == clusters[b][0]

    # true Jaccard of flagged pairs the generator did not plan (accidental similarity)
    unknown = [k for k in flagged if k not in truth]
    unknown_texts = texts({x for k in unknown for x in k})
    unplanned = {k: jaccard(shingles(unknown_texts[k[0]]), shingles(unknown_texts[k[1]])) for k in unknown}

    def true_jaccard(k: tuple[str, str]) -> float:
        return truth[k]["jaccard"] if k in truth else unplanned[k]

    # 1. duplicates (exact + near): precision over flagged pairs, recall over true pairs
    dup_flagged = [k for k, v in flagged.items() if v[0] in ("exact", "near")]
    dup_correct = sum(1 for k in dup_flagged if true_jaccard(k) >= NEAR)
    dup_true = [k for k, p in truth.items() if p["jaccard"] >= NEAR or p["normalized_equal"]]
    direct = sum(1 for k in dup_true if k in flagged and flagged[k][0] in ("exact", "near"))
    via_cluster = sum(1 for k in dup_true if (k in flagged and flagged[k][0] != "overlap") or same_cluster(*k))
    by_jaccard: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for k, p in truth.items():
        b = _bucket(p["jaccard"], (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0))
        by_jaccard[b][0] += 1
        by_jaccard[b][1] += int(k in flagged and flagged[k][0] in ("exact", "near"))
    # clusters that chain: pairs put together by union-find whose true Jaccard is below 0.8
    members: dict[str, list[str]] = defaultdict(list)
    for uri, (cid, _canonical) in clusters.items():
        members[cid].append(uri)
    chained = [_key(a, b) for ids in members.values() for i, a in enumerate(ids) for b in ids[i + 1 :]]
    chained_low = sum(1 for k in chained if k in truth and truth[k]["jaccard"] < NEAR)
    chained_unrelated = sum(1 for k in chained if k not in truth)

    # 2. partial overlaps: pairs sharing >= 50 % of paragraphs, found as any kind or by cluster
    share = {k: max(p["para_share_a"], p["para_share_b"]) for k, p in truth.items()}
    ov_true = [k for k, s in share.items() if s >= SHARE]
    ov_found = sum(1 for k in ov_true if k in flagged or same_cluster(*k))
    by_share: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for k, s in share.items():
        b = _bucket(s, (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0))
        by_share[b][0] += 1
        by_share[b][1] += int(k in flagged or same_cluster(*k))

    # 3. flagged pairs between different families: boilerplate-only when both sites carry it
    false_pairs = Counter()
    examples = []
    for k in unknown:
        a, b = doc_truth[k[0]], doc_truth[k[1]]
        why = "same-site boilerplate" if a["site"] == b["site"] and a["boilerplate"] else "unrelated"
        false_pairs[f"{flagged[k][0]} / {why}"] += 1
        if len(examples) < 5:
            examples.append({"a": k[0], "b": k[1], "kind": flagged[k][0], "true_jaccard": round(unplanned[k], 4)})
            examples[-1] |= {"containment_a": flagged[k][2], "containment_b": flagged[k][3], "why": why}
    boilerplate_only = sum(v for k, v in false_pairs.items() if k.endswith("same-site boilerplate"))

    # 4. survivor policy: the base (earliest published) should be canonical in its cluster
    canon_ok = canon_total = 0
    for uri, (_cid, canonical) in clusters.items():
        role = doc_truth[uri]["role"]
        if role == "base":
            canon_total += 1
            canon_ok += int(canonical)
    return {
        "duplicates": {
            "flagged": len(dup_flagged),
            "precision": _ratio(dup_correct, len(dup_flagged)),
            "true_pairs": len(dup_true),
            "recall_recorded_pair": _ratio(direct, len(dup_true)),
            "recall_pair_or_cluster": _ratio(via_cluster, len(dup_true)),
            "recorded_by_true_jaccard": {k: {"pairs": v[0], "recorded": v[1]} for k, v in sorted(by_jaccard.items())},
            "cluster_pairs_below_0.8": chained_low,
            "cluster_pairs_unrelated": chained_unrelated,
        },
        "overlaps": {
            "true_pairs_share_ge_0.5": len(ov_true),
            "recall": _ratio(ov_found, len(ov_true)),
            "found_by_share": {k: {"pairs": v[0], "found": v[1]} for k, v in sorted(by_share.items())},
            "flagged_overlap_pairs": sum(1 for v in flagged.values() if v[0] == "overlap"),
        },
        "false_pairs": {
            "total": len(unknown),
            "boilerplate_only": boilerplate_only,
            "by_kind": dict(false_pairs),
            "examples": examples,
        },
        "survivor": {"base_documents_in_clusters": canon_total, "base_is_canonical": canon_ok},
    }
