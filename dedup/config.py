"""Typed dedup parameters, validated at start so nonsense fails fast."""

from __future__ import annotations

from dataclasses import dataclass


class ConfigError(ValueError):
    """A configuration value that cannot work; the message says how to fix it."""


@dataclass(frozen=True)
class DedupConfig:
    # Whole-document near-duplicates: word 5-gram shingles, 20 bands x 6 rows.
    # P(candidate) = 1 - (1 - J^6)^20: 0.998 at J=0.8, 0.61 at J=0.6, 0.08 at
    # J=0.4, so pairs at the 0.8 threshold are almost never missed while the
    # exact-Jaccard verification discards the extra candidates.
    shingle_size: int = 5
    bands: int = 20
    rows: int = 6
    seed: int = 1
    near_threshold: float = 0.8
    # Paragraph-level overlap: word 3-grams (a one-word edit in a 25-word
    # paragraph still leaves J ~ 0.8), 8 bands x 3 rows: P = 0.86 at J=0.6
    # per paragraph, and pairs sharing several paragraphs are found by any.
    para_shingle_size: int = 3
    para_bands: int = 8
    para_rows: int = 3
    para_min_words: int = 8  # shorter paragraphs only count as exact matches
    para_threshold: float = 0.5  # a paragraph pair at or above this is shared
    # A pair is an overlap when they share at least this many paragraphs
    # (one of them long) covering this share of either document's words.
    overlap_min_paragraphs: int = 2
    overlap_min_containment: float = 0.2

    def band_params(self) -> dict[str, object]:
        """Everything the stored band hashes depend on: bands made with other
        values never match these (dedup/scheme.py checks a warehouse's)."""
        from dedup.minhash import WORD_HASH_SCHEME  # numpy stays out of config validation

        names = ("shingle_size", "bands", "rows", "seed", "para_shingle_size", "para_bands", "para_rows")
        return {"word_hash": WORD_HASH_SCHEME, "minhash": "datasketch-affine32"} | {n: getattr(self, n) for n in names}

    @property
    def num_perm(self) -> int:
        return self.bands * self.rows

    @property
    def para_num_perm(self) -> int:
        return self.para_bands * self.para_rows

    def __post_init__(self) -> None:
        for name in (
            "shingle_size",
            "bands",
            "rows",
            "para_shingle_size",
            "para_bands",
            "para_rows",
            "para_min_words",
            "overlap_min_paragraphs",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"dedup.{name} must be a positive integer, got {value!r}")
        for name in ("near_threshold", "para_threshold", "overlap_min_containment"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
                raise ConfigError(f"dedup.{name} must be in (0, 1], got {value!r}")
        if self.num_perm > 1024:
            raise ConfigError(
                f"dedup.bands * dedup.rows = {self.num_perm} permutations is too many; "
                "keep it at 1024 or fewer (the default is 20 x 6 = 120)"
            )
        if self.para_min_words < self.para_shingle_size:
            raise ConfigError(
                "dedup.para_min_words must be at least dedup.para_shingle_size "
                f"({self.para_min_words} < {self.para_shingle_size})"
            )
