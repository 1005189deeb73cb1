"""The LSH S-curve of sift's (bands, rows) choices: theory, and a check on sift's code.

    python -m bench.dedup_scurve [--pairs 2000] [--png docs/dedup_scurve.png] [--markdown]

P(candidate) = 1 - (1 - J^rows)^bands for a pair of true Jaccard J. The
measured column draws `--pairs` random shingle sets at exactly that Jaccard
(800 shingles each, like a 4-5 KB document; 40 for a paragraph) and counts how often sift's own
signature and band hashes put them in a common bucket, so a bug in the
banding (a bad band hash, a wrong permutation count) would show as a gap.
The PNG needs matplotlib: `uv run --with matplotlib python -m bench.dedup_scurve --png ...`.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from bench.sift_dedup_adapter import band_hashes_of

LEVELS = (0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
PARAGRAPH_SHINGLES = 40  # a 42-word paragraph: its sets cannot hit every J exactly (see the last column)
CURVES = {"document 20x6": (20, 6), "paragraph 8x3": (8, 3), "datatrove default 14x8": (14, 8)}


def p_candidate(j: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - j**rows) ** bands


def threshold(bands: int, rows: int) -> float:
    """The J where the curve is steepest, approximately (1/b)^(1/r)."""
    return (1.0 / bands) ** (1.0 / rows)


def _pair(rng: np.random.Generator, j: float, size: int) -> tuple[np.ndarray, np.ndarray]:
    shared = round(2 * size * j / (1 + j))  # |A & B| for |A| = |B| = size
    pool = rng.integers(0, np.iinfo(np.uint64).max, size=2 * size, dtype=np.uint64, endpoint=True)
    a = pool[:size]
    b = np.concatenate([pool[:shared], pool[size : 2 * size - shared]])
    return np.unique(a), np.unique(b)


def actual_jaccard(j: float, size: int) -> float:
    """The Jaccard two sets of `size` can really have near j (small sets round)."""
    shared = round(2 * size * j / (1 + j))
    return shared / (2 * size - shared)


def measured(j: float, bands: int, rows: int, pairs: int, size: int, seed: int = 7) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(pairs):
        a, b = _pair(rng, j, size)
        hits += bool(np.any(band_hashes_of(a, bands, rows) == band_hashes_of(b, bands, rows)))
    return hits / pairs


def table(pairs: int, size: int) -> list[dict]:
    rows = []
    for j in LEVELS:
        row = {"jaccard": j}
        for name, (b, r) in CURVES.items():
            row[name] = round(p_candidate(j, b, r), 4)
        for name, (b, r) in list(CURVES.items())[:2]:
            row[f"{name} measured"] = round(measured(j, b, r, pairs, size if b == 20 else PARAGRAPH_SHINGLES), 4)
        row["paragraph sets' actual J"] = round(actual_jaccard(j, PARAGRAPH_SHINGLES), 4)
        rows.append(row)
    return rows


def markdown(rows: list[dict]) -> str:
    cols = list(rows[0])
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += [
        "| " + " | ".join(f"{row[c]:.2f}" if c == "jaccard" else f"{row[c]:.3f}" for c in cols) + " |" for row in rows
    ]
    return "\n".join(out)


def plot(path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    js = np.linspace(0, 1, 201)
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for name, (b, r) in CURVES.items():
        ax.plot(js, [p_candidate(j, b, r) for j in js], label=f"{name} (threshold ~{threshold(b, r):.2f})")
    ax.axvline(0.8, color="grey", linestyle=":", label="near-duplicate threshold J = 0.8")
    ax.axvline(0.5, color="grey", linestyle="--", label="paragraph match threshold J = 0.5")
    ax.set_xlabel("true Jaccard of the shingle sets")
    ax.set_ylabel("P(candidate pair)")
    ax.set_title("LSH S-curves: P = 1 - (1 - J^rows)^bands")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.dedup_scurve", description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=2000, help="random pairs per Jaccard level for the measured columns")
    p.add_argument("--size", type=int, default=800, help="shingles per document set")
    p.add_argument("--png", help="also draw the curves to this PNG (needs matplotlib)")
    p.add_argument("--markdown", action="store_true", help="print a markdown table instead of JSON")
    a = p.parse_args(argv)
    rows = table(a.pairs, a.size)
    print(markdown(rows) if a.markdown else json.dumps(rows, indent=1))
    if a.png:
        plot(a.png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
