"""The band parameters a warehouse was fingerprinted with, checked before a run writes.

Candidates come from equal band hashes, so a document fingerprinted with
other parameters (another word hash, bands x rows split or seed) would
silently never match anything landed before. A run therefore compares the
current `DedupConfig.band_params()` with the newest `dedup.band_params` row:
an empty warehouse records them, a different one refuses the run with a
message that says how to fix it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb

from dedup.config import ConfigError, DedupConfig


class BandParamsMismatch(ConfigError):
    """The warehouse's bands were made with other parameters than this sift's."""


def _encode(params: dict[str, object]) -> str:
    return json.dumps(params, sort_keys=True)


def recorded_params(con: duckdb.DuckDBPyConnection) -> dict[str, object] | None:
    """The newest recorded parameters; None if none are, or the warehouse predates
    migration 0007 (a read-only connection sees it before its first writable open)."""
    exists = "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'dedup' AND table_name = 'band_params'"
    if not con.execute(exists).fetchall()[0][0]:
        return None
    row = con.execute("SELECT params FROM dedup.band_params ORDER BY recorded_at DESC LIMIT 1").fetchall()
    return json.loads(row[0][0]) if row else None


def record_params(con: duckdb.DuckDBPyConnection, cfg: DedupConfig, run_id: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute("INSERT INTO dedup.band_params VALUES (?, ?, ?)", [_encode(cfg.band_params()), now, run_id])


def mismatch(recorded: dict[str, object] | None, cfg: DedupConfig, db: str) -> BandParamsMismatch | None:
    """The error to raise when bands recorded with `recorded` cannot be matched under `cfg`."""
    current = cfg.band_params()
    if recorded is None or recorded == current:
        return None
    differ = sorted(k for k in recorded.keys() | current.keys() if recorded.get(k) != current.get(k))
    detail = ", ".join(f"{k} {recorded.get(k)!r} -> {current.get(k)!r}" for k in differ)
    return BandParamsMismatch(
        f"the bands in {db} were computed with other parameters than this sift uses ({detail}); "
        f"new documents would never match the landed ones. Run `sift refingerprint --db {db}` "
        "once to recompute the stored bands (clean texts, pairs and clusters are kept), then run again"
    )


def check_band_params(con: duckdb.DuckDBPyConnection, cfg: DedupConfig, db: str, run_id: str) -> None:
    """Record the parameters in a warehouse that has none; refuse one made with others."""
    recorded = recorded_params(con)
    if recorded is None:
        record_params(con, cfg, run_id)
    elif error := mismatch(recorded, cfg, db):
        raise error
